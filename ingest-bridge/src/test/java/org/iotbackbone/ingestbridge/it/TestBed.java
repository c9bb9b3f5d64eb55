package org.iotbackbone.ingestbridge.it;

import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.iotbackbone.ingestbridge.BridgeConfig;
import org.iotbackbone.ingestbridge.BrokerEndpoint;
import org.iotbackbone.ingestbridge.IngestBridge;
import org.iotbackbone.schemas.Command;
import org.iotbackbone.schemas.DeviceEvent;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.TopicSetup;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttListener;

/**
 * What the bridge's integration tests share: topics, settings, a started bridge, devices that
 * publish and subscribe, commands, a producer.
 */
final class TestBed {

  /** Partitions of the topics the tests create: few, to keep a one-node Kafka quick. */
  static final int PARTITIONS = 3;

  private static final Pattern COMMAND_ID = Pattern.compile("\"commandId\":\"([^\"]+)\"");

  private TestBed() {}

  /** Creates every topic of the platform, leaving alone those that exist. */
  static void createTopics(String bootstrapServers)
      throws InterruptedException, ExecutionException {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      TopicSetup.createMissing(admin, Topics.all(PARTITIONS), (short) 1);
      // A produce request that reaches a partition before its broker has applied the topic's
      // creation fails NOT_LEADER_OR_FOLLOWER, and a later request of the same idempotent producer
      // can be appended first: the first one's retries then fail OUT_OF_ORDER_SEQUENCE_NUMBER
      // until delivery.timeout.ms (KAFKA-15591). Seen once in CI in KafkaOutageIT, whose broker
      // and topics are new. Every partition has its leader before a test produces.
      List<String> names = Topics.all(PARTITIONS).stream().map(topic -> topic.name()).toList();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  admin.describeTopics(names).allTopicNames().get().values().stream()
                      .flatMap(description -> description.partitions().stream())
                      .allMatch(partition -> partition.leader() != null));
    }
  }

  /** An id no other test uses, such as {@code dev-1a2b3c4d}. */
  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * The settings of a bridge for tests: unique bridge id, share group and consumer group, HTTP on a
   * free port, short backoff; {@code overrides} win.
   */
  static Map<String, String> settings(
      String bootstrapServers, String registryUrl, List<BrokerEndpoint> brokers) {
    Map<String, String> values = new HashMap<>();
    values.put(BridgeConfig.BRIDGE_ID_CONFIG, unique("bridge"));
    values.put(BridgeConfig.MQTT_SHARE_GROUP_CONFIG, unique("group"));
    values.put(BridgeConfig.DOWNLINK_GROUP_ID_CONFIG, unique("downlink"));
    values.put(
        BridgeConfig.MQTT_BROKERS_CONFIG,
        String.join(",", brokers.stream().map(BrokerEndpoint::toString).toList()));
    values.put(BridgeConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    values.put(BridgeConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
    values.put(BridgeConfig.HTTP_PORT_CONFIG, "0");
    values.put(BridgeConfig.MQTT_SESSION_EXPIRY_SECONDS_CONFIG, "600");
    values.put(BridgeConfig.BACKOFF_INITIAL_MS_CONFIG, "50");
    values.put(BridgeConfig.BACKOFF_MAX_MS_CONFIG, "1000");
    // As deployed: the brokers' back-end listener over TLS, with the back end's certificate.
    values.putAll(SecureEdge.bridgeSettings());
    return values;
  }

  /** A bridge with {@code settings}, started and ready; closed again if it does not get ready. */
  static IngestBridge startBridge(Map<String, String> settings) {
    IngestBridge bridge = new IngestBridge(BridgeConfig.of(settings));
    try {
      bridge.start();
      await().atMost(Duration.ofMinutes(2)).until(bridge::isReady);
      return bridge;
    } catch (RuntimeException | Error e) {
      bridge.close();
      throw e;
    }
  }

  /** The answer to a GET of {@code path} (such as {@code /ready}) on the bridge's HTTP port. */
  static HttpResponse<String> get(IngestBridge bridge, String path)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.httpPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** The broker's back-end listener, the one the bridge may use ({@link SecureEdge}). */
  static BrokerEndpoint endpoint(String id, MqttBroker broker) {
    return new BrokerEndpoint(id, broker.host(), broker.port(MqttListener.BACKEND));
  }

  /**
   * A connected device on the broker's TLS listener with a certificate of its own (CN = device id):
   * client id = device id, clean session.
   */
  static Mqtt5AsyncClient device(MqttBroker broker, String deviceId) throws Exception {
    Mqtt5AsyncClient client = unconnectedDevice(broker, deviceId);
    client.connect().get(30, TimeUnit.SECONDS);
    return client;
  }

  /**
   * A device's client for the broker's TLS listener with its own certificate, not yet connected:
   * for a test that connects it its own way (a persistent session, its publish handler first).
   */
  static Mqtt5AsyncClient unconnectedDevice(MqttBroker broker, String deviceId) throws Exception {
    return Mqtt5Client.builder()
        .identifier(deviceId)
        .serverHost(broker.host())
        .serverPort(broker.port(MqttListener.TLS))
        .sslConfig(SecureEdge.deviceSsl(deviceId))
        .buildAsync();
  }

  /** Publishes at QoS 1 and waits for the broker's PUBACK. */
  static void publish(Mqtt5AsyncClient device, String topic, byte[] payload) throws Exception {
    device
        .publishWith()
        .topic(topic)
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(payload)
        .send()
        .get(30, TimeUnit.SECONDS);
  }

  static void publish(Mqtt5AsyncClient device, String topic, String payload) throws Exception {
    publish(device, topic, payload.getBytes(StandardCharsets.UTF_8));
  }

  /** Subscribes at QoS 1 and returns the list the messages received are added to. */
  static List<Mqtt5Publish> subscribe(Mqtt5AsyncClient client, String filter) throws Exception {
    List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
    client
        .subscribeWith()
        .topicFilter(filter)
        .qos(MqttQos.AT_LEAST_ONCE)
        .callback(received::add)
        .send()
        .get(30, TimeUnit.SECONDS);
    return received;
  }

  /** A command named {@code step} with payload {@code {"n":n}}, expiring in 10 minutes. */
  static Command command(String deviceId, int n) {
    return Command.newBuilder()
        .setCommandId(UUID.randomUUID().toString())
        .setDeviceId(deviceId)
        .setName("step")
        .setPayload("{\"n\":" + n + "}")
        .setCreatedAt(Instant.now())
        .setExpiresAt(Instant.now().plusSeconds(600))
        .build();
  }

  /**
   * The command ids of the commands a device received, in the order of their first appearance: a
   * command published again (at-least-once) counts once.
   */
  static List<String> commandIds(List<Mqtt5Publish> received) {
    List<String> ids = new ArrayList<>();
    for (Mqtt5Publish publish : received) {
      Matcher m =
          COMMAND_ID.matcher(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8));
      if (m.find() && !ids.contains(m.group(1))) {
        ids.add(m.group(1));
      }
    }
    return ids;
  }

  /** Publishes {@code seq} as a device event of type {@code seq}, QoS 1; see {@link #seq}. */
  static CompletableFuture<Mqtt5PublishResult> publishSeq(
      Mqtt5AsyncClient device, String deviceId, int seq) {
    return device
        .publishWith()
        .topic("devices/" + deviceId + "/events/seq")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(Integer.toString(seq).getBytes(StandardCharsets.UTF_8))
        .send();
  }

  /** The sequence number {@link #publishSeq} put in an event's payload. */
  static int seq(DeviceEvent event) {
    return Integer.parseInt(
        StandardCharsets.UTF_8.decode(event.getPayload().duplicate()).toString());
  }

  /** Produces records with the platform's serde (as a cloud integration does). */
  static <V extends SpecificRecord> void produce(
      String bootstrapServers, String registryUrl, TopicDefinition<V> topic, String key, V value)
      throws Exception {
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (Serde<V> serde = RegistrySerdes.valueSerde(topic, RegistryConfig.of(registryUrl));
        KafkaProducer<String, V> producer =
            new KafkaProducer<>(props, new StringSerializer(), serde.serializer())) {
      producer.send(new ProducerRecord<>(topic.name(), key, value)).get(60, TimeUnit.SECONDS);
    }
  }
}
