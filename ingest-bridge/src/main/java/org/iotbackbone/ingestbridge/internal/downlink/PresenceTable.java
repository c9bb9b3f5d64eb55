package org.iotbackbone.ingestbridge.internal.downlink;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.iotbackbone.schemas.PresenceEvent;
import org.iotbackbone.schemas.PresenceStatus;

/**
 * The broker each device was last seen on. A device that connected to broker B is routed to B, and
 * stays routed there after it disconnects (its persistent session at B queues what is sent). A
 * DISCONNECTED from another broker than the one it was last seen on is ignored: when a device moves
 * from A to B, A's will message may arrive after B's online.
 */
final class PresenceTable {

  private record Seen(String broker, boolean connected) {}

  private final Map<String, Seen> devices = new ConcurrentHashMap<>();

  Optional<String> brokerOf(String deviceId) {
    return Optional.ofNullable(devices.get(deviceId)).map(Seen::broker);
  }

  void apply(PresenceEvent event) {
    String device = event.getDeviceId();
    if (event.getStatus() == PresenceStatus.CONNECTED) {
      devices.put(device, new Seen(event.getBroker(), true));
    } else if (event.getStatus() == PresenceStatus.DISCONNECTED) {
      devices.compute(
          device,
          (id, seen) ->
              seen == null || seen.broker().equals(event.getBroker())
                  ? new Seen(event.getBroker(), false)
                  : seen);
    }
  }
}
