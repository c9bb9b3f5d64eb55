package org.iotbackbone.streamsapp.internal.streams;

import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.ShadowResponse;

/**
 * What the shadow processors emit: a new state of a device's record (null for a tombstone) or a
 * message for the device. The topology splits them to their two topics.
 */
public record ShadowOutput(boolean isState, DeviceShadow state, ShadowResponse response) {

  public static ShadowOutput state(DeviceShadow state) {
    return new ShadowOutput(true, state, null);
  }

  public static ShadowOutput response(ShadowResponse response) {
    return new ShadowOutput(false, null, response);
  }
}
