package org.iotbackbone.ingestbridge.internal.topic;

import java.util.Objects;
import org.iotbackbone.schemas.DeadLetterReason;

/**
 * What {@link DeviceTopics#parse} made of a topic: a {@link DeviceTopic}, or why it is not one.
 *
 * @param topic the parsed topic, or null when it is invalid
 * @param reason why it is invalid, or null
 * @param message a human-readable explanation, or null
 * @param deviceId the device id when the topic had a valid one, or null
 */
public record TopicParse(
    DeviceTopic topic, DeadLetterReason reason, String message, String deviceId) {

  static TopicParse valid(DeviceTopic topic) {
    return new TopicParse(Objects.requireNonNull(topic), null, null, topic.deviceId());
  }

  static TopicParse invalid(DeadLetterReason reason, String message, String deviceId) {
    return new TopicParse(null, reason, message, deviceId);
  }

  public boolean isValid() {
    return topic != null;
  }
}
