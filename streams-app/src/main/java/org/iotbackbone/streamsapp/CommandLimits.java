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
 */
public record CommandLimits(Duration statusRetention, Duration completionTimeout, int maxHistory) {

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
  }

  /** Final statuses kept 7 days, 1 hour after expiry to finish, 32 steps of history. */
  public static CommandLimits defaults() {
    return new CommandLimits(Duration.ofDays(7), Duration.ofHours(1), 32);
  }
}
