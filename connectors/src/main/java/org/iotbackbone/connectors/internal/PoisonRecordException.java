package org.iotbackbone.connectors.internal;

import org.apache.kafka.connect.errors.DataException;
import org.iotbackbone.schemas.DeadLetterReason;

/**
 * A record the sink can never write, whatever it retries. It goes to the dead-letter topic as a
 * {@code DeadLetter} ({@link DeadLetterRecords}, built by the schemas module's {@code DeadLetters})
 * through Connect's errant record reporter; its message, which starts with the {@link
 * DeadLetterReason}, is the letter's message (and, with context headers on, the {@code
 * __connect.errors.exception.message} header).
 */
public final class PoisonRecordException extends DataException {

  private final DeadLetterReason reason;

  public PoisonRecordException(DeadLetterReason reason, String message, Throwable cause) {
    super(reason.name() + ": " + message, cause);
    this.reason = reason;
  }

  public DeadLetterReason reason() {
    return reason;
  }
}
