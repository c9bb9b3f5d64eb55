package org.iotbackbone.simulator.internal;

import java.time.Instant;

/** Wall-clock microseconds: what the payloads carry, comparable across processes of one host. */
final class Clock {

  private Clock() {}

  static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }
}
