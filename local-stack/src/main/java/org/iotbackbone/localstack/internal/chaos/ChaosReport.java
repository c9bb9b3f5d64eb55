package org.iotbackbone.localstack.internal.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.iotbackbone.simulator.Html;

/**
 * The chaos suite's report: {@code chaos.json} and {@code chaos.html}, one section a fault with its
 * ledger and a timeline (events sent and in Kafka per second, p99 device → Kafka, the fault as a
 * band, recovery as a line), drawn as inline SVG so that the page opens offline.
 */
public final class ChaosReport {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final int WIDTH = 860;
  private static final int HEIGHT = 240;
  private static final int PAD = 50;

  private final List<Outcome> outcomes;
  private Path page;

  ChaosReport(List<Outcome> outcomes) {
    this.outcomes = List.copyOf(outcomes);
  }

  public List<Outcome> outcomes() {
    return outcomes;
  }

  /** The HTML page, once {@link #write} wrote it. */
  public Path page() {
    return page;
  }

  /** Whether every fault was recovered from with every promise kept. */
  public boolean passed() {
    return !outcomes.isEmpty() && outcomes.stream().allMatch(Outcome::passed);
  }

  /** One line a fault, for the terminal. */
  public String text() {
    StringBuilder out = new StringBuilder();
    for (Outcome outcome : outcomes) {
      long broken = outcome.checks().stream().filter(c -> !c.kept()).count();
      out.append(
          String.format(
              Locale.ROOT,
              "%-4s %-40s recovered %s, %d of %d promises kept%n",
              outcome.passed() ? "ok" : "FAIL",
              outcome.fault().label(),
              outcome.recoveredAt() < 0
                  ? "never"
                  : String.format(
                      Locale.ROOT, "%.1f s after", outcome.recoveredAt() - outcome.healedAt()),
              outcome.checks().size() - broken,
              outcome.checks().size()));
    }
    return out.toString();
  }

  /** Writes {@code chaos.json} and {@code chaos.html} into {@code dir}; returns the page. */
  public Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    ArrayNode all = JSON.createArrayNode();
    for (Outcome outcome : outcomes) {
      ObjectNode node = all.addObject();
      node.put("fault", outcome.fault().slug());
      node.put("label", outcome.fault().label());
      node.put("devicePrefix", outcome.devicePrefix());
      node.put("startedAt", outcome.startedAt().toString());
      node.put("injectedAt", outcome.injectedAt());
      node.put("healedAt", outcome.healedAt());
      node.put("recoveredAt", outcome.recoveredAt());
      node.put("passed", outcome.passed());
      ArrayNode checks = node.putArray("checks");
      outcome
          .checks()
          .forEach(
              check ->
                  checks
                      .addObject()
                      .put("name", check.name())
                      .put("kept", check.kept())
                      .put("detail", check.detail()));
      node.set("simulation", outcome.simulation());
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("passed", passed());
    root.set("faults", all);
    JSON.writeValue(dir.resolve("chaos.json").toFile(), root);
    page = dir.resolve("chaos.html");
    Files.writeString(page, html());
    return page;
  }

  String html() {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Chaos run</title>")
        .append("<style>body{font-family:sans-serif;margin:2em;max-width:64em}")
        .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;")
        .append("padding:4px 8px;text-align:left}th{background:#f4f4f4}.ok{color:#2ca02c}")
        .append(".lost{color:#d62728;font-weight:bold}</style></head><body>");
    html.append("<h1>Chaos run: ")
        .append(
            passed()
                ? "<span class=ok>every promise kept</span>"
                : "<span class=lost>FAILED</span>")
        .append(
            "</h1><table><tr><th>fault</th><th>recovered after it ended</th><th>result</th></tr>");
    for (Outcome outcome : outcomes) {
      html.append("<tr><td>")
          .append(Html.escape(outcome.fault().label()))
          .append("</td><td>")
          .append(
              outcome.recoveredAt() < 0
                  ? "never"
                  : String.format(
                      Locale.ROOT, "%.1f s", outcome.recoveredAt() - outcome.healedAt()))
          .append("</td><td>")
          .append(outcome.passed() ? "<span class=ok>ok</span>" : "<span class=lost>FAIL</span>")
          .append("</td></tr>");
    }
    html.append("</table>");
    for (Outcome outcome : outcomes) {
      html.append("<h2>")
          .append(Html.escape(outcome.fault().label()))
          .append("</h2><p>devices ")
          .append(Html.escape(outcome.devicePrefix()))
          .append("-N, started ")
          .append(Html.escape(outcome.startedAt().toString()))
          .append("</p>");
      html.append(timeline(outcome));
      html.append("<table><tr><th>promise</th><th>kept</th><th>what was found</th></tr>");
      for (Ledger.Check check : outcome.checks()) {
        html.append("<tr><td>")
            .append(Html.escape(check.name()))
            .append("</td><td>")
            .append(check.kept() ? "<span class=ok>yes</span>" : "<span class=lost>NO</span>")
            .append("</td><td>")
            .append(Html.escape(check.detail()))
            .append("</td></tr>");
      }
      html.append("</table>");
    }
    return html.append("</body></html>").toString();
  }

