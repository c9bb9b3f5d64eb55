package org.iotbackbone.streamsapp.internal.shadow;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Counts each device's requests in flight: those received (by their {@code requestedAt}) within the
 * window before the one at hand. Held in memory by one stream task; a device's requests all reach
 * the same task, so the count is exact while the task stays on this instance.
 */
public final class InFlightLimiter {

  private final int max;
  private final long windowMs;
  private final Map<String, ArrayDeque<Long>> recent = new HashMap<>();

  public InFlightLimiter(int max, Duration window) {
    this.max = max;
    this.windowMs = window.toMillis();
  }

  /** Admits a request received at {@code atMs} unless the device already has {@code max}. */
  public boolean tryAcquire(String deviceId, long atMs) {
    ArrayDeque<Long> times = recent.computeIfAbsent(deviceId, id -> new ArrayDeque<>());
    while (!times.isEmpty() && times.peekFirst() <= atMs - windowMs) {
      times.pollFirst();
    }
    if (times.size() >= max) {
      return false;
    }
    times.addLast(atMs);
    return true;
  }

  /** Forgets devices with nothing in flight at {@code nowMs}, so memory follows active devices. */
  public void expire(long nowMs) {
    Iterator<ArrayDeque<Long>> it = recent.values().iterator();
    while (it.hasNext()) {
      ArrayDeque<Long> times = it.next();
      if (times.isEmpty() || times.peekLast() <= nowMs - windowMs) {
        it.remove();
      }
    }
  }

  /** How many devices are tracked (for tests and metrics). */
  public int trackedDevices() {
    return recent.size();
  }
}
