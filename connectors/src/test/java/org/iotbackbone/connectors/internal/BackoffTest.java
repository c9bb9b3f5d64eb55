package org.iotbackbone.connectors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesUpToTheMaximumAndStartsOverAfterASuccess() {
    Backoff backoff = new Backoff(100, 1_000);
    assertThat(backoff.next()).isEqualTo(100);
    assertThat(backoff.next()).isEqualTo(200);
    assertThat(backoff.next()).isEqualTo(400);
    assertThat(backoff.next()).isEqualTo(800);
    assertThat(backoff.next()).isEqualTo(1_000);
    for (int i = 0; i < 100; i++) {
      assertThat(backoff.next()).isEqualTo(1_000);
    }
    assertThat(backoff.attempts()).isEqualTo(105);
    backoff.reset();
    assertThat(backoff.next()).isEqualTo(100);
  }
}
