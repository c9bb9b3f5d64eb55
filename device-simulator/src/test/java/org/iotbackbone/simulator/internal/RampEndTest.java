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
    for (int second = 1; second < 30; second++) {
      assertThat(end.over(90, second * SECOND)).isFalse();
    }
    // One more device: the patience starts again.
    assertThat(end.over(91, 30 * SECOND)).isFalse();
    for (int second = 31; second < 60; second++) {
      assertThat(end.over(91, second * SECOND)).isFalse();
    }
    assertThat(end.over(91, 60 * SECOND)).isTrue();
  }

  @Test
  void devicesThatDropDoNotCountAsProgress() {
    RampEnd end = new RampEnd(100, Duration.ofSeconds(30));

    assertThat(end.over(95, 0)).isFalse();
    for (int second = 1; second < 30; second++) {
      assertThat(end.over(second % 2 == 0 ? 80 : 94, second * SECOND)).isFalse();
    }
    assertThat(end.over(94, 30 * SECOND)).isTrue();
  }

  @Test
  void aStalledWatcherDoesNotEndTheRampOnItsFirstStaleLook() {
    RampEnd end = new RampEnd(250_000, Duration.ofSeconds(30));
    assertThat(end.over(235_000, 0)).isFalse();

    // The watching process stalls 45 s; its first look after it reads the count from before.
    assertThat(end.over(235_000, 45 * SECOND)).isFalse();
    // Its readers catch up: the devices kept coming.
    assertThat(end.over(238_000, 46 * SECOND)).isFalse();
  }

  @Test
  void lookingOftenCountsThePatienceInFull() {
    RampEnd end = new RampEnd(100, Duration.ofSeconds(30));
    long step = 200_000_000L; // the parent's 200 ms loop
    long now = 0;
    assertThat(end.over(90, now)).isFalse();
    while (now < 30 * SECOND - step) {
      now += step;
      assertThat(end.over(90, now)).as("at %d ms", now / 1_000_000).isFalse();
    }
    assertThat(end.over(90, now + step)).isTrue();
  }
}
