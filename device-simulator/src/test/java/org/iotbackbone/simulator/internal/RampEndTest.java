package org.iotbackbone.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RampEndTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void aSlowRampIsWaitedForAsLongAsDevicesKeepComing() {
    RampEnd end = new RampEnd(10_000, Duration.ofSeconds(30));

    // A hundred a second, far behind a schedule of 1,000/s: never 30 s without progress.
    for (int second = 0; second < 100; second++) {
      assertThat(end.over(second * 100, second * SECOND)).isFalse();
    }
    assertThat(end.over(10_000, 100 * SECOND)).isTrue();
  }

  @Test
  void aFleetThatCannotAllConnectRunsAfterThePatience() {
    RampEnd end = new RampEnd(100, Duration.ofSeconds(30));

    assertThat(end.over(90, 0)).isFalse();
    assertThat(end.over(90, 29 * SECOND)).isFalse();
    assertThat(end.over(91, 29 * SECOND)).isFalse();
    assertThat(end.over(91, 58 * SECOND)).isFalse();
    assertThat(end.over(91, 59 * SECOND)).isTrue();
  }

  @Test
  void devicesThatDropDoNotCountAsProgress() {
    RampEnd end = new RampEnd(100, Duration.ofSeconds(30));

    assertThat(end.over(95, 0)).isFalse();
    assertThat(end.over(80, 10 * SECOND)).isFalse();
    assertThat(end.over(94, 20 * SECOND)).isFalse();
    assertThat(end.over(94, 30 * SECOND)).isTrue();
  }
}
