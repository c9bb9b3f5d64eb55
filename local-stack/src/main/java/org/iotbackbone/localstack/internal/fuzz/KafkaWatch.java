package org.iotbackbone.localstack.internal.fuzz;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.iotbackbone.schemas.CommandEvent;
import org.iotbackbone.schemas.CommandStatus;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeviceEvent;
import org.iotbackbone.schemas.PresenceEvent;
import org.iotbackbone.schemas.RequestSource;
import org.iotbackbone.schemas.ShadowRequest;
import org.iotbackbone.schemas.ShadowResponse;
import org.iotbackbone.schemas.ShadowResponseType;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.Topics;

/**
 * Reads what the platform wrote during a run, from the offsets the topics had when it started, and
 * tells the {@link Ledger} which record or dead letter answers which input: the MQTT topic a bridge
 * record names (events, device shadow requests, command acks, presence) or a dead letter's source;
 * for the Kafka door's inputs, a dead letter's source topic and key.
 */
final class KafkaWatch implements AutoCloseable {

  private static final List<TopicDefinition<?>> WATCHED =
      List.of(
          Topics.DEVICE_EVENTS,
          Topics.SHADOW_REQUESTS,
          Topics.COMMAND_EVENTS,
          Topics.DEVICE_PRESENCE,
          Topics.SHADOW_RESPONSES,
          Topics.DEAD_LETTER);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, Deserializer<?>> values = new HashMap<>();
  private final String kafkaInputKeyPrefix;
  private final Map<TopicPartition, Long> start = new HashMap<>();

  /** Marks where each watched topic ends now: only what is written after is read. */
  KafkaWatch(Map<String, Object> kafka, RegistryConfig registry, String runId) {
    Properties config = new Properties();
    config.putAll(kafka);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (TopicDefinition<?> topic : WATCHED) {
      for (PartitionInfo info : consumer.partitionsFor(topic.name(), Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(info.topic(), info.partition()));
      }
      values.put(topic.name(), RegistrySerdes.valueSerde(topic, registry).deserializer());
    }
    consumer.assign(partitions);
    start.putAll(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
    start.forEach(consumer::seek);
    this.kafkaInputKeyPrefix = runId + "-k";
  }

  /**
   * Reads until every expected input is found, or nothing new about this run's inputs came for
   * {@code quiet}, or {@code max} has passed.
   */
  void drain(Ledger ledger, Duration quiet, Duration max, Consumer<String> progress) {
    long end = System.nanoTime() + max.toNanos();
    long lastNews = System.nanoTime();
    long seen = 0;
    long lastReport = System.nanoTime();
    while (System.nanoTime() < end && System.nanoTime() - lastNews < quiet.toNanos()) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
        if (take(record, ledger)) {
          lastNews = System.nanoTime();
          seen++;
        }
      }
      if (ledger.allFound()) {
        progress.accept("every expected input found in Kafka (" + seen + " records)");
        return;
      }
      if (System.nanoTime() - lastReport > 10_000_000_000L) {
        lastReport = System.nanoTime();
        progress.accept("reading Kafka: " + seen + " records of this run so far");
      }
    }
    progress.accept("stopped reading Kafka after " + seen + " records of this run");
  }

  private boolean take(ConsumerRecord<byte[], byte[]> record, Ledger ledger) {
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    if (record.value() == null
        || (key != null
            && key.startsWith(kafkaInputKeyPrefix)
            && !record.topic().equals(Topics.DEAD_LETTER.name()))) {
      return false; // a Kafka-door input itself, not an answer
    }
    Object value;
    try {
      value = values.get(record.topic()).deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      return false; // someone else's broken record
    }
    if (value instanceof DeviceEvent event) {
      return ledger.foundMqtt(event.getMqttTopic(), "record " + record.topic());
    } else if (value instanceof ShadowRequest request) {
      if (request.getSource() == RequestSource.DEVICE
          && ledger.foundMqtt(request.getMqttTopic(), "record " + record.topic())) {
        ledger.expectShadowAnswer(request.getRequestId(), request.getMqttTopic());
        return true;
      }
      return false;
    } else if (value instanceof ShadowResponse response) {
      if (response.getSource() == RequestSource.DEVICE
          && (response.getType() == ShadowResponseType.ACCEPTED
              || response.getType() == ShadowResponseType.REJECTED)) {
        ledger.shadowAnswered(
            response.getRequestId(),
            response.getType() == ShadowResponseType.ACCEPTED
                ? "accepted"
                : "rejected " + response.getCode());
      }
      return false;
    } else if (value instanceof CommandEvent event) {
      return event.getStatus() != CommandStatus.DELIVERED
          && event.getStatus() != CommandStatus.EXPIRED
          && ledger.foundMqtt(
              "devices/" + event.getDeviceId() + "/commands/" + event.getCommandId() + "/ack",
              "record " + record.topic());
    } else if (value instanceof PresenceEvent event) {
      return ledger.foundMqtt(
          "devices/" + event.getDeviceId() + "/presence", "record " + record.topic());
    } else if (value instanceof DeadLetter letter) {
      String kind = "dead letter " + letter.getReasonCode();
      if (Topics.SHADOW_REQUESTS.name().equals(letter.getSourceTopic())
          && letter.getPayload() != null
          && (key == null || !key.startsWith(kafkaInputKeyPrefix))) {
        // A shadow request the streams app gave up on: its payload is the request's record.
        try {
          byte[] raw = new byte[letter.getPayload().remaining()];
          letter.getPayload().duplicate().get(raw);
          Object request =
              values
                  .get(Topics.SHADOW_REQUESTS.name())
                  .deserialize(Topics.SHADOW_REQUESTS.name(), raw);
          if (request instanceof ShadowRequest r) {
            ledger.shadowAnswered(r.getRequestId(), kind + " (" + letter.getOrigin() + ")");
          }
        } catch (RuntimeException e) {
          // not a request record (a Kafka-door input): handled below
        }
      }
      if (letter.getSourcePartition() == null) {
        return ledger.foundMqtt(letter.getSourceTopic(), kind);
      }
      String letterKey =
          letter.getKey() == null
              ? key
              : StandardCharsets.UTF_8.decode(letter.getKey().duplicate()).toString();
      return ledger.foundKafka(
          letter.getSourceTopic(), letterKey, kind + " (" + letter.getOrigin() + ")");
    }
    return false;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
