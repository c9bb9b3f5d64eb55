package org.iotbackbone.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.iotbackbone.simulator.Count;
import org.iotbackbone.simulator.internal.Metrics.Sample;

/**
 * The rollout in the terminal's report: the job's end (status, reasonCode), its counts next to the
 * devices', and the run from the job's creation on, in at most {@value #ROWS} rows: what the
 * devices did per second beside the job's own counts then, with a bar of the job's executions
 * (succeeded {@code #}, failed {@code x}, timed out {@code t}, in progress {@code -}, queued {@code
 * .}).
 */
public final class RolloutText {

  private static final int ROWS = 30;
  private static final int BAR = 30;

  private RolloutText() {}

  /**
   * @param job the job's summary ({@link JobRun#summary()})
   * @param samples the run's seconds
   * @param totals the devices' counters
   */
  public static String of(JsonNode job, List<Sample> samples, Map<Count, Long> totals) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "job %s: %s%s, created at %.1f s%n",
            job.path("jobId").asText(),
            job.path("status").asText("not described"),
            job.hasNonNull("reasonCode") ? " (" + job.path("reasonCode").asText() + ")" : "",
            job.path("createdAtSeconds").asDouble()));
    out.append(
        String.format(
            Locale.ROOT,
            "  the devices: notified %d, took it (IN_PROGRESS) %d, succeeded %d, failed %d,"
                + " silent %d, requests rejected %d%n",
            totals.get(Count.JOBS_NOTIFIED),
            totals.get(Count.JOBS_STARTED),
            totals.get(Count.JOBS_SUCCEEDED),
            totals.get(Count.JOBS_FAILED),
            totals.get(Count.JOBS_SILENT),
            totals.get(Count.JOBS_REJECTED)));
    JsonNode details = job.path("jobProcessDetails");
    out.append(
        String.format(
            Locale.ROOT,
            "  the job:     targets %d, notified %d, queued %d, in progress %d, succeeded %d, failed %d, rejected %d,"
                + " timed out %d, canceled %d, removed %d%n",
            details.path("numberOfTargets").asLong(),
            details.path("numberOfNotifiedThings").asLong(),
            details.path("numberOfQueuedThings").asLong(),
            details.path("numberOfInProgressThings").asLong(),
            details.path("numberOfSucceededThings").asLong(),
            details.path("numberOfFailedThings").asLong(),
            details.path("numberOfRejectedThings").asLong(),
            details.path("numberOfTimedOutThings").asLong(),
            details.path("numberOfCanceledThings").asLong(),
            details.path("numberOfRemovedThings").asLong()));
    JsonNode snapshots = job.path("perSecond");
    if (samples.isEmpty()) {
      return out.toString();
    }
    double end = samples.get(samples.size() - 1).atMillis() / 1000.0;
    // From the job's creation: before it, the devices were connecting.
    int start = (int) Math.max(0, Math.floor(job.path("createdAtSeconds").asDouble(0)));
    int width = (int) Math.max(1, Math.ceil((end - start) / ROWS));
    long most = 1;
    for (JsonNode snapshot : snapshots) {
      most = Math.max(most, executions(snapshot));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "  %9s %9s %9s %9s %9s | %-11s %7s %7s %7s %7s %7s %7s  %s%n",
            "seconds",
            "notified",
            "took",
            "succeeded",
            "failed",
            "job",
            "queued",
            "in prog",
            "succ.",
            "failed",
            "t.out",
            "cancel",
            "executions"));
    out.append(String.format("  %9s %9s %9s %9s %9s |%n", "", "/s", "/s", "/s", "/s"));
    for (int from = start; from < end; from += width) {
      int to = from + width;
      double[] rates = new double[4];
      int n = 0;
      for (Sample sample : samples) {
        double t = sample.atMillis() / 1000.0;
        if (t > from && t <= to) {
          rates[0] += sample.rates().get(Count.JOBS_NOTIFIED);
          rates[1] += sample.rates().get(Count.JOBS_STARTED);
          rates[2] += sample.rates().get(Count.JOBS_SUCCEEDED);
          rates[3] += sample.rates().get(Count.JOBS_FAILED);
          n++;
        }
      }
      JsonNode at = null;
      for (JsonNode snapshot : snapshots) {
        if (snapshot.path("t").asDouble() <= to) {
          at = snapshot;
        }
      }
      out.append(
          String.format(
              Locale.ROOT,
              "  %4d-%-4d %9.1f %9.1f %9.1f %9.1f | ",
              from,
              to,
              rates[0] / Math.max(1, n),
              rates[1] / Math.max(1, n),
              rates[2] / Math.max(1, n),
              rates[3] / Math.max(1, n)));
      if (at == null) {
        out.append(String.format("%-11s%n", "-"));
      } else {
        out.append(
            String.format(
                Locale.ROOT,
                "%-11s %7d %7d %7d %7d %7d %7d  %s%n",
                at.path("status").asText(),
                at.path("numberOfQueuedThings").asLong(),
                at.path("numberOfInProgressThings").asLong(),
                at.path("numberOfSucceededThings").asLong(),
                at.path("numberOfFailedThings").asLong(),
                at.path("numberOfTimedOutThings").asLong(),
                at.path("numberOfCanceledThings").asLong(),
                bar(at, most)));
      }
    }
    return out.toString();
  }

  /** Every execution the job has made so far, whatever its status. */
  static long executions(JsonNode snapshot) {
    long all = 0;
    for (String count : JobRun.COUNTS) {
      all += snapshot.path(count).asLong();
    }
    return all;
  }

  /** The job's executions as a bar of {@value #BAR} characters at most, scaled to {@code most}. */
  static String bar(JsonNode snapshot, long most) {
    StringBuilder bar = new StringBuilder();
    String[][] parts = {
      {"numberOfSucceededThings", "#"},
      {"numberOfFailedThings", "x"},
      {"numberOfTimedOutThings", "t"},
      {"numberOfInProgressThings", "-"},
      {"numberOfQueuedThings", "."}
    };
    for (String[] part : parts) {
      long count = snapshot.path(part[0]).asLong();
      bar.append(part[1].repeat((int) Math.round((double) count * BAR / most)));
    }
    return bar.toString();
  }
}
