package org.iotbackbone.ingestbridge.internal.uplink;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.iotbackbone.ingestbridge.internal.kafka.KafkaSender;
import org.iotbackbone.schemas.errors.TransientErrors;

/**
 * What to do with a message whose record (or dead letter) Kafka did not take. Pure: the rule that
 * no message stays neither acknowledged nor dead-lettered, in one place.
 *
 * <p>PUBACKs go out in the order messages arrived, so a message left unacknowledged holds back the
 * acknowledgement of every later one on its connection, the window fills and a reconnect sends it
 * again first: it would stall the connection for good. Only a stopping bridge leaves messages
 * unacknowledged (the next session takes them).
 */
public final class UplinkFailures {

  /** The next step for the message. */
  public enum Next {
    /** The bridge is stopping: leave it unacknowledged, the broker sends it again. */
    LEAVE_UNACKNOWLEDGED,
    /** A failure that passes (Kafka or the registry away): send the same record again. */
    RETRY,
    /** Kafka refused the record for good: send its dead letter, acknowledge once Kafka has it. */
    DEAD_LETTER,
    /**
     * Kafka refused even the dead letter for good: acknowledge the message, counted and logged as
     * dropped; keeping it would stall the connection and would not make Kafka take it.
     */
    ACKNOWLEDGE_DROPPED
  }

  private UplinkFailures() {}

  /** After the message's record failed with {@code error}. */
  public static Next afterRecord(Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof KafkaSender.SenderClosedException) {
      return Next.LEAVE_UNACKNOWLEDGED;
    }
    return TransientErrors.isTransient(cause) ? Next.RETRY : Next.DEAD_LETTER;
  }

  /** After the message's dead letter failed with {@code error}. */
  public static Next afterDeadLetter(Throwable error) {
    Next next = afterRecord(error);
    return next == Next.DEAD_LETTER ? Next.ACKNOWLEDGE_DROPPED : next;
  }

  /** Whether Kafka refused the record for its size (the producer's or the topic's limit). */
  public static boolean tooLarge(Throwable error) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable e = error; e != null && seen.add(e); e = e.getCause()) {
      if (e instanceof RecordTooLargeException) {
        return true;
      }
    }
    return false;
  }

  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
