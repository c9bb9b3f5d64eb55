package org.iotbackbone.ingestbridge.it;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
import org.iotbackbone.schemas.DeviceEvent;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.TopicSetup;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.MqttBroker;

/** What the bridge's integration tests share: topics, settings, devices, a producer. */
final class TestBed {

  /** Partitions of the topics the tests create: few, to keep a one-node Kafka quick. */
  static final int PARTITIONS = 3;

  private TestBed() {}

  /** Creates every topic of the platform, leaving alone those that exist. */
  static void createTopics(String bootstrapServers)
      throws InterruptedException, ExecutionException {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      TopicSetup.createMissing(admin, Topics.all(PARTITIONS), (short) 1);
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
    return values;
  }

  static BrokerEndpoint endpoint(String id, MqttBroker broker) {
    return new BrokerEndpoint(id, broker.host(), broker.port());
  }

  /** A connected device: client id = device id, clean session. */
  static Mqtt5AsyncClient device(MqttBroker broker, String deviceId) throws Exception {
    Mqtt5AsyncClient client =
        Mqtt5Client.builder()
            .identifier(deviceId)
            .serverHost(broker.host())
            .serverPort(broker.port())
            .buildAsync();
    client.connect().get(30, TimeUnit.SECONDS);
    return client;
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
