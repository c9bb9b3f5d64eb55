package org.iotbackbone.connectors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.iotbackbone.schemas.DeadLetterReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sink's metrics on Kafka's own metrics registry, tagged as Connect tags a task's. */
class SinkMetricsTest {

  private final Metrics registry = new Metrics();

  @AfterEach
  void close() {
    registry.close();
  }

  private SinkMetrics task(String task) {
    return new SinkMetrics(new PluginMetricsImpl(registry, Map.of("connector", "c", "task", task)));
  }

  private double value(String task, String name, String... tags) {
    LinkedHashMap<String, String> all = new LinkedHashMap<>();
    all.put("connector", "c");
    all.put("task", task);
    for (int i = 0; i + 1 < tags.length; i += 2) {
      all.put(tags[i], tags[i + 1]);
    }
    return (double) registry.metric(new MetricName(name, "plugins", "", all)).metricValue();
  }

  @Test
  void countsWhatItIsTold() {
    SinkMetrics metrics = task("0");
    metrics.written(3, 2_000_000);
    metrics.written(1, 4_000_000);
    metrics.coalesced(5);
    metrics.coalesced(0);
    metrics.retried();
    metrics.deadLettered(DeadLetterReason.WRITE_FAILED);

    assertThat(value("0", SinkMetrics.WRITES)).isEqualTo(2.0);
    assertThat(value("0", SinkMetrics.ROWS_WRITTEN)).isEqualTo(4.0);
    assertThat(value("0", SinkMetrics.WRITE_LATENCY_AVG)).isEqualTo(3.0);
    assertThat(value("0", SinkMetrics.WRITE_LATENCY_MAX)).isEqualTo(4.0);
    assertThat(value("0", SinkMetrics.COALESCED)).isEqualTo(5.0);
    assertThat(value("0", SinkMetrics.RETRIES)).isEqualTo(1.0);
    assertThat(value("0", SinkMetrics.DEAD_LETTERS, SinkMetrics.REASON_TAG, "WRITE_FAILED"))
        .isEqualTo(1.0);
  }

  @Test
  void everyReasonStartsAtZero() {
    task("0");
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      assertThat(value("0", SinkMetrics.DEAD_LETTERS, SinkMetrics.REASON_TAG, reason.name()))
          .isZero();
    }
  }

  @Test
  void twoTasksOfOneWorkerCountApart() {
    // The worker's sensors are shared by name: each task must register sensors of its own.
    SinkMetrics first = task("0");
    task("1");
    first.written(1, 1_000_000);
    first.deadLettered(DeadLetterReason.INVALID_DEVICE_ID);

    assertThat(value("0", SinkMetrics.WRITES)).isEqualTo(1.0);
    assertThat(value("1", SinkMetrics.WRITES)).isZero();
    assertThat(value("1", SinkMetrics.DEAD_LETTERS, SinkMetrics.REASON_TAG, "INVALID_DEVICE_ID"))
        .isZero();
  }
}
