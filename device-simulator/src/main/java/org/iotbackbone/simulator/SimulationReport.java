package org.iotbackbone.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.iotbackbone.simulator.internal.HtmlReport;
import org.iotbackbone.simulator.internal.Metrics;
import org.iotbackbone.simulator.internal.Metrics.Sample;
import org.iotbackbone.simulator.internal.RolloutText;

/**
 * What a run measured: totals, the latency of every leg (HdrHistogram percentiles), loss, and the
 * time series of the run a second at a time. {@link #write(Path)} writes {@code summary.json} and
 * {@code report.html} (plots a person can open).
 */
public final class SimulationReport {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Scenario scenario;
  private final String devicePrefix;
  private final Instant startedAt;
  private final Duration ramp;
  private final Duration load;
  private final Map<Count, Long> totals = new EnumMap<>(Count.class);
  private final Map<Leg, Histogram> latencies = new EnumMap<>(Leg.class);
  private final List<Sample> samples;
  private final String transport;
  private final String certificates;
  private final ObjectNode job;

  SimulationReport(
      Scenario scenario,
      String devicePrefix,
      Instant startedAt,
      Duration ramp,
      Duration load,
      Metrics metrics,
      String transport,
      String certificates,
      ObjectNode job) {
    this.scenario = scenario;
    this.devicePrefix = devicePrefix;
    this.startedAt = startedAt;
    this.ramp = ramp;
    this.load = load;
    for (Count count : Count.values()) {
      totals.put(count, metrics.total(count));
    }
    for (Leg leg : Leg.values()) {
      latencies.put(leg, metrics.total(leg));
    }
    this.samples = metrics.samples();
    this.transport = transport;
    this.certificates = certificates;
    this.job = job;
  }

  /**
   * The fleet job of a rollout run as its last {@code GET /jobs/{id}} described it ({@code status},
   * {@code reasonCode}, {@code jobProcessDetails}, ...) with {@code perSecond}, every description
   * the run took; empty for a run without a job.
   */
  public java.util.Optional<ObjectNode> job() {
    return java.util.Optional.ofNullable(job).map(ObjectNode::deepCopy);
  }

  /**
   * How the devices connected: {@code tls}, {@code wss}, {@code mixed} (half each), or {@code tcp}
   * (insecure).
   */
  public String transport() {
    return transport;
  }

  /** The prefix of the run's device ids. */
  public String devicePrefix() {
    return devicePrefix;
  }

  /** A counter's total (in the JSON summary under its lower-case name, {@code events_sent}). */
  public long total(Count count) {
    return totals.get(count);
  }

  /**
   * Events the devices published (the broker acknowledged them) that had not arrived in Kafka when
   * the run ended, after its drain time: lost, or late.
   */
  public long eventsLost() {
    return Math.max(0, totals.get(Count.EVENTS_SENT) - totals.get(Count.EVENTS_ARRIVED));
  }

  /** The p-th percentile latency of a leg in milliseconds, or -1 when nothing was measured. */
  public double percentileMillis(Leg leg, double percentile) {
    Histogram histogram = latencies.get(leg);
    return histogram.getTotalCount() == 0
        ? -1
        : histogram.getValueAtPercentile(percentile) / 1000.0;
  }

