package org.iotbackbone.connectors;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The properties of a Kafka Connect worker in distributed mode that runs this sink, as Strimzi runs
 * one: a group of its own with its three storage topics, string keys and byte-array values (the
 * sink decodes the registry's Avro itself), and the plugin found on the class path through its
 * {@code META-INF/services} entry ({@code plugin.discovery=service_load}, what Strimzi's images
 * default to) instead of scanning every jar.
 *
 * <pre>{@code
 * Map<String, String> worker =
 *     WorkerProperties.distributed("127.0.0.1:9092", "iot-connect", "http://127.0.0.1:8083")
 *         .with("offset.flush.interval.ms", "5000")
 *         .toMap();
 * }</pre>
 *
 * <p>The storage topics have replication factor 1 and one partition where Connect allows: these are
 * the workers of a single-broker local stack and of tests.
 */
public final class WorkerProperties {

  private final Map<String, String> properties = new LinkedHashMap<>();

  private WorkerProperties() {}

  /**
   * A worker of group {@code groupId} on {@code bootstrapServers}, its REST API on {@code listener}
   * ({@code http://127.0.0.1:0} for any free port).
   */
  public static WorkerProperties distributed(
      String bootstrapServers, String groupId, String listener) {
    WorkerProperties worker = new WorkerProperties();
    Map<String, String> props = worker.properties;
    props.put("bootstrap.servers", bootstrapServers);
    props.put("group.id", groupId);
    props.put("config.storage.topic", groupId + "-configs");
    props.put("offset.storage.topic", groupId + "-offsets");
    props.put("status.storage.topic", groupId + "-status");
    props.put("config.storage.replication.factor", "1");
    props.put("offset.storage.replication.factor", "1");
    props.put("status.storage.replication.factor", "1");
    props.put("offset.storage.partitions", "1");
    props.put("status.storage.partitions", "1");
    props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("listeners", listener);
    props.put("plugin.discovery", "service_load");
    // A worker whose membership expired (Kafka frozen or unreachable for longer than its session)
    // comes back as a new member, and the tasks it had count as lost: Connect holds them
    // unassigned for this long (default 5 minutes, for a worker restarting during a rolling
    // update) before it assigns them again. With one worker nobody else can take them; the
    // chaos suite found the sink idle for the whole 5 minutes after a 15-second Kafka freeze.
    props.put("scheduled.rebalance.max.delay.ms", "10000");
    return worker;
  }

  /** Sets (or overrides) one worker property. */
  public WorkerProperties with(String name, String value) {
    properties.put(name, value);
    return this;
  }

  /** The properties, in the order they were set. */
  public Map<String, String> toMap() {
    return new LinkedHashMap<>(properties);
  }
}
