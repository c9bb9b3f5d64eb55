package org.iotbackbone.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.iotbackbone.servers.launch.Launch;
import org.iotbackbone.simulator.Count;
import org.iotbackbone.simulator.Leg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Status lines through real child processes ({@code sh}), added up into one set of metrics. */
class PartsTest {

  @Test
  void aStatusLineReadsBackAsWritten() {
    Metrics metrics = new Metrics();
    metrics.count(Count.EVENTS_SENT);
    metrics.record(Leg.CONNECT, 1_234);
    metrics.record(Leg.CONNECT, 98_765);
    metrics.connected(3);
    metrics.sample(1_000, 1.0);

    PartStatus read = PartStatus.parse(PartStatus.of(metrics, true, 1_500, 60_000).toLine());

    assertThat(read.connected()).isEqualTo(3);
    assertThat(read.counts().get(Count.EVENTS_SENT)).isEqualTo(1);
    assertThat(read.latencies().get(Leg.CONNECT).getTotalCount()).isEqualTo(2);
    assertThat(read.latencies().get(Leg.CONNECT).getMaxValue())
        .isEqualTo(metrics.total(Leg.CONNECT).getMaxValue());
    assertThat(read.done()).isTrue();
    assertThat(read.rampMillis()).isEqualTo(1_500);
    assertThat(read.loadMillis()).isEqualTo(60_000);
  }

