package org.iotbackbone.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandPollTest {

  @Test
  void aFastTripIsReadEvery5Ms() {
    assertThat(CommandSender.nextPollMillis(0)).isEqualTo(5);
    assertThat(CommandSender.nextPollMillis(30_000)).isEqualTo(5);
  }

  @Test
  void aSlowTripIsReadEveryTenthOfItsTimeSoFar() {
    assertThat(CommandSender.nextPollMillis(400_000)).isEqualTo(40);
    assertThat(CommandSender.nextPollMillis(2_000_000)).isEqualTo(200);
  }

  @Test
  void aStalledCommandIsReadAtMost4TimesASecond() {
    assertThat(CommandSender.nextPollMillis(20_000_000)).isEqualTo(250);
    // Reads of one command over a 30 s time to live: bounded, whatever the trip takes.
    long reads = 0;
    for (long elapsed = 0;
        elapsed < 30_000_000;
        elapsed += CommandSender.nextPollMillis(elapsed) * 1000) {
      reads++;
    }
    assertThat(reads).isLessThan(200);
  }
}
