package org.iotbackbone.localstack.internal.fuzz;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.iotbackbone.schemas.registry.ConfluentRegistryClient;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.Topics;

/**
 * Records with broken Avro written straight into the topics the platform reads (shadow requests,
 * commands, presence, command events, shadow responses), each under a key of its own: an empty
 * value, a wrong magic byte, an unknown schema id, the topic's real schema id with a body too short
 * to be a record, a null value. Accounted for means a dead letter naming the input's topic and key,
 * from whichever part reads that topic.
 */
final class KafkaDoor {

  static final String DOOR = "kafka";

  /** The topics the design names as inputs of the platform's parts. */
  static final List<TopicDefinition<?>> INPUT_TOPICS =
      List.of(
          Topics.SHADOW_REQUESTS,
          Topics.COMMANDS,
          Topics.DEVICE_PRESENCE,
          Topics.COMMAND_EVENTS,
          Topics.SHADOW_RESPONSES);

  private final Map<String, Object> kafka;
  private final RegistryConfig registry;
  private final String runId;
  private final long seed;
  private final Ledger ledger;

  KafkaDoor(
      Map<String, Object> kafka, RegistryConfig registry, String runId, long seed, Ledger ledger) {
    this.kafka = kafka;
    this.registry = registry;
    this.runId = runId;
    this.seed = seed;
    this.ledger = ledger;
  }

  void run(int count) throws InterruptedException {
    Map<String, Integer> schemaIds = schemaIds();
    Properties config = new Properties();
    config.putAll(kafka);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    Semaphore window = new Semaphore(1000);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      for (int n = 0; n < count; n++) {
        Random random = Inputs.forInput(seed, DOOR, n);
        String topic = INPUT_TOPICS.get(random.nextInt(INPUT_TOPICS.size())).name();
        String key = runId + "-k" + n;
        String[] kind = new String[1];
        byte[] value = value(random, schemaIds.getOrDefault(topic, 1), kind);
        ledger.input(DOOR);
        long input = n;
        String description =
            "kafka#"
                + n
                + " "
                + kind[0]
                + " ("
                + (value == null ? "null" : value.length + " bytes")
                + ") to "
                + topic;
        window.acquire();
        producer.send(
            new ProducerRecord<>(topic, key, value),
            (metadata, error) -> {
              window.release();
              if (error != null) {
                ledger.outcome(
                    DOOR,
                    description,
                    "refused by Kafka (" + error.getClass().getSimpleName() + ")");
              } else {
                ledger.expectKafka(topic, key, new Ledger.Sent(DOOR, input, 1, description));
              }
            });
      }
      producer.flush();
    }
  }

  private static byte[] value(Random random, int realId, String[] kind) {
    switch (random.nextInt(7)) {
      case 0 -> {
        kind[0] = "empty value";
        return new byte[0];
      }
      case 1 -> {
        kind[0] = "wrong magic byte";
        byte[] value = Inputs.bytes(random, 1 + random.nextInt(200));
        value[0] = (byte) (1 + random.nextInt(255));
        return value;
      }
      case 2 -> {
        kind[0] = "unknown schema id";
        return frame(
            0x7FFF0000 + random.nextInt(0xFFFF), Inputs.bytes(random, random.nextInt(200)));
      }
      case 3 -> {
        kind[0] = "real schema id, truncated body";
        return frame(realId, Inputs.bytes(random, random.nextInt(4)));
      }
      case 4 -> {
        kind[0] = "frame shorter than its header";
        return java.util.Arrays.copyOf(frame(realId, new byte[0]), 1 + random.nextInt(4));
      }
      case 5 -> {
        kind[0] = "not Avro (JSON)";
        return Inputs.utf8(Inputs.shadowDocument(random));
      }
      default -> {
        kind[0] = "null value (tombstone)";
        return null;
      }
    }
  }

  private static byte[] frame(int schemaId, byte[] body) {
    return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(schemaId).put(body).array();
  }

  /**
   * The schema id each input topic's values carry, from the registry's Confluent-compatible API; 1
   * when it cannot be read, which only makes those inputs "unknown id".
   */
  private Map<String, Integer> schemaIds() {
    Map<String, Integer> ids = new HashMap<>();
    ConfluentRegistryClient client = new ConfluentRegistryClient(confluentApi(registry));
    for (TopicDefinition<?> topic : INPUT_TOPICS) {
      try {
        client
            .idOf(topic.valueSubject(), topic.valueSchema())
            .ifPresent(id -> ids.put(topic.name(), id));
      } catch (RuntimeException e) {
        // left out: see above
      }
    }
    return ids;
  }

  /** The registry's Confluent API, beside its Apicurio one when that is what is configured. */
  private static RegistryConfig confluentApi(RegistryConfig registry) {
    return registry.api() == RegistryConfig.Api.CONFLUENT
        ? registry
        : RegistryConfig.of(registry.url().replaceAll("/apis/registry/v3/?$", "/apis/ccompat/v7"))
            .withBasicAuth(registry.basicAuthUserInfo())
            .withTrustStore(registry.trustStore());
  }
}
