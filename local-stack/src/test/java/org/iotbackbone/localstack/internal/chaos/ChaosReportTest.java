package org.iotbackbone.localstack.internal.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChaosReportTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aLossFailsTheRunAndIsShown(@TempDir Path dir) throws Exception {
    Outcome kept = outcome("kafka", 40.0, new Ledger.Check("events", true, "all there"));
    Outcome lost = outcome("ingest-bridge", 38.0, new Ledger.Check("events", false, "3 missing"));

    ChaosReport report = new ChaosReport(List.of(kept, lost));
    Path page = report.write(dir);

    assertThat(report.passed()).isFalse();
    assertThat(new ChaosReport(List.of(kept)).passed()).isTrue();
    assertThat(report.text()).contains("FAIL", "kill -9 ingest-bridge");
    String html = Files.readString(page);
    assertThat(html).contains("<svg", "3 missing", "FAILED", "polyline");
    assertThat(JSON.readTree(dir.resolve("chaos.json").toFile()).path("passed").asBoolean(true))
        .isFalse();
  }

  @Test
  void whatWasFoundIsEscapedInThePage() {
    Outcome outcome =
        outcome("kafka", 40.0, new Ledger.Check("events", false, "missing <sim-1> & \"x\""));

    assertThat(new ChaosReport(List.of(outcome)).html())
        .contains("missing &lt;sim-1&gt; &amp; &quot;x&quot;")
        .doesNotContain("<sim-1>");
  }

  @Test
  void aPartThatNeverRecoversFails() {
    Outcome never = outcome("cassandra", -1, new Ledger.Check("events", true, ""));

    assertThat(never.passed()).isFalse();
    assertThat(new ChaosReport(List.of(never)).text()).contains("recovered never");
  }

  @Test
  void noOutcomeIsNoPass() {
    assertThat(new ChaosReport(List.of()).passed()).isFalse();
  }

  private static Outcome outcome(String target, double recoveredAt, Ledger.Check check) {
    ObjectNode simulation = JSON.createObjectNode();
    var series = simulation.putArray("perSecond");
    for (int t = 1; t <= 50; t++) {
      series
          .addObject()
          .put("t", t)
          .put("events_sent", 30)
          .put("events_arrived", t > 20 && t < 30 ? 0 : 30)
          .put("event_to_kafka_p99", t > 20 && t < 32 ? 900 : 12);
    }
    return new Outcome(
        new Fault(Fault.Kind.KILL, target, Duration.ofSeconds(10)),
        "sim-c01abc",
        Instant.parse("2026-12-06T02:00:00Z"),
        20,
        30,
        recoveredAt,
        simulation,
        List.of(check));
  }
}