  @Test
  void otherOutputIsNotAStatusAndABrokenStatusIsAnError() {
    assertThat(PartStatus.parse("12:00:00 WARN something")).isNull();
    assertThatThrownBy(() -> PartStatus.parse(PartStatus.MARK + "{not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unreadable status line");
  }

  @Test
  void aReaderDecodesOnlyTheLegsWhoseLatenciesChanged() {
    PartStatus.Reader reader = new PartStatus.Reader();
    PartStatus first = reader.parse(status(2, 10, new long[] {1_000, 2_000}, false));
    PartStatus same = reader.parse(status(2, 12, new long[] {1_000, 2_000}, false));
    PartStatus more = reader.parse(status(3, 12, new long[] {1_000, 2_000, 40_000}, false));

    // Unchanged legs come back as the very same histograms: the parent adds nothing for them.
    for (Leg leg : Leg.values()) {
      assertThat(same.latencies().get(leg)).isSameAs(first.latencies().get(leg));
    }
    assertThat(same.counts().get(Count.EVENTS_SENT)).isEqualTo(12);
    assertThat(more.latencies().get(Leg.CONNECT))
        .isNotSameAs(first.latencies().get(Leg.CONNECT))
        .extracting(Histogram::getTotalCount)
        .isEqualTo(3L);
    assertThat(more.latencies().get(Leg.EVENT_TO_KAFKA))
        .isSameAs(first.latencies().get(Leg.EVENT_TO_KAFKA));
    // Another part's reader knows nothing of this one's lines.
    assertThat(
            new PartStatus.Reader()
                .parse(status(2, 10, new long[] {1_000, 2_000}, false))
                .latencies()
                .get(Leg.CONNECT))
        .isNotSameAs(first.latencies().get(Leg.CONNECT));
  }

  @Test
  void twoPartsAddUpWithoutCountingTwiceWhatEachRepeats() throws Exception {
    // Part 0 reports twice (cumulative), part 1 once; the totals are the last of each, summed.
    String first = status(2, 10, new long[] {1_000, 2_000}, false);
    String second = status(5, 25, new long[] {1_000, 2_000, 40_000}, true);
    String other = status(7, 100, new long[] {3_000}, true);
    Metrics metrics = new Metrics();

    try (Parts parts = new Parts(List.of(print(first, "noise", second), print(other)), metrics)) {
      assertThat(parts.awaitEnd(Duration.ofSeconds(30))).isTrue();
      assertThat(parts.failures()).isEmpty();
      assertThat(parts.load()).isEqualTo(Duration.ofMillis(9_000));
    }
    metrics.sample(1_000, 1.0);

    assertThat(metrics.total(Count.EVENTS_SENT)).isEqualTo(125);
    assertThat(metrics.connected()).isEqualTo(12);
    Histogram connects = metrics.total(Leg.CONNECT);
    assertThat(connects.getTotalCount()).isEqualTo(4);
    assertThat(connects.getMaxValue()).isBetween(39_900L, 40_100L);
  }

  @Test
  void aPartThatEndsWithoutItsLastStatusIsAFailure() throws Exception {
    Metrics metrics = new Metrics();
    try (Parts parts = new Parts(List.of(sh("echo starting; exit 3")), metrics)) {
      assertThat(parts.awaitEnd(Duration.ofSeconds(30))).isTrue();
      assertThat(parts.failures())
          .singleElement()
          .asString()
          .contains("part 0 exited with 3 before its last status");
    }
  }

  @Test
  void aStoppedPartStillSendsItsLastStatus(@TempDir Path dir) throws Exception {
    // Like a simulator part: on SIGTERM it ends its load and prints its final status, then exits.
    Path running =
        Files.writeString(dir.resolve("running"), status(1, 4, new long[] {1}, false) + "\n");
    Path last = Files.writeString(dir.resolve("last"), status(1, 9, new long[] {1}, true) + "\n");
    String script =
        "trap 'cat "
            + last
            + "; exit 143' TERM; cat "
            + running
            + "; while true; do sleep 0.1; done";
    Metrics metrics = new Metrics();
    try (Parts parts = new Parts(List.of(sh(script)), metrics)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (metrics.total(Count.EVENTS_SENT) < 4 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      parts.stop();
      assertThat(parts.awaitEnd(Duration.ofSeconds(30))).isTrue();
      assertThat(parts.failures()).isEmpty();
    }
    assertThat(metrics.total(Count.EVENTS_SENT)).isEqualTo(9);
  }

  @Test
  void everyPartStartsItsLoadWhenToldOnItsStandardInput(@TempDir Path dir) throws Exception {
    // Like a simulator part: its ramp done, it waits for the parent's line before its load.
    Path ramped =
        Files.writeString(dir.resolve("ramped"), status(2, 0, new long[] {1}, false) + "\n");
    Path loaded =
        Files.writeString(dir.resolve("loaded"), status(2, 7, new long[] {1}, true) + "\n");
    String script =
        "cat "
            + ramped
            + "; read line; if [ \"$line\" = "
            + Parts.START_LOAD
            + " ]; then cat "
            + loaded
            + "; else exit 4; fi";
    Metrics metrics = new Metrics();
    try (Parts parts = new Parts(List.of(sh(script), sh(script)), metrics)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (metrics.connected() < 4 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      // Both ramped, neither loads before it is told.
      assertThat(parts.awaitEnd(Duration.ofMillis(300))).isFalse();
      assertThat(metrics.total(Count.EVENTS_SENT)).isZero();

      parts.startLoad();

      assertThat(parts.awaitEnd(Duration.ofSeconds(30))).isTrue();
      assertThat(parts.failures()).isEmpty();
    }
    assertThat(metrics.total(Count.EVENTS_SENT)).isEqualTo(14);
  }

  private static String status(int connected, long events, long[] connectMicros, boolean done) {
    Metrics metrics = new Metrics();
    metrics.connected(connected);
    metrics.add(Count.EVENTS_SENT, events);
    for (long micros : connectMicros) {
      metrics.record(Leg.CONNECT, micros);
    }
    metrics.sample(1_000, 1.0);
    return PartStatus.of(metrics, done, 500, done ? 9_000 : 0).toLine();
  }

  private static Launch sh(String script) {
    return Launch.command(List.of("sh", "-c", script));
  }

  private static Launch print(String... lines) {
    StringBuilder script = new StringBuilder();
    for (String line : lines) {
      script.append("printf '%s\\n' '").append(line).append("'; ");
    }
    return sh(script.toString());
  }
}
