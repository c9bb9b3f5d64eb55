package org.iotbackbone.ingestbridge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void theCeilingDoublesUpToTheMaximum() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));

    assertThat(backoff.ceiling(0)).isEqualTo(100);
    assertThat(backoff.ceiling(1)).isEqualTo(200);
    assertThat(backoff.ceiling(3)).isEqualTo(800);
    assertThat(backoff.ceiling(4)).isEqualTo(1000);
    assertThat(backoff.ceiling(10_000)).isEqualTo(1000);
  }

  @Test
  void theDelayIsDrawnFromZeroToTheCeiling() {
    Backoff lowest = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), bound -> 0);
    Backoff highest = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), bound -> bound);

    assertThat(lowest.delay(5)).isZero();
    assertThat(highest.delay(2)).isEqualTo(Duration.ofMillis(400));
    Backoff real = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
    for (int i = 0; i < 1000; i++) {
      assertThat(real.delay(2).toMillis()).isBetween(0L, 400L);
    }
  }
}
