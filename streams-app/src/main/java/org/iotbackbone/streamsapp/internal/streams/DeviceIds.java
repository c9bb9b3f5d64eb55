package org.iotbackbone.streamsapp.internal.streams;

import java.util.regex.Pattern;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.streamsapp.internal.InvalidRecordException;

/** Checks that a record is about the device its key names (docs/design.md: keys are device ids). */
public final class DeviceIds {

  /** 1 to 64 characters of {@code [A-Za-z0-9_-]}, equal to the MQTT client id. */
  public static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private DeviceIds() {}

  public static boolean isValid(String deviceId) {
    return deviceId != null && DEVICE_ID.matcher(deviceId).matches();
  }

  /** Throws (to the dead-letter topic) unless key and value name the same valid device. */
  public static void check(String key, Object value, String valueDeviceId) {
    if (key == null) {
      throw new InvalidRecordException(DeadLetterReason.INVALID_DEVICE_ID, "record has no key");
    }
    if (value == null) {
      throw new InvalidRecordException(DeadLetterReason.INVALID_REQUEST, "record has no value");
    }
    if (!isValid(key)) {
      throw new InvalidRecordException(
          DeadLetterReason.INVALID_DEVICE_ID, "key is not a valid device id");
    }
    if (!key.equals(valueDeviceId)) {
      throw new InvalidRecordException(
          DeadLetterReason.INVALID_REQUEST, "key and deviceId differ: " + valueDeviceId);
    }
  }
}
