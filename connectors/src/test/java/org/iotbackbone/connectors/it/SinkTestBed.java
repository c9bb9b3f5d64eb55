package org.iotbackbone.connectors.it;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.iotbackbone.connectors.ScyllaSinkConfig;
import org.iotbackbone.connectors.ScyllaSinkConnector;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeviceEvent;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.Presence;
import org.iotbackbone.schemas.ShadowDocument;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.TopicSetup;
import org.iotbackbone.schemas.topics.Topics;

/**
 * What one test of the sink has: topics of its own, device ids of its own, connector settings,
 * records, a producer.
 *
 * <p>The tests share one keyspace: creating a keyspace and its tables took 30 s to 2.5 min per test
 * on a busy Cassandra, so each test bed prefixes its device ids instead ({@link #device}) and reads
 * back only its own rows, under the names the test gave.
 */
final class SinkTestBed implements AutoCloseable {

  /** Partitions of the topics the tests create: few, to keep a one-node Kafka quick. */
  static final int PARTITIONS = 3;

  /** The keyspace of every test of the module, created by the first connector that starts. */
  static final String KEYSPACE = "it_sink";

  final String bootstrapServers;
  final String registryUrl;
  final String shadowsTopic = unique("it-shadows");
  final String eventsTopic = unique("it-events");
  final String keyspace = KEYSPACE;
  private final String devicePrefix = unique("t") + "-";
  private final Serde<DeviceShadow> shadowSerde;
  private final Serde<DeviceEvent> eventSerde;
  private final Serde<DeadLetter> deadLetterSerde;
  private final KafkaProducer<String, byte[]> producer;

