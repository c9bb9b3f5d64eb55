package org.iotbackbone.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.iotbackbone.schemas.DeviceEvent;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.config.KafkaClientSettings;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.simulator.Count;
import org.iotbackbone.simulator.Leg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the platform made of the devices' traffic, as a downstream consumer would: the events
 * topic and the shadow changelog, from their ends when the run starts, keeping only this run's
 * devices (by id prefix). It times each record against the {@code sentAtUs} its payload carries and
 * remembers which event sequence numbers arrived, so that loss is counted, not guessed.
 */
public final class PipelineWatch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PipelineWatch.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ATTEMPTS = 5;

  private final KafkaConsumer<String, byte[]> consumer;
  private final Deserializer<DeviceEvent> events;
  private final Deserializer<DeviceShadow> shadows;
  private final String devicePrefix;
  private final Metrics metrics;
  private final Map<String, BitSet> arrived = new ConcurrentHashMap<>();
  private final Thread thread;
  // The record that failed last, and how often in a row (only the watch's thread uses these).
  private TopicPartition failedIn;
  private long failedAt = -1;
  private int failures;

  /** A watch of the brokers of {@code kafka}, with its {@code kafka.*} settings. */
  public PipelineWatch(
      KafkaClientSettings kafka, RegistryConfig registry, String devicePrefix, Metrics metrics) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    this.consumer =
        new KafkaConsumer<>(
            kafka.config(config), new StringDeserializer(), new ByteArrayDeserializer());
    this.events = RegistrySerdes.valueSerde(Topics.DEVICE_EVENTS, registry).deserializer();
    this.shadows = RegistrySerdes.valueSerde(Topics.SHADOW_STATE, registry).deserializer();
    this.devicePrefix = devicePrefix;
    this.metrics = metrics;
    this.thread = new Thread(this::run, "pipeline-watch");
    thread.setDaemon(true);
  }

  /**
   * Starts reading at the topics' ends as of now. The partitions are assigned, not subscribed: a
   * consumer group's join would delay the start by seconds and is of no use to one reader.
   */
  public void start(Duration timeout) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(Topics.DEVICE_EVENTS.name(), Topics.SHADOW_STATE.name())) {
      consumer
          .partitionsFor(topic, timeout)
          .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    // Resolved now, before the devices publish: "the end" means the end as of this moment.
    partitions.forEach(partition -> consumer.position(partition, timeout));
    thread.start();
  }

  /** How many distinct events of this device arrived. */
  public long distinctEvents() {
    return arrived.values().stream().mapToLong(BitSet::cardinality).sum();
  }

  private void run() {
    try {
      while (true) {
        var records = consumer.poll(Duration.ofMillis(200));
        for (TopicPartition partition : records.partitions()) {
          for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
            if (record.key() == null || !record.key().startsWith(devicePrefix)) {
              continue;
            }
            if (!read(partition, record)) {
              // Read this partition again from here on the next poll.
              consumer.seek(partition, record.offset());
              break;
            }
          }
        }
      }
    } catch (WakeupException e) {
      // close()
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
    }
  }

  /**
   * Reads one of this run's records; false when it should be read again. A record of this run's
   * devices that cannot be read is most likely a registry lookup that failed on a loaded machine:
   * skipping it would count a lost event that was not lost. After {@value #ATTEMPTS} tries it is
   * skipped, with a log line, and its event counts as not arrived.
   */
  private boolean read(TopicPartition partition, ConsumerRecord<String, byte[]> record) {
    long now = Clock.micros();
    try {
      if (record.topic().equals(Topics.DEVICE_EVENTS.name())) {
        onEvent(record, now);
      } else if (record.value() != null) {
        onShadow(record, now);
      }
      failedAt = -1;
      return true;
    } catch (RuntimeException e) {
      if (record.offset() != failedAt || !partition.equals(failedIn)) {
        failedIn = partition;
        failedAt = record.offset();
        failures = 0;
      }
      if (++failures < ATTEMPTS) {
        return false;
      }
      LOG.warn(
          "skipped an unreadable record at {}@{}: {}", partition, record.offset(), e.toString());
      failedAt = -1;
      return true;
    }
  }

  private void onEvent(ConsumerRecord<String, byte[]> record, long now) {
    DeviceEvent event = events.deserialize(record.topic(), record.value());
    ByteBuffer payload = event.getPayload().duplicate();
    byte[] bytes = new byte[payload.remaining()];
    payload.get(bytes);
    JsonNode body = readJson(bytes);
    long sentAt = body.path("sentAtUs").asLong(0);
    long seq = body.path("seq").asLong(-1);
    if (sentAt == 0 || seq < 0 || seq > Integer.MAX_VALUE) {
      return;
    }
    BitSet seen = arrived.computeIfAbsent(record.key(), k -> new BitSet());
    synchronized (seen) {
      if (seen.get((int) seq)) {
        // A redelivery (at-least-once): arrived once, and counted as a duplicate.
        metrics.count(Count.EVENTS_DUPLICATED);
        return;
      }
      seen.set((int) seq);
    }
    metrics.count(Count.EVENTS_ARRIVED);
    metrics.record(Leg.EVENT_TO_KAFKA, now - sentAt);
  }

  private void onShadow(ConsumerRecord<String, byte[]> record, long now) {
    DeviceShadow shadow = shadows.deserialize(record.topic(), record.value());
    if (shadow.getClassic() == null || shadow.getClassic().getReported() == null) {
      return;
    }
    long sentAt = readJson(shadow.getClassic().getReported()).path("sentAtUs").asLong(0);
    if (sentAt > 0) {
      metrics.count(Count.UPDATES_IN_CHANGELOG);
      metrics.record(Leg.UPDATE_TO_CHANGELOG, now - sentAt);
    }
  }

  private static JsonNode readJson(Object text) {
    try {
      return text instanceof byte[] bytes ? JSON.readTree(bytes) : JSON.readTree(text.toString());
    } catch (Exception e) {
      return JSON.missingNode();
    }
  }

  @Override
  public void close() {
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
