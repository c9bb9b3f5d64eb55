package org.iotbackbone.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.iotbackbone.simulator.Count;
import org.iotbackbone.simulator.Leg;
import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void withoutAWarmUpEveryLatencyCounts() {
    Metrics metrics = new Metrics();
    metrics.record(Leg.COMMAND_ROUND_TRIP, 5_000);
    metrics.sample(1_000, 1.0);

    assertThat(metrics.total(Leg.COMMAND_ROUND_TRIP).getTotalCount()).isEqualTo(1);
  }

  @Test
  void theWarmUpsLatenciesShowInTheSeriesButNotInTheRunsPercentiles() {
    Metrics metrics = new Metrics(Duration.ofSeconds(2));
    // The ramp: connects count whatever the warm-up, nothing sent yet.
    metrics.record(Leg.CONNECT, 40_000);
    metrics.record(Leg.SHADOW_ROUND_TRIP, 900_000);
    metrics.sample(1_000, 1.0);
    // The load starts in the second that ends at 2 s: the warm-up runs to 3 s.
    metrics.count(Count.EVENTS_SENT);
    metrics.record(Leg.EVENT_TO_KAFKA, 800_000);
    Metrics.Sample first = metrics.sample(2_000, 1.0);
    metrics.record(Leg.EVENT_TO_KAFKA, 700_000);
    metrics.sample(3_000, 1.0);
    metrics.record(Leg.EVENT_TO_KAFKA, 10_000);
    metrics.sample(4_000, 1.0);

    assertThat(first.latencies().get(Leg.EVENT_TO_KAFKA)[1]).isGreaterThan(790_000);
    assertThat(metrics.total(Leg.EVENT_TO_KAFKA).getTotalCount()).isEqualTo(1);
    assertThat(metrics.total(Leg.EVENT_TO_KAFKA).getMaxValue()).isLessThan(11_000);
    assertThat(metrics.total(Leg.SHADOW_ROUND_TRIP).getTotalCount()).isZero();
    assertThat(metrics.total(Leg.CONNECT).getTotalCount()).isEqualTo(1);
  }

  @Test
  void anotherProcesssTotalsAddOnlyWhatChangedBetweenThem() {
    Metrics metrics = new Metrics();
    org.HdrHistogram.Histogram before = new org.HdrHistogram.Histogram(3_600_000_000L, 3);
    before.recordValue(1_000);
    before.recordValue(2_000);
    org.HdrHistogram.Histogram now = before.copy();
    now.recordValue(40_000);
    metrics.add(Leg.CONNECT, before, null);
    metrics.sample(1_000, 1.0);
    metrics.add(Leg.CONNECT, now, before);
    metrics.sample(2_000, 1.0);

    assertThat(metrics.total(Leg.CONNECT).getTotalCount()).isEqualTo(3);
    assertThat(metrics.samples().get(1).latencies().get(Leg.CONNECT)[2]).isEqualTo(1);
    assertThat(before.getTotalCount()).isEqualTo(2); // neither argument is changed
    assertThat(now.getTotalCount()).isEqualTo(3);
    org.HdrHistogram.Histogram shrunk = new org.HdrHistogram.Histogram(3_600_000_000L, 3);
    assertThatThrownBy(() -> metrics.add(Leg.CONNECT, shrunk, now))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void latenciesFromAnotherProcessAreWarmedUpTheSameWay() {
    Metrics metrics = new Metrics(Duration.ofSeconds(1));
    org.HdrHistogram.Histogram fromAPart = new org.HdrHistogram.Histogram(3);
    fromAPart.recordValue(500_000);
    metrics.add(Count.COMMANDS_SENT, 1);
    metrics.add(Leg.COMMAND_COMPLETED, fromAPart, null);
    metrics.sample(1_000, 1.0);
    fromAPart.reset();
    fromAPart.recordValue(20_000);
    metrics.add(Leg.COMMAND_COMPLETED, fromAPart, null);
    metrics.sample(2_000, 1.0);

    assertThat(metrics.total(Leg.COMMAND_COMPLETED).getTotalCount()).isEqualTo(1);
    assertThat(metrics.total(Leg.COMMAND_COMPLETED).getMaxValue()).isLessThan(21_000);
  }
}