  SinkTestBed(String bootstrapServers, String registryUrl) throws Exception {
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
    try (Admin admin = admin()) {
      TopicSetup.createMissing(admin, Topics.all(PARTITIONS), (short) 1);
      for (String topic : List.of(shadowsTopic, eventsTopic)) {
        try {
          admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    }
    RegistryConfig registry = RegistryConfig.of(registryUrl);
    shadowSerde = RegistrySerdes.valueSerde(Topics.SHADOW_STATE, registry);
    eventSerde = RegistrySerdes.valueSerde(Topics.DEVICE_EVENTS, registry);
    deadLetterSerde = RegistrySerdes.valueSerde(Topics.DEAD_LETTER, registry);
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /** The connector's settings as a Strimzi KafkaConnector would carry them. */
  Map<String, String> connectorConfig(InetSocketAddress cql, String datacenter) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", ScyllaSinkConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("topics", shadowsTopic + "," + eventsTopic);
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", Topics.DEAD_LETTER.name());
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    config.put("errors.deadletterqueue.context.headers.enable", "true");
    config.put(ScyllaSinkConfig.CONTACT_POINTS, cql.getHostString() + ":" + cql.getPort());
    config.put(ScyllaSinkConfig.LOCAL_DATACENTER, datacenter);
    config.put(ScyllaSinkConfig.KEYSPACE, keyspace);
    config.put(ScyllaSinkConfig.SCHEMA_CREATE, "true");
    config.put(
        ScyllaSinkConfig.SCHEMA_REPLICATION,
        "{'class': 'SimpleStrategy', 'replication_factor': 1}");
    config.put(ScyllaSinkConfig.REGISTRY_URL, registryUrl);
    config.put(ScyllaSinkConfig.SHADOWS_TOPIC, shadowsTopic);
    config.put(ScyllaSinkConfig.EVENTS_TOPIC, eventsTopic);
    config.put(ScyllaSinkConfig.RETRY_BACKOFF_INITIAL_MS, "200");
    config.put(ScyllaSinkConfig.RETRY_BACKOFF_MAX_MS, "2000");
    config.put(ScyllaSinkConfig.REQUEST_TIMEOUT_MS, "3000");
    return config;
  }

  static CqlSession cql(InetSocketAddress contactPoint, String datacenter) {
    return CqlSession.builder()
        .addContactPoint(contactPoint)
        .withLocalDatacenter(datacenter)
        // The tests' reads share two cores with the servers: be patient.
        .withConfigLoader(
            DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, java.time.Duration.ofSeconds(20))
                .build())
        .build();
  }

  /** This test bed's id of the device the test calls {@code name}. */
  String device(String name) {
    return devicePrefix + name;
  }

  /**
   * The state of the device the test calls {@code name}, with a classic shadow at {@code version}
   * and the named shadows given.
   */
  DeviceShadow shadow(
      String name, long revision, long version, boolean connected, String... named) {
    String deviceId = device(name);
    Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
    Map<String, ShadowDocument> namedShadows = new HashMap<>();
    for (String shadowName : named) {
      namedShadows.put(shadowName, document(version, "{\"mode\":\"" + shadowName + "\"}"));
    }
    return DeviceShadow.newBuilder()
        .setDeviceId(deviceId)
        .setClassic(document(version, "{\"v\":" + version + "}"))
        .setNamed(namedShadows)
        .setPresence(
            Presence.newBuilder()
                .setConnected(connected)
                .setConnectedAt(now)
                .setBroker("broker-1")
                .build())
        .setRevision(revision)
        .setUpdatedAt(now)
        .build();
  }

  static ShadowDocument document(long version, String reported) {
    return ShadowDocument.newBuilder()
        .setReported(reported)
        .setDesired("{\"v\":" + version + "}")
        .setMetadata("{}")
        .setVersion(version)
        .setUpdatedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
        .build();
  }

  /** An event of the device the test calls {@code name}. */
  DeviceEvent event(String name, int seq) {
    String deviceId = device(name);
    return DeviceEvent.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setDeviceId(deviceId)
        .setEventType("seq")
        .setPayload(ByteBuffer.wrap(Integer.toString(seq).getBytes(StandardCharsets.UTF_8)))
        .setMqttTopic("devices/" + deviceId + "/events/seq")
        .setQos(1)
        .setBroker("broker-1")
        .setReceivedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
        .build();
  }

  /**
   * An event of the device the test calls {@code name} whose id the device chose, as the bridge
   * writes it: the MQTT 5 user property eventId becomes the event id and stays a user property.
   */
  DeviceEvent eventWithId(String name, String eventId, Instant receivedAt) {
    return DeviceEvent.newBuilder(event(name, 0))
        .setEventId(eventId)
        .setPayload(
            ByteBuffer.wrap(("{\"id\":\"" + eventId + "\"}").getBytes(StandardCharsets.UTF_8)))
        .setUserProperties(Map.of("eventId", eventId))
        .setReceivedAt(receivedAt)
        .build();
  }

  void sendShadow(DeviceShadow shadow) {
    send(
        shadowsTopic,
        shadow.getDeviceId(),
        shadowSerde.serializer().serialize(shadowsTopic, shadow));
  }

  void sendTombstone(String name) {
    send(shadowsTopic, device(name), null);
  }

  void sendEvent(DeviceEvent event) {
    send(eventsTopic, event.getDeviceId(), eventSerde.serializer().serialize(eventsTopic, event));
  }

  void send(String topic, String key, byte[] value) {
    producer.send(new ProducerRecord<>(topic, key, value));
  }

  void flush() {
    producer.flush();
  }

  /** The classic shadow's version of every device of this test bed that has one, by name. */
  Map<String, Long> classicVersions(CqlSession session) {
    Map<String, Long> versions = new HashMap<>();
    for (Row row :
        session.execute("SELECT device_id, shadow_name, version FROM " + keyspace + ".shadows")) {
      String deviceId = row.getString("device_id");
      if (deviceId.startsWith(devicePrefix)
          && row.getString("shadow_name") != null
          && row.getString("shadow_name").isEmpty()) {
        versions.put(deviceId.substring(devicePrefix.length()), row.getLong("version"));
      }
    }
    return versions;
  }

  /** The events of this test bed's devices. */
  long eventCount(CqlSession session) {
    long count = 0;
    for (Row row : session.execute("SELECT device_id FROM " + keyspace + ".device_events")) {
      if (row.getString("device_id").startsWith(devicePrefix)) {
        count++;
      }
    }
    return count;
  }

  /**
   * The dead letters of this test bed's topics: the {@link DeadLetter}s the sink's errant record
   * reporter wrote, with the Connect context header that names the source topic.
   */
  List<DeadLetter> deadLetters() {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<DeadLetter> found = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.DEAD_LETTER.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record :
            consumer.poll(java.time.Duration.ofMillis(500))) {
          // Other modules' tests write letters too, without Connect's headers.
          String origin = header(record, "__connect.errors.topic");
          if (origin != null && Set.of(shadowsTopic, eventsTopic).contains(origin)) {
            found.add(deadLetterSerde.deserializer().deserialize(record.topic(), record.value()));
          }
        }
      }
    }
    return found;
  }

  static String header(ConsumerRecord<?, ?> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    producer.close();
    shadowSerde.close();
    eventSerde.close();
    deadLetterSerde.close();
  }
}
