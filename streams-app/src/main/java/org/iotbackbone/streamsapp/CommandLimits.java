package org.iotbackbone.streamsapp;

import java.time.Duration;
import java.util.Objects;

/**
 * How long command statuses live and how much of a command's history is kept (docs/design.md,
 * "Commands").
 *
 * @param statusRetention how long a final status (SUCCEEDED, FAILED, REJECTED, UNDELIVERED,
 *     EXPIRED, TIMED_OUT) is kept after it was reached; then the command is forgotten
 * @param completionTimeout how long after its {@code expiresAt} a command may still reach a final
 *     status; then one that was delivered (or accepted) becomes TIMED_OUT, one never delivered
 *     EXPIRED
 * @param maxHistory the steps kept in a command's history: the first and the latest
 * @param answerGrace how long an answer read before its command (Kafka Streams does not order a
 *     task's two input partitions) is held for the command to come; then it is dead-lettered. Zero
 *     dead-letters it at once
 * @param maxHeldAnswers the early answers one task holds at most; beyond, one more is dead-lettered
 *     at once, so that a device answering made-up command ids cannot grow the store without bound
 */
public record CommandLimits(
    Duration statusRetention,
    Duration completionTimeout,
    int maxHistory,
    Duration answerGrace,
    int maxHeldAnswers) {

  /** 60 s: longer than the 45 s a stalled app was seen to read one input behind the other. */
  public static final Duration DEFAULT_ANSWER_GRACE = Duration.ofSeconds(60);

  /** Early answers held per task by default: a few MB of store (about 0.5 KB each). */
  public static final int DEFAULT_MAX_HELD_ANSWERS = 10_000;

  /** These limits with the default grace and bound of early answers. */
  public CommandLimits(Duration statusRetention, Duration completionTimeout, int maxHistory) {
    this(
        statusRetention,
        completionTimeout,
        maxHistory,
        DEFAULT_ANSWER_GRACE,
        DEFAULT_MAX_HELD_ANSWERS);
  }

  public CommandLimits {
    Objects.requireNonNull(statusRetention, "statusRetention");
    Objects.requireNonNull(completionTimeout, "completionTimeout");
    if (statusRetention.isNegative() || statusRetention.isZero()) {
      throw new IllegalArgumentException("statusRetention must be positive: " + statusRetention);
    }
    if (completionTimeout.isNegative()) {
      throw new IllegalArgumentException("completionTimeout must not be negative");
    }
    if (maxHistory < 2) {
      throw new IllegalArgumentException("maxHistory must be at least 2: " + maxHistory);
    }
    Objects.requireNonNull(answerGrace, "answerGrace");
    if (answerGrace.isNegative()) {
      throw new IllegalArgumentException("answerGrace must not be negative: " + answerGrace);
    }
    if (maxHeldAnswers < 0) {
      throw new IllegalArgumentException("maxHeldAnswers must not be negative: " + maxHeldAnswers);
    }
  }

  /**
   * Final statuses kept 7 days, 1 hour after expiry to finish, 32 steps of history, early answers
   * held 60 s, 10,000 of them per task.
   */
  public static CommandLimits defaults() {
    return new CommandLimits(Duration.ofDays(7), Duration.ofHours(1), 32);
  }
}
