package org.iotbackbone.ingestbridge.internal.downlink;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.iotbackbone.schemas.PresenceEvent;
import org.iotbackbone.schemas.PresenceStatus;

/**
 * The broker each device was last seen on. A device that connected to broker B is routed to B, and
 * stays routed there after it disconnects (its persistent session at B queues what is sent). A
 * DISCONNECTED from another broker than the one it was last seen on is ignored: when a device moves
 * from A to B, A's will message may arrive after B's online.
 *
 * <p>Bounded, since it is read from the whole of {@code iot.device.presence} and would otherwise
 * hold every device ever seen: a disconnected device is forgotten {@code retention} after its
 * offline event (event time, so that re-reading the topic at start does not bring old ones back),
 * and past {@code maxDevices} the least recently updated device is forgotten. A forgotten device is
 * routed like one never seen: to every broker.
 */
final class PresenceTable {

  private record Seen(String broker, boolean connected, long atMillis) {}

  private final int maxDevices;
  private final long retentionMillis;
  private final LongSupplier clock;
  // In the order of their last update, oldest first.
  private final LinkedHashMap<String, Seen> devices = new LinkedHashMap<>();

  /** Unbounded, for tests of the routing rules. */
  PresenceTable() {
    this(Integer.MAX_VALUE, Duration.ofMillis(Long.MAX_VALUE), System::currentTimeMillis);
  }

  PresenceTable(int maxDevices, Duration retention, LongSupplier clock) {
    this.maxDevices = maxDevices;
    this.retentionMillis = retention.toMillis();
    this.clock = clock;
  }

  synchronized Optional<String> brokerOf(String deviceId) {
    Seen seen = devices.get(deviceId);
    if (seen != null && expired(seen, clock.getAsLong())) {
      devices.remove(deviceId);
      return Optional.empty();
    }
    return Optional.ofNullable(seen).map(Seen::broker);
  }

  /** Devices held now. */
  synchronized int size() {
    return devices.size();
  }

  synchronized void apply(PresenceEvent event) {
    String device = event.getDeviceId();
    long at = event.getOccurredAt().toEpochMilli();
    Seen seen = devices.get(device);
    Seen next;
    if (event.getStatus() == PresenceStatus.CONNECTED) {
      next = new Seen(event.getBroker(), true, at);
    } else if (event.getStatus() == PresenceStatus.DISCONNECTED) {
      if (seen != null && !seen.broker().equals(event.getBroker())) {
        return;
      }
      next = new Seen(event.getBroker(), false, at);
    } else {
      return;
    }
    devices.remove(device); // re-inserted last: the order is that of last updates
    if (!expired(next, clock.getAsLong())) {
      devices.put(device, next);
    }
    while (devices.size() > maxDevices) {
      Iterator<String> eldest = devices.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
  }

  /** Forgets every disconnected device past its retention; returns how many. */
  synchronized int sweep() {
    long now = clock.getAsLong();
    int removed = 0;
    for (Iterator<Map.Entry<String, Seen>> it = devices.entrySet().iterator(); it.hasNext(); ) {
      if (expired(it.next().getValue(), now)) {
        it.remove();
        removed++;
      }
    }
    return removed;
  }

  private boolean expired(Seen seen, long now) {
    return !seen.connected() && now - seen.atMillis() > retentionMillis;
  }
}
