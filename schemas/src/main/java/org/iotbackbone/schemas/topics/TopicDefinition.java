package org.iotbackbone.schemas.topics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One Kafka topic of the platform: its name, partitions, cleanup and retention, and the types of
 * its keys and values. Every key is a UTF-8 string: a device id, or a job id on the topics of a
 * job's own records ({@code iot.jobs}, {@code iot.job.requests}, {@code iot.job.status}); every
 * value is an Avro record.
 *
 * @param name the topic's name
 * @param valueType the generated Avro class of its values
 * @param partitions how many partitions; equal for every topic so that they are co-partitioned
 * @param cleanupPolicy delete or compact
 * @param retention how long records are kept; empty for Kafka's default (or forever, compacted)
 * @param description what the topic carries, for operators and generated resources
 * @param <V> the value type
 */
public record TopicDefinition<V extends SpecificRecord>(
    String name,
    Class<V> valueType,
    int partitions,
    CleanupPolicy cleanupPolicy,
    Optional<Duration> retention,
    String description) {

  public TopicDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(valueType, "valueType");
    Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(description, "description");
    if (partitions < 1) {
      throw new IllegalArgumentException(name + ": partitions must be at least 1: " + partitions);
    }
  }

  /** The Avro schema of the values. */
  public Schema valueSchema() {
    return SpecificData.get().getSchema(valueType);
  }

  /**
   * The schema registry subject of the values, by the Confluent TopicNameStrategy ({@code
   * topic-value}), which Apicurio's TopicIdStrategy produces too.
   */
  public String valueSubject() {
    return name + "-value";
  }

  /** The serde of the keys: device ids (or job ids) as UTF-8 strings. */
  public Serde<String> keySerde() {
    return Serdes.String();
  }

  /** The topic-level configs that differ from the broker's defaults. */
  public Map<String, String> configs() {
    Map<String, String> configs = new LinkedHashMap<>();
    configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy.configValue());
    retention.ifPresent(
        duration ->
            configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(duration.toMillis())));
    return configs;
  }

  /** The same topic with another partition count (see {@link Topics#all(int)}). */
  public TopicDefinition<V> withPartitions(int count) {
    return new TopicDefinition<>(name, valueType, count, cleanupPolicy, retention, description);
  }

  /**
   * The topic as the Kafka admin client creates it, with {@link #minInsyncReplicas} for its
   * replication factor: without it (the broker's default is 1) an {@code acks=all} write is
   * acknowledged by the leader alone once the followers fall behind, and a leader lost then loses
   * it.
   */
  public NewTopic newTopic(short replicationFactor) {
    Map<String, String> configs = configs();
    configs.put(
        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
        Integer.toString(minInsyncReplicas(replicationFactor)));
    return new NewTopic(name, partitions, replicationFactor).configs(configs);
  }

  /**
   * The {@code min.insync.replicas} of a topic with {@code replicationFactor} replicas: a majority
   * from 3 replicas on (2 of 3: a write survives the loss of any one broker, and one broker down
   * does not stop writes); 1 below, where a majority would stop writes whenever one broker is down.
   */
  public static int minInsyncReplicas(int replicationFactor) {
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "replication factor must be positive: " + replicationFactor);
    }
    return replicationFactor < 3 ? 1 : replicationFactor / 2 + 1;
  }
}
