package org.iotbackbone.connectors.internal;

import java.util.Objects;
import org.iotbackbone.schemas.DeviceShadow;

/**
 * One record of the shadows topic, decoded.
 *
 * @param deviceId the device (the record key)
 * @param offset the record's Kafka offset: it orders the device's writes (see {@link
 *     WriteTimestamps})
 * @param shadow the device's state, or null for a tombstone (the device's shadows were deleted)
 * @param source what to report to the dead-letter topic if the write can never succeed (the Connect
 *     record)
 */
public record ShadowChange(String deviceId, long offset, DeviceShadow shadow, Object source) {

  public ShadowChange {
    Objects.requireNonNull(deviceId, "deviceId");
  }

  public boolean isTombstone() {
    return shadow == null;
  }
}
