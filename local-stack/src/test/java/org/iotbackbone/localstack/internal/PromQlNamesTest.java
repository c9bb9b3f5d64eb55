package org.iotbackbone.localstack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PromQlNamesTest {

  @Test
  void aBareSelectorAndOneWithMatchers() {
    assertThat(PromQlNames.of("up")).containsExactly("up");
    assertThat(PromQlNames.of("up{job=\"bridge\", instance!~\"10\\\\..*\"} == 0"))
        .containsExactly("up");
  }

  @Test
  void functionsAggregationsAndLabelListsAreNotNames() {
    assertThat(
            PromQlNames.of(
                "histogram_quantile(0.99, sum by (le, job) (rate(bridge_kafka_send_seconds_bucket"
                    + "[$__rate_interval])))"))
        .containsExactly("bridge_kafka_send_seconds_bucket");
    assertThat(PromQlNames.of("sum without(instance)(x_total) / ignoring (code) group_left(a) y"))
        .containsExactly("x_total", "y");
    assertThat(PromQlNames.of("max by(job) (a) and on (instance) b > bool 0 or c unless d"))
        .containsExactly("a", "b", "c", "d");
    assertThat(PromQlNames.of("sum (rate (a[5m])) by (group)")).containsExactly("a");
    // A label named like a keyword in a matcher, and a function's string arguments.
    assertThat(
            PromQlNames.of(
                "label_replace(m{by=\"x\", on='y'}, \"dst\", \"$1\", \"src\", \"(sum|count)\")"))
        .containsExactly("m");
  }

  @Test
  void rangesSubqueriesOffsetsAndNumbersAreNotNames() {
    assertThat(PromQlNames.of("delta(lag[10m]) offset 1h30m > 1e3")).containsExactly("lag");
    assertThat(PromQlNames.of("max_over_time(deriv(g[5m])[1h:1m] offset -5m @ start())"))
        .containsExactly("g");
    assertThat(PromQlNames.of("0 * max(a) + .5 - 0x1F + Inf + NaN")).containsExactly("a");
  }

  @Test
  void recordingRuleNamesWithColonsAndNameMatchers() {
    assertThat(PromQlNames.of("job:requests:rate5m{job=\"a\"} / {__name__=\"b_total\"}"))
        .containsExactly("b_total", "job:requests:rate5m");
  }

  @Test
  void grafanaVariablesAndCommentsAreNotNames() {
    assertThat(PromQlNames.of("rate(x[$__rate_interval]) * ${factor} # per second\n+ $y"))
        .containsExactly("x");
  }

  @Test
  void aMultiLineRule() {
    assertThat(
            PromQlNames.of(
                """
                (
                  sum by (instance) (rate(bridge_downlink_messages_total[5m]))
                  or
                  0 * max by (instance) (bridge_uplink_inflight)
                ) == 0
                and on (instance)
                max by (instance) (kafka_consumer_fetch_manager_records_lag_max{job="bridge"}) > 0
                """))
        .containsExactly(
            "bridge_downlink_messages_total",
            "bridge_uplink_inflight",
            "kafka_consumer_fetch_manager_records_lag_max");
  }

  @Test
  void refusesWhatNamesNoOneMetricAndWhatIsNotClosed() {
    assertThatThrownBy(() -> PromQlNames.of("{__name__=~\"bridge_.*\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names no one metric");
    assertThatThrownBy(() -> PromQlNames.of("up{job=\"a}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no closing");
    assertThatThrownBy(() -> PromQlNames.of("rate(x[5m)"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no closing ]");
    assertThatThrownBy(() -> PromQlNames.of("up{job=bridge}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a string");
  }
}
