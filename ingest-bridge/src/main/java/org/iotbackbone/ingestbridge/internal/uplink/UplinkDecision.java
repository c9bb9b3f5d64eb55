package org.iotbackbone.ingestbridge.internal.uplink;

import org.apache.avro.specific.SpecificRecord;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.topics.TopicDefinition;

/** What to do with one uplink message: produce a record, or refuse it. */
public sealed interface UplinkDecision {

  /** Produce {@code value} to {@code topic} with {@code key} (the device id). */
  record Produce(TopicDefinition<?> topic, String key, SpecificRecord value)
      implements UplinkDecision {}

  /**
   * Send {@code deadLetter} to {@code iot.deadletter}; when {@code responseTopic} is not null (a
   * shadow request), also publish {@code responsePayload} there: the device waits for an answer.
   */
  record Reject(DeadLetter deadLetter, String responseTopic, byte[] responsePayload)
      implements UplinkDecision {}
}
