package org.iotbackbone.connectors.internal;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.iotbackbone.schemas.DeadLetterReason;

/**
 * The sink task's own metrics, registered through Connect's plugin metrics (KIP-877): the worker
 * adds its {@code connector} and {@code task} tags and publishes them in its metrics registry, so
 * they reach JMX as {@code kafka.connect:type=plugins,connector=C,task=T[,reason=R]} and, through
 * the rules of {@code strimzi/base/connect/connect-metrics.yaml}, Prometheus as {@code
 * kafka_connect_scylla_sink_*}. The worker removes them when the task stops.
 *
 * <p>Every sensor is recorded from the task's thread except the write sensors, which driver threads
 * record; Kafka's sensors are thread-safe.
 */
public final class SinkMetrics {

  /** The names of the metrics, as JMX attributes; the Prometheus names replace '-' by '_'. */
  public static final String WRITES = "writes-total";

  public static final String ROWS_WRITTEN = "rows-written-total";
  public static final String WRITE_LATENCY_AVG = "write-latency-avg-ms";
  public static final String WRITE_LATENCY_MAX = "write-latency-max-ms";
  public static final String RETRIES = "retries-total";
  public static final String COALESCED = "coalesced-writes-total";
  public static final String DEAD_LETTERS = "dead-letters-total";

  /** The tag of the dead-letter counters: the {@link DeadLetterReason}'s name. */
  public static final String REASON_TAG = "reason";

  private final Sensor writes;
  private final Sensor rowsWritten;
  private final Sensor retries;
  private final Sensor coalesced;
  private final Map<DeadLetterReason, Sensor> deadLetters = new EnumMap<>(DeadLetterReason.class);

  public SinkMetrics(PluginMetrics metrics) {
    // Sensor names are global in the worker: a task of its own prefix keeps two tasks (or a task
    // restarted before its predecessor's metrics are gone) from recording into each other's.
    String prefix = "scylla-sink-" + UUID.randomUUID() + "-";
    writes = metrics.addSensor(prefix + "writes");
    writes.add(
        metrics.metricName(WRITES, "CQL writes (statements or batches) that succeeded", tags()),
        new CumulativeCount());
    writes.add(
        metrics.metricName(
            WRITE_LATENCY_AVG,
            "Average time of a successful CQL write, from sending to its answer, in ms",
            tags()),
        new Avg());
    writes.add(
        metrics.metricName(
            WRITE_LATENCY_MAX,
            "Longest time of a successful CQL write in the sample window, in ms",
            tags()),
        new Max());
    rowsWritten = metrics.addSensor(prefix + "rows");
    rowsWritten.add(
        metrics.metricName(ROWS_WRITTEN, "Rows the successful CQL writes wrote", tags()),
        new CumulativeSum());
    retries = metrics.addSensor(prefix + "retries");
    retries.add(
        metrics.metricName(
            RETRIES,
            "Batches handed back to Connect to retry after a pause (ScyllaDB or the registry"
                + " unavailable)",
            tags()),
        new CumulativeCount());
    coalesced = metrics.addSensor(prefix + "coalesced");
    coalesced.add(
        metrics.metricName(
            COALESCED,
            "Shadow changes not written because a newer change of the same device was in the batch",
            tags()),
        new CumulativeSum());
    // Every reason from the start, at zero: a counter that appears only at its first increment
    // hides that increment from rate().
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      LinkedHashMap<String, String> tags = tags();
      tags.put(REASON_TAG, reason.name());
      Sensor sensor = metrics.addSensor(prefix + "dead-letters-" + reason.name());
      sensor.add(
          metrics.metricName(DEAD_LETTERS, "Records sent to the dead-letter topic", tags),
          new CumulativeCount());
      deadLetters.put(reason, sensor);
    }
  }

  private static LinkedHashMap<String, String> tags() {
    return new LinkedHashMap<>();
  }

  /** A CQL write that succeeded, writing {@code rows} rows, answered after {@code nanos}. */
  public void written(int rows, long nanos) {
    writes.record(nanos / 1_000_000.0);
    rowsWritten.record(rows);
  }

  /** A batch handed back to Connect to be retried. */
  public void retried() {
    retries.record();
  }

  /** Shadow changes coalesced away in one batch. */
  public void coalesced(int changes) {
    if (changes > 0) {
      coalesced.record(changes);
    }
  }

  /** A record sent to the dead-letter topic. */
  public void deadLettered(DeadLetterReason reason) {
    deadLetters.get(reason).record();
  }
}