  /** The summary as JSON. */
  public ObjectNode summary() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode scenarioNode = root.putObject("scenario");
    scenario
        .describe()
        .forEach(
            (key, value) -> {
              // A run without a job: its job.* keys say nothing.
              if (scenario.rollout().enabled()
                  || !key.startsWith("job.")
                  || key.equals(Rollout.ENABLED_CONFIG)) {
                scenarioNode.put(key, value);
              }
            });
    root.put("devicePrefix", devicePrefix);
    root.put("startedAt", startedAt.toString());
    root.put("transport", transport);
    root.put("deviceCertificates", certificates);
    root.put("connectRampSeconds", ramp.toMillis() / 1000.0);
    root.put(
        "connectsPerSecond",
        ramp.isZero() ? 0 : totals.get(Count.CONNECTS) * 1000.0 / Math.max(1, ramp.toMillis()));
    root.put("maxConnected", samples.stream().mapToInt(Sample::connected).max().orElse(0));
    root.put("loadSeconds", load.toMillis() / 1000.0);
    root.put(
        "eventsPerSecondSent",
        totals.get(Count.EVENTS_SENT) * 1000.0 / Math.max(1, load.toMillis()));
    root.put("eventsLost", eventsLost());
    ObjectNode counts = root.putObject("totals");
    totals.forEach((count, value) -> counts.put(count.name().toLowerCase(), value));
    ObjectNode legs = root.putObject("latencyMillis");
    latencies.forEach(
        (leg, histogram) -> {
          ObjectNode node = legs.putObject(leg.name().toLowerCase());
          node.put("what", leg.label());
          node.put("count", histogram.getTotalCount());
          if (histogram.getTotalCount() > 0) {
            node.put("mean", round(histogram.getMean() / 1000.0));
            for (double p : new double[] {50, 90, 99, 99.9}) {
              node.put(
                  "p" + (p == 99.9 ? "99.9" : Integer.toString((int) p)), millis(histogram, p));
            }
            node.put("max", round(histogram.getMaxValue() / 1000.0));
          }
        });
    if (job != null) {
      root.set("job", job.deepCopy());
    }
    ArrayNode series = root.putArray("perSecond");
    for (Sample sample : samples) {
      ObjectNode node = series.addObject();
      node.put("t", sample.atMillis() / 1000.0);
      node.put("connected", sample.connected());
      sample.rates().forEach((count, rate) -> node.put(count.name().toLowerCase(), round(rate)));
      sample
          .latencies()
          .forEach(
              (leg, values) -> {
                node.put(leg.name().toLowerCase() + "_p50", round(values[0] / 1000.0));
                node.put(leg.name().toLowerCase() + "_p99", round(values[1] / 1000.0));
              });
    }
    return root;
  }

  /** Writes {@code summary.json} and {@code report.html} into {@code dir}; returns the page. */
  public Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    ObjectNode summary = summary();
    JSON.writeValue(dir.resolve("summary.json").toFile(), summary);
    Path page = dir.resolve("report.html");
    Files.writeString(page, HtmlReport.render(summary, latencies));
    return page;
  }

  /** A few lines for the terminal. */
  public String text() {
    StringBuilder out = new StringBuilder();
    out.append(String.format("transport %s, device certificates: %s%n", transport, certificates));
    out.append(
        String.format(
            "scenario %s, devices %s (%s), connect ramp %.1f s, load %.1f s%n",
            scenario.name(),
            scenario.devices(),
            devicePrefix,
            ramp.toMillis() / 1000.0,
            load.toMillis() / 1000.0));
    out.append(
        String.format(
            "events: %d sent, %d in Kafka, %d not arrived when the run ended;"
                + " shadow updates: %d sent, %d accepted; commands: %d sent, %d received,"
                + " %d SUCCEEDED through REST%n",
            totals.get(Count.EVENTS_SENT),
            totals.get(Count.EVENTS_ARRIVED),
            eventsLost(),
            totals.get(Count.UPDATES_SENT),
            totals.get(Count.UPDATES_ACCEPTED),
            totals.get(Count.COMMANDS_SENT),
            totals.get(Count.COMMANDS_RECEIVED),
            totals.get(Count.COMMANDS_COMPLETED)));
    long unsettled =
        totals.get(Count.COMMANDS_SENT)
            - totals.get(Count.COMMANDS_COMPLETED)
            - totals.get(Count.COMMANDS_NOT_COMPLETED);
    if (totals.get(Count.COMMANDS_NOT_COMPLETED) > 0 || unsettled > 0) {
      out.append(
          String.format(
              "commands not completed: %d UNDELIVERED (no session subscribed), %d EXPIRED,"
                  + " %d FAILED/REJECTED/TIMED_OUT, %d with no final status in time,"
                  + " %d still being read when the run ended%n",
              totals.get(Count.COMMANDS_UNDELIVERED),
              totals.get(Count.COMMANDS_EXPIRED),
              totals.get(Count.COMMANDS_FAILED),
              totals.get(Count.COMMANDS_UNFINISHED),
              unsettled));
    }
    if (job != null) {
      out.append(RolloutText.of(job, samples, totals));
    }
    if (!scenario.warmUp().isZero()) {
      out.append(
          String.format(
              "latencies below leave out the load's first %d s (warm-up), connect's excepted%n",
              scenario.warmUp().toSeconds()));
    }
    latencies.forEach(
        (leg, histogram) -> {
          if (histogram.getTotalCount() > 0) {
            out.append(
                String.format(
                    "%-36s n=%-8d p50 %8.1f ms  p99 %8.1f ms  p99.9 %8.1f ms  max %8.1f ms%n",
                    leg.label(),
                    histogram.getTotalCount(),
                    millis(histogram, 50),
                    millis(histogram, 99),
                    millis(histogram, 99.9),
                    histogram.getMaxValue() / 1000.0));
          }
        });
    return out.toString();
  }

  private static double millis(Histogram histogram, double percentile) {
    return round(histogram.getValueAtPercentile(percentile) / 1000.0);
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
