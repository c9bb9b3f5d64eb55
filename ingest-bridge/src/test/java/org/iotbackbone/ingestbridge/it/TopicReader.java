package org.iotbackbone.ingestbridge.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a topic from the beginning, every partition, keeping the values a filter accepts; each
 * {@link #values()} call reads what arrived since the last one. Not thread-safe.
 *
 * <p>A record that cannot be read is read again on the next call: the registry lookup of a new
 * schema id can fail on a loaded machine, and skipping such a record would look like a message the
 * bridge lost. Only a record that fails {@value #ATTEMPTS} times (another module's record this test
 * cannot read) is skipped, with a log line.
 */
final class TopicReader<V extends SpecificRecord> implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private static final Logger LOG = LoggerFactory.getLogger(TopicReader.class);
  private static final int ATTEMPTS = 5;

  private final Deserializer<V> deserializer;
  private final TopicDefinition<V> topic;
  private final Predicate<V> filter;
  private final List<V> values = new ArrayList<>();
  private final List<String> keys = new ArrayList<>();
  private final Map<String, Integer> failures = new HashMap<>();

  TopicReader(
      String bootstrapServers, String registryUrl, TopicDefinition<V> topic, Predicate<V> filter) {
    this.topic = topic;
    this.filter = filter;
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "reader-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    this.deserializer =
        RegistrySerdes.valueSerde(topic, RegistryConfig.of(registryUrl)).deserializer();
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic.name(), Duration.ofSeconds(60)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Every accepted value read so far, in partition order. */
  List<V> values() {
    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
    for (TopicPartition partition : records.partitions()) {
      for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
        V value;
        try {
          value = deserializer.deserialize(topic.name(), record.value());
        } catch (RuntimeException e) {
          String at = partition + "@" + record.offset();
          int attempts = failures.merge(at, 1, Integer::sum);
          if (attempts < ATTEMPTS) {
            // Read this partition again from here on the next call.
            consumer.seek(partition, record.offset());
            break;
          }
          LOG.warn("skipped the record at {} after {} attempts: {}", at, attempts, e.toString());
          continue;
        }
        if (filter.test(value)) {
          values.add(value);
          keys.add(record.key());
        }
      }
    }
    return values;
  }

  /** The keys of the values read so far, in the same order; {@link #values()} reads. */
  List<String> keys() {
    return keys;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
