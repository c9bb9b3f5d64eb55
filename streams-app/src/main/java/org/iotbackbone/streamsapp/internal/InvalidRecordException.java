package org.iotbackbone.streamsapp.internal;

import org.iotbackbone.schemas.DeadLetterReason;

/**
 * A record that cannot be processed and must go to the dead-letter topic with this reason (the
 * processing exception handler does that), such as a request without a key.
 */
public final class InvalidRecordException extends RuntimeException {

  private final DeadLetterReason reason;

  public InvalidRecordException(DeadLetterReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** As the other, with the failure that made the record invalid. */
  public InvalidRecordException(DeadLetterReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public DeadLetterReason reason() {
    return reason;
  }
}
