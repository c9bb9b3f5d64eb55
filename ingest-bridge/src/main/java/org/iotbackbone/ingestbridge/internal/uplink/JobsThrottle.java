package org.iotbackbone.ingestbridge.internal.uplink;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.iotbackbone.ingestbridge.internal.topic.DeviceTopics;
import org.iotbackbone.schemas.JobExecutionRequest;

/**
 * A token bucket per device for its jobs requests ({@code devices/{id}/jobs/...}): {@code
 * perSecond} tokens a second, at most {@code burst} banked. A request over it is answered by the
 * bridge itself with 429 on its {@code .../rejected} topic, and nothing goes to Kafka: one device
 * looping on start-next cannot flood the streams app's jobs topology. The bound is per bridge
 * instance: the shared subscription spreads a device's messages over the bridges, so N bridges let
 * up to N times the rate through. Thread-safe; only jobs requests take its lock.
 *
 * <p>Memory is bounded, whatever the size of the fleet. A bucket left alone for {@code
 * burst/perSecond} seconds is full again, and a full bucket behaves exactly like no bucket: such
 * idle buckets are dropped as the least recently used ones come up, so the map holds only the
 * devices that asked within that time (2 s at the defaults). Past {@code maxDevices} of those, the
 * least recently used bucket is dropped early: that device gets a full burst again on its next
 * request. A flooding device is always among the most recently used, so it is never the one
 * dropped; at the defaults this takes more than 50,000 devices' jobs requests a second on one
 * bridge.
 */
public final class JobsThrottle {

  /**
   * The most devices tracked at once: about 150 bytes each (id, bucket, map entry), so some 15 MB
   * at most.
   */
  public static final int MAX_DEVICES = 100_000;

  private final double perSecond;
  private final int burst;
  private final int maxDevices;
  private final long refillNanos;
  private final LongSupplier nanoTime;
  private final String limitText;
  // In access order: the first entry is the device that asked longest ago.
  private final LinkedHashMap<String, Bucket> buckets = new LinkedHashMap<>(1024, 0.75f, true);

  /** A throttle of {@code perSecond} requests a second per device, {@code burst} at once. */
  public JobsThrottle(double perSecond, int burst) {
    this(perSecond, burst, MAX_DEVICES, System::nanoTime);
  }

  JobsThrottle(double perSecond, int burst, int maxDevices, LongSupplier nanoTime) {
    if (!(perSecond > 0) || burst < 1 || maxDevices < 1) {
      throw new IllegalArgumentException(
          "rate, burst and devices must be positive: " + perSecond + ", " + burst);
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.maxDevices = maxDevices;
    this.refillNanos = (long) Math.ceil(burst / perSecond * 1e9);
    this.nanoTime = nanoTime;
    this.limitText =
        BigDecimal.valueOf(perSecond).stripTrailingZeros().toPlainString()
            + " jobs requests per second (burst "
            + burst
            + ")";
  }

  /**
   * {@code decision} as it is, unless it is a jobs request over its device's rate: then the 429
   * answer for it ({@link UplinkDecision.Throttled}). Every jobs request that passes takes a token.
   */
  public UplinkDecision apply(UplinkDecision decision) {
    if (!(decision instanceof UplinkDecision.Produce produce)
        || !(produce.value() instanceof JobExecutionRequest request)
        || tryTake(request.getDeviceId())) {
      return decision;
    }
    byte[] answer =
        UplinkMapper.errorDocument(
            429,
            "Throttled: over " + limitText + " from this device; try again later",
            UplinkMapper.clientToken(request.getDocument()),
            request.getRequestedAt().toEpochMilli());
    return new UplinkDecision.Throttled(
        request.getDeviceId(),
        request.getOperation().name(),
        DeviceTopics.jobResponseTopic(
            request.getDeviceId(), request.getOperation(), request.getJobId(), false),
        answer);
  }

  /** Takes a token of the device's bucket; false when it has none left. */
  synchronized boolean tryTake(String deviceId) {
    long now = nanoTime.getAsLong();
    dropIdle(now);
    Bucket bucket = buckets.get(deviceId);
    if (bucket == null) {
      bucket = new Bucket(burst, now);
      buckets.put(deviceId, bucket);
      if (buckets.size() > maxDevices) {
        Iterator<Bucket> eldest = buckets.values().iterator();
        eldest.next();
        eldest.remove();
      }
    } else {
      bucket.refill(now, perSecond, burst);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    return false;
  }

  /** How many devices' buckets are held (for tests). */
  synchronized int trackedDevices() {
    return buckets.size();
  }

  /**
   * Drops the buckets full again by now, from the least recently used on: every access refills a
   * bucket and moves it to the end, so the first one not yet full ends the sweep.
   */
  private void dropIdle(long now) {
    Iterator<Map.Entry<String, Bucket>> oldest = buckets.entrySet().iterator();
    while (oldest.hasNext()) {
      if (now - oldest.next().getValue().lastNanos < refillNanos) {
        return;
      }
      oldest.remove();
    }
  }

  private static final class Bucket {
    double tokens;
    long lastNanos;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.lastNanos = now;
    }

    void refill(long now, double perSecond, int burst) {
      tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * perSecond);
      lastNanos = now;
    }
  }
}