  /** Rates (left axis) and p99 latency (right axis) a second, with the fault and the recovery. */
  private static String timeline(Outcome outcome) {
    JsonNode series = outcome.simulation().path("perSecond");
    int n = series.size();
    double[] t = new double[n];
    double[] sent = new double[n];
    double[] arrived = new double[n];
    double[] p99 = new double[n];
    double maxT = Math.max(1, outcome.healedAt());
    double maxRate = 1;
    double maxP99 = 1;
    for (int i = 0; i < n; i++) {
      JsonNode s = series.get(i);
      t[i] = s.path("t").asDouble();
      sent[i] = s.path("events_sent").asDouble();
      arrived[i] = s.path("events_arrived").asDouble();
      p99[i] = Math.max(0, s.path("event_to_kafka_p99").asDouble());
      maxT = Math.max(maxT, t[i]);
      maxRate = Math.max(maxRate, Math.max(sent[i], arrived[i]));
      maxP99 = Math.max(maxP99, p99[i]);
    }
    double plotW = WIDTH - 2 * PAD;
    double plotH = HEIGHT - 2 * PAD;
    final double tMax = maxT;
    java.util.function.DoubleUnaryOperator x = v -> PAD + v / tMax * plotW;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\""
                + " font-size=\"11\">",
            WIDTH,
            HEIGHT));
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"#d62728\""
                + " fill-opacity=\"0.15\"><title>%s</title></rect>",
            x.applyAsDouble(outcome.injectedAt()),
            PAD,
            Math.max(
                1, x.applyAsDouble(outcome.healedAt()) - x.applyAsDouble(outcome.injectedAt())),
            plotH,
            Html.escape(outcome.fault().label())));
    if (outcome.recoveredAt() >= 0) {
      double rx = x.applyAsDouble(outcome.recoveredAt());
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#2ca02c\""
                  + " stroke-dasharray=\"4\"/><text x=\"%.1f\" y=\"%d\" fill=\"#2ca02c\">healthy</text>",
              rx,
              PAD,
              rx,
              PAD + plotH,
              rx + 3,
              PAD + 12));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#999\"/>",
            PAD,
            PAD,
            plotW,
            plotH));
    svg.append(polyline(t, sent, tMax, maxRate, "#1f77b4"));
    svg.append(polyline(t, arrived, tMax, maxRate, "#ff7f0e"));
    svg.append(polyline(t, p99, tMax, maxP99, "#9467bd"));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\">%.0f/s</text><text x=\"%.1f\" y=\"%d\">%.0f ms</text>"
                + "<text x=\"%d\" y=\"%d\">0</text><text x=\"%.1f\" y=\"%d\">%.0f s</text>",
            2,
            PAD + 4,
            maxRate,
            PAD + plotW + 4,
            PAD + 4,
            maxP99,
            PAD - 10,
            PAD + (int) plotH + 14,
            PAD + plotW - 20,
            PAD + (int) plotH + 14,
            tMax));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\"><tspan fill=\"#1f77b4\">events sent/s</tspan>"
                + "<tspan fill=\"#ff7f0e\" dx=\"12\">events in Kafka/s</tspan>"
                + "<tspan fill=\"#9467bd\" dx=\"12\">p99 device → Kafka (right axis)</tspan>"
                + "<tspan fill=\"#d62728\" dx=\"12\">fault</tspan></text>",
            PAD,
            PAD - 12));
    return svg.append("</svg>").toString();
  }

  private static String polyline(double[] xs, double[] ys, double maxX, double maxY, String color) {
    StringBuilder points = new StringBuilder();
    double plotW = WIDTH - 2 * PAD;
    double plotH = HEIGHT - 2 * PAD;
    for (int i = 0; i < xs.length; i++) {
      points.append(
          String.format(
              Locale.ROOT,
              "%.1f,%.1f ",
              PAD + xs[i] / maxX * plotW,
              PAD + plotH - ys[i] / maxY * plotH));
    }
    return "<polyline fill=\"none\" stroke=\"" + color + "\" points=\"" + points + "\"/>";
  }
}
