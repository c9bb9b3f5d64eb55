package org.iotbackbone.simulator.internal;

import org.iotbackbone.simulator.Count;
import org.iotbackbone.simulator.Leg;
import org.iotbackbone.simulator.Scenario;
import org.iotbackbone.simulator.internal.Metrics.Sample;

/**
 * The live line of a run: a second's throughput, latencies and connections; in a rollout, what the
 * devices did with the job.
 */
public final class ProgressLine {

  private final Scenario scenario;
  private final Metrics metrics;

  public ProgressLine(Scenario scenario, Metrics metrics) {
    this.scenario = scenario;
    this.metrics = metrics;
  }

  public String format(Sample sample, String devicePrefix) {
    if (!scenario.rollout().enabled()) {
      return load(sample);
    }
    // A rollout: what the devices did with the job so far.
    long started = metrics.total(Count.JOBS_STARTED);
    long succeeded = metrics.total(Count.JOBS_SUCCEEDED);
    long failed = metrics.total(Count.JOBS_FAILED);
    return String.format(
        "%4ds  connected %d/%d  job: notified %d, in progress %d, succeeded %d, failed %d,"
            + " silent %d",
        sample.atMillis() / 1000,
        sample.connected(),
        scenario.devices(),
        metrics.total(Count.JOBS_NOTIFIED),
        started - succeeded - failed - metrics.total(Count.JOBS_ABANDONED),
        succeeded,
        failed,
        metrics.total(Count.JOBS_SILENT));
  }

  private String load(Sample sample) {
    return String.format(
        "%4ds  connected %d/%d  events %.0f/s sent, %.0f/s in Kafka (p99 %s)"
            + "  shadow %.0f/s (round trip p99 %s)  commands %.0f/s (p99 %s)  publish failures %d",
        sample.atMillis() / 1000,
        sample.connected(),
        scenario.devices(),
        sample.rates().get(Count.EVENTS_SENT),
        sample.rates().get(Count.EVENTS_ARRIVED),
        p99(sample, Leg.EVENT_TO_KAFKA),
        sample.rates().get(Count.UPDATES_SENT),
        p99(sample, Leg.SHADOW_ROUND_TRIP),
        sample.rates().get(Count.COMMANDS_RECEIVED),
        p99(sample, Leg.COMMAND_ROUND_TRIP),
        Math.max(0, metrics.total(Count.PUBLISH_FAILURES)));
  }

  private static String p99(Sample sample, Leg leg) {
    long[] values = sample.latencies().get(leg);
    return values == null ? "-" : String.format("%.1f ms", values[1] / 1000.0);
  }
}
