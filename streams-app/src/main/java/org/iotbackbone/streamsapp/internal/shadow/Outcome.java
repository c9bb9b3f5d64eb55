package org.iotbackbone.streamsapp.internal.shadow;

import java.util.List;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.ShadowResponse;

/**
 * What one request did.
 *
 * @param changed whether the device's record changed (and {@code next} is to be stored and sent)
 * @param next the record after the request; null when the device's last shadow was deleted
 * @param responses the messages for the device, in the order they are to be sent
 */
public record Outcome(boolean changed, DeviceShadow next, List<ShadowResponse> responses) {

  static Outcome unchanged(DeviceShadow current, List<ShadowResponse> responses) {
    return new Outcome(false, current, responses);
  }
}
