package org.iotbackbone.streamsapp.internal.shadow;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.Presence;
import org.iotbackbone.schemas.PresenceEvent;
import org.iotbackbone.schemas.PresenceStatus;
import org.iotbackbone.streamsapp.internal.InvalidRecordException;

/** How a presence event changes a device's record. */
public final class PresenceRules {

  private PresenceRules() {}

  /**
   * The record after the event, or null when the event changes nothing: it is older than what the
   * record knows, or it is the late will message of a broker the device has left.
   *
   * @param current the device's record, or null
   */
  public static DeviceShadow apply(DeviceShadow current, PresenceEvent event, long nowMs) {
    if (event.getStatus() != PresenceStatus.CONNECTED
        && event.getStatus() != PresenceStatus.DISCONNECTED) {
      throw new InvalidRecordException(
          DeadLetterReason.INVALID_REQUEST, "unknown presence status " + event.getStatus());
    }
    Presence before = current == null ? null : current.getPresence();
    long at = event.getOccurredAt().toEpochMilli();
    if (before != null && at < lastChange(before)) {
      return null;
    }
    boolean connected = event.getStatus() == PresenceStatus.CONNECTED;
    if (!connected
        && before != null
        && before.getConnected()
        && before.getBroker() != null
        && !Objects.equals(before.getBroker(), event.getBroker())) {
      return null;
    }
    Presence after =
        Presence.newBuilder()
            .setConnected(connected)
            .setConnectedAt(connected ? event.getOccurredAt() : connectedAt(before))
            .setDisconnectedAt(connected ? disconnectedAt(before) : event.getOccurredAt())
            .setBroker(event.getBroker())
            .build();
    return DeviceShadow.newBuilder()
        .setDeviceId(event.getDeviceId())
        .setClassic(current == null ? null : current.getClassic())
        .setNamed(current == null ? Map.of() : current.getNamed())
        .setPresence(after)
        .setRevision(current == null ? 1 : current.getRevision() + 1)
        .setUpdatedAt(Instant.ofEpochMilli(nowMs))
        .build();
  }

  private static long lastChange(Presence presence) {
    long connected =
        presence.getConnectedAt() == null ? 0 : presence.getConnectedAt().toEpochMilli();
    long disconnected =
        presence.getDisconnectedAt() == null ? 0 : presence.getDisconnectedAt().toEpochMilli();
    return Math.max(connected, disconnected);
  }

  private static Instant connectedAt(Presence presence) {
    return presence == null ? null : presence.getConnectedAt();
  }

  private static Instant disconnectedAt(Presence presence) {
    return presence == null ? null : presence.getDisconnectedAt();
  }
}
