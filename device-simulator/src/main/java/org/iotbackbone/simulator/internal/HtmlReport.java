package org.iotbackbone.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.iotbackbone.simulator.Html;
import org.iotbackbone.simulator.Leg;

/**
 * The run's report as one HTML page with its plots drawn as inline SVG. Written here rather than
 * with a charting library because the page must open offline, from a file, with nothing fetched: a
 * JavaScript library would have to come from a CDN or be copied into every report.
 */
public final class HtmlReport {

  private static final String[] COLORS = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"
  };
  private static final int WIDTH = 720;
  private static final int HEIGHT = 300;
  private static final int PAD = 50;

  private HtmlReport() {}

  /** One line of a plot. */
  record Series(String name, double[] xs, double[] ys) {}

  public static String render(ObjectNode summary, Map<Leg, Histogram> latencies) {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Simulation ")
        .append(Html.escape(summary.path("devicePrefix").asText()))
        .append("</title><style>body{font-family:sans-serif;margin:2em;max-width:60em}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;")
        .append("text-align:right}th{background:#f4f4f4}svg{margin:1em 0}</style></head><body>");
    html.append("<h1>Simulation: ")
        .append(Html.escape(summary.path("scenario").path("name").asText()))
        .append("</h1><p>")
        .append(Html.escape(summary.path("startedAt").asText()))
        .append(", devices ")
        .append(Html.escape(summary.path("devicePrefix").asText()))
        .append("-N</p>");
    html.append("<h2>Scenario</h2><table>");
    summary
        .path("scenario")
        .properties()
        .forEach(
            e ->
                html.append("<tr><th>")
                    .append(Html.escape(e.getKey()))
                    .append("</th><td>")
                    .append(Html.escape(e.getValue().asText()))
                    .append("</td></tr>"));
    html.append("</table><h2>Outcome</h2><table>");
    for (String key :
        List.of(
            "connectRampSeconds",
            "connectsPerSecond",
            "maxConnected",
            "loadSeconds",
            "eventsPerSecondSent",
            "eventsLost")) {
      html.append("<tr><th>")
          .append(key)
          .append("</th><td>")
          .append(summary.path(key).asText())
          .append("</td></tr>");
    }
    summary
        .path("totals")
        .properties()
        .forEach(
            e ->
                html.append("<tr><th>")
                    .append(e.getKey())
                    .append("</th><td>")
                    .append(e.getValue().asText())
                    .append("</td></tr>"));
    html.append("</table><h2>Latency (ms)</h2><table><tr><th>leg</th><th>count</th>")
        .append("<th>mean</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr>");
    summary
        .path("latencyMillis")
        .properties()
        .forEach(
            e -> {
              JsonNode leg = e.getValue();
              html.append("<tr><th>")
                  .append(Html.escape(leg.path("what").asText()))
                  .append("</th>");
              for (String key : List.of("count", "mean", "p50", "p90", "p99", "p99.9", "max")) {
                html.append("<td>").append(leg.path(key).asText("-")).append("</td>");
              }
              html.append("</tr>");
            });
    html.append("</table>");
    if (summary.has("job")) {
      html.append(rollout(summary.path("job"), summary.path("perSecond"), summary.path("totals")));
    }

    List<Series> percentiles = new ArrayList<>();
    latencies.forEach(
        (leg, histogram) -> {
          if (histogram.getTotalCount() > 0) {
            percentiles.add(percentileSeries(leg.label(), histogram));
          }
        });
    html.append(
        chart(
            "Latency by percentile",
            "percentile (log scale: 90, 99, 99.9, ...)",
            "ms",
            percentiles,
            true));

    JsonNode series = summary.path("perSecond");
    html.append(
        chart(
            "Throughput",
            "seconds",
            "messages/s",
            List.of(
                timeSeries(series, "events_sent", "events sent"),
                timeSeries(series, "events_arrived", "events in Kafka"),
                timeSeries(series, "updates_sent", "shadow updates sent"),
                timeSeries(series, "commands_received", "commands received")),
            false));
    html.append(
        chart(
            "Connections",
            "seconds",
            "devices connected",
            List.of(
                timeSeries(series, "connected", "connected"),
                timeSeries(series, "connects", "connects/s")),
            false));
    List<Series> p99s = new ArrayList<>();
    for (Leg leg : Leg.values()) {
      Series s = timeSeries(series, leg.name().toLowerCase(Locale.ROOT) + "_p99", leg.label());
      if (s.xs().length > 0) {
        p99s.add(s);
      }
    }
    html.append(chart("p99 latency per second", "seconds", "ms", p99s, false));
    html.append("</body></html>\n");
    return html.toString();
  }

  /**
   * The rollout: the job's end and counts next to the devices', and two plots over the run's time:
   * what the devices did per second, and the job's own counts as {@code GET /jobs/{id}} gave them.
   */
  static String rollout(JsonNode job, JsonNode series, JsonNode totals) {
    StringBuilder html = new StringBuilder("<h2>Rollout</h2><table>");
    for (String key :
        List.of("jobId", "status", "reasonCode", "targetFilter", "targets", "createdAtSeconds")) {
      if (job.has(key)) {
        html.append("<tr><th>")
            .append(key)
            .append("</th><td>")
            .append(Html.escape(job.path(key).asText()))
            .append("</td></tr>");
      }
    }
    html.append("</table><table><tr><th></th><th>the job (jobProcessDetails)</th>")
        .append("<th>the devices</th></tr>");
    String[][] rows = {
      {"targets", "numberOfTargets", ""},
      {"notified", "numberOfNotifiedThings", "jobs_notified"},
      {"took it (IN_PROGRESS)", "", "jobs_started"},
      {"queued", "numberOfQueuedThings", ""},
      {"in progress", "numberOfInProgressThings", ""},
      {"succeeded", "numberOfSucceededThings", "jobs_succeeded"},
      {"failed", "numberOfFailedThings", "jobs_failed"},
      {"rejected", "numberOfRejectedThings", ""},
      {"timed out", "numberOfTimedOutThings", ""},
      {"silent (never answered)", "", "jobs_silent"},
      {"canceled", "numberOfCanceledThings", ""},
      {"removed", "numberOfRemovedThings", ""},
      {"requests rejected", "", "jobs_rejected"}
    };
    JsonNode details = job.path("jobProcessDetails");
    for (String[] row : rows) {
      html.append("<tr><th>")
          .append(row[0])
          .append("</th><td>")
          .append(row[1].isEmpty() ? "" : details.path(row[1]).asText("-"))
          .append("</td><td>")
          .append(row[2].isEmpty() ? "" : totals.path(row[2]).asText("-"))
          .append("</td></tr>");
    }
    html.append("</table>");
    html.append(
        chart(
            "Rollout: the devices, per second",
            "seconds",
            "devices/s",
            List.of(
                timeSeries(series, "jobs_notified", "notified"),
                timeSeries(series, "jobs_started", "took it (in progress)"),
                timeSeries(series, "jobs_succeeded", "succeeded"),
                timeSeries(series, "jobs_failed", "failed")),
            false));
    JsonNode snapshots = job.path("perSecond");
    html.append(
        chart(
            "Rollout: the job's counts (GET /jobs/{id} each second)",
            "seconds",
            "executions",
            List.of(
                timeSeries(snapshots, "numberOfNotifiedThings", "notified"),
                timeSeries(snapshots, "numberOfQueuedThings", "queued"),
                timeSeries(snapshots, "numberOfInProgressThings", "in progress"),
                timeSeries(snapshots, "numberOfSucceededThings", "succeeded"),
                timeSeries(snapshots, "numberOfFailedThings", "failed"),
                timeSeries(snapshots, "numberOfTimedOutThings", "timed out"),
                timeSeries(snapshots, "numberOfCanceledThings", "canceled")),
            false));
    return html.toString();
  }

  /** The histogram's percentile curve, x as 1/(1-p) so that the tail gets its room. */
  private static Series percentileSeries(String name, Histogram histogram) {
    List<double[]> points = new ArrayList<>();
    for (HistogramIterationValue value : histogram.percentiles(5)) {
      double p = value.getPercentileLevelIteratedTo() / 100.0;
      if (p >= 1.0) {
        break;
      }
      points.add(new double[] {1 / (1 - p), value.getValueIteratedTo() / 1000.0});
    }
    points.add(new double[] {histogram.getTotalCount() + 1.0, histogram.getMaxValue() / 1000.0});
    return new Series(
        name,
        points.stream().mapToDouble(p -> p[0]).toArray(),
        points.stream().mapToDouble(p -> p[1]).toArray());
  }

  private static Series timeSeries(JsonNode series, String field, String name) {
    List<double[]> points = new ArrayList<>();
    for (JsonNode sample : series) {
      if (sample.has(field)) {
        points.add(new double[] {sample.path("t").asDouble(), sample.path(field).asDouble()});
      }
    }
    return new Series(
        name,
        points.stream().mapToDouble(p -> p[0]).toArray(),
        points.stream().mapToDouble(p -> p[1]).toArray());
  }

  static String chart(
      String title, String xLabel, String yLabel, List<Series> series, boolean logX) {
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double maxY = 0;
    for (Series s : series) {
      for (int i = 0; i < s.xs().length; i++) {
        double x = logX ? Math.log10(s.xs()[i]) : s.xs()[i];
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        maxY = Math.max(maxY, s.ys()[i]);
      }
    }
    StringBuilder svg = new StringBuilder();
    svg.append("<h2>").append(Html.escape(title)).append("</h2>");
    if (minX == Double.MAX_VALUE) {
      return svg.append("<p>nothing measured</p>").toString();
    }
    if (maxX == minX) {
      maxX = minX + 1;
    }
    maxY = maxY <= 0 ? 1 : maxY * 1.05;
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\""
                + " font-size=\"11\">",
            WIDTH,
            HEIGHT + 40));
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>",
            PAD,
            10,
            WIDTH - PAD - 10,
            HEIGHT - 40));
    for (int i = 0; i <= 4; i++) {
      double value = maxY * i / 4;
      double y = yOf(value, maxY);
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>"
                  + "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>",
              PAD - 4,
              y + 4,
              format(value),
              PAD,
              y,
              WIDTH - 10,
              y));
    }
    for (int i = 0; i <= 4; i++) {
      double x = minX + (maxX - minX) * i / 4;
      double label = logX ? 100 * (1 - 1 / Math.pow(10, x)) : x;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
              xOf(x, minX, maxX),
              HEIGHT - 14,
              logX ? format(label) + "%" : format(label)));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>"
                + "<text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\""
                + " text-anchor=\"middle\">%s</text>",
            WIDTH / 2,
            HEIGHT + 4,
            Html.escape(xLabel),
            HEIGHT / 2,
            HEIGHT / 2,
            Html.escape(yLabel)));
    int n = 0;
    for (Series s : series) {
      String color = COLORS[n % COLORS.length];
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < s.xs().length; i++) {
        double x = logX ? Math.log10(s.xs()[i]) : s.xs()[i];
        points.append(
            String.format(Locale.ROOT, "%.1f,%.1f ", xOf(x, minX, maxX), yOf(s.ys()[i], maxY)));
      }
      svg.append(
          String.format(
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>",
              color, points.toString().strip()));
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                  + "<text x=\"%d\" y=\"%d\">%s</text>",
              PAD + 10 + 170 * (n % 4),
              HEIGHT + 16 + 14 * (n / 4),
              color,
              PAD + 24 + 170 * (n % 4),
              HEIGHT + 25 + 14 * (n / 4),
              Html.escape(s.name())));
      n++;
    }
    return svg.append("</svg>").toString();
  }

  private static double xOf(double x, double minX, double maxX) {
    return PAD + (x - minX) / (maxX - minX) * (WIDTH - PAD - 10);
  }

  private static double yOf(double y, double maxY) {
    return 10 + (HEIGHT - 40) * (1 - y / maxY);
  }

  private static String format(double value) {
    return value >= 100 || value == Math.rint(value)
        ? String.format(Locale.ROOT, "%.0f", value)
        : String.format(Locale.ROOT, "%.2f", value);
  }
}
