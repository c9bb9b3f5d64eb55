package org.iotbackbone.ingestbridge.internal.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.iotbackbone.schemas.DeadLetterReason;
import org.junit.jupiter.api.Test;

/** What a scrape shows before anything happened, and the readiness gauge. */
class BridgeMetricsTest {

  @Test
  void rareEventCountersAreExposedAtZeroBeforeTheirFirstEvent() {
    BridgeMetrics metrics = new BridgeMetrics();
    try {
      metrics.expectReconnects("mqtt:a");
      String scrape = metrics.scrape();

      for (DeadLetterReason reason : DeadLetterReason.values()) {
        assertThat(scrape)
            .contains("bridge_deadletters_total{reason=\"" + reason.name() + "\"} 0.0")
            .contains("bridge_uplink_dropped_total{reason=\"" + reason.name() + "\"} 0.0");
      }
      assertThat(scrape)
          .contains("bridge_downlink_restarts_total{loop=\"downlink\"} 0.0")
          .contains("bridge_reconnects_total{target=\"kafka\"} 0.0")
          .contains("bridge_reconnects_total{target=\"mqtt:a\"} 0.0");
      for (String operation : new String[] {"START_NEXT", "GET", "UPDATE"}) {
        assertThat(scrape)
            .contains("bridge_jobs_throttled_total{operation=\"" + operation + "\"} 0.0");
      }
      assertThat(scrape).doesNotContain("bridge_jobs_throttled_total{operation=\"UNKNOWN\"}");

      metrics.reconnect("mqtt:a");
      assertThat(metrics.count("bridge.reconnects", "target", "mqtt:a")).isEqualTo(1);
      metrics.jobsThrottled("START_NEXT");
      assertThat(metrics.count("bridge.jobs.throttled", "operation", "START_NEXT")).isEqualTo(1);
    } finally {
      metrics.close();
    }
  }

  @Test
  void readyFollowsTheBridgesReadiness() {
    BridgeMetrics metrics = new BridgeMetrics();
    try {
      AtomicBoolean ready = new AtomicBoolean();
      metrics.ready(ready::get);
      assertThat(metrics.scrape()).contains("bridge_ready 0.0");
      ready.set(true);
      assertThat(metrics.scrape()).contains("bridge_ready 1.0");
    } finally {
      metrics.close();
    }
  }
}
