package org.iotbackbone.ingestbridge.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.TopicDefinition;

/**
 * Reads a topic from the beginning, every partition, keeping the values a filter accepts; each
 * {@link #values()} call reads what arrived since the last one. Not thread-safe.
 */
final class TopicReader<V extends SpecificRecord> implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private final Deserializer<V> deserializer;
  private final TopicDefinition<V> topic;
  private final Predicate<V> filter;
  private final List<V> values = new ArrayList<>();

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
    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
      V value;
      try {
        value = deserializer.deserialize(topic.name(), record.value());
      } catch (RuntimeException e) {
        continue; // another module's record this test cannot read
      }
      if (filter.test(value)) {
        values.add(value);
      }
    }
    return values;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
