package org.iotbackbone.streamsapp;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds of the jobs topology (docs/design.md, "Jobs").
 *
 * @param tick how often the coordinator paces rollouts, times executions out and writes changed
 *     jobs (wall clock)
 * @param maxTargets the most device ids a job may list
 * @param maxDocumentBytes the largest job document, in UTF-8 bytes
 * @param finalExecutionsKept how many final executions of a device are kept besides its pending
 *     ones
 */
public record JobLimits(
    Duration tick, int maxTargets, int maxDocumentBytes, int finalExecutionsKept) {

  /** The most a rollout may notify per minute, AWS IoT Jobs' bound. */
  public static final int MAX_RATE_PER_MINUTE = 1000;

  public JobLimits {
    Objects.requireNonNull(tick, "tick");
    if (tick.isNegative() || tick.isZero()) {
      throw new IllegalArgumentException("tick must be positive: " + tick);
    }
    if (maxTargets < 1 || maxDocumentBytes < 2 || finalExecutionsKept < 0) {
      throw new IllegalArgumentException("maxTargets, maxDocumentBytes must be positive");
    }
  }

  /** A one-second tick, 10,000 listed targets, 32 KiB documents, 32 final executions per device. */
  public static JobLimits defaults() {
    return new JobLimits(Duration.ofSeconds(1), 10_000, 32 * 1024, 32);
  }
}
