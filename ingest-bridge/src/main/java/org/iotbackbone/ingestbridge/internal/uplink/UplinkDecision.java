package org.iotbackbone.ingestbridge.internal.uplink;

import org.apache.avro.specific.SpecificRecord;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.topics.TopicDefinition;

/**
 * What to do with one uplink message: produce a record, refuse it, or answer it without Kafka (a
 * throttled jobs request).
 */
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

  /**
   * A jobs request over its device's rate ({@link JobsThrottle}): nothing goes to Kafka; publish
   * {@code responsePayload} (the 429 answer) on {@code responseTopic} and acknowledge the message.
   *
   * @param deviceId the device that asked
   * @param operation the operation asked for (START_NEXT, GET, UPDATE), for the metric
   * @param responseTopic the request's {@code .../rejected} topic
   * @param responsePayload {@code {"code":429,"message":..,"timestamp":..,"clientToken"?}}
   */
  record Throttled(String deviceId, String operation, String responseTopic, byte[] responsePayload)
      implements UplinkDecision {}
}
