package org.iotbackbone.simulator.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.iotbackbone.simulator.Count;
import org.iotbackbone.simulator.Leg;

/**
 * What a simulation measures: a latency recorder per leg (HdrHistogram, microseconds, recorded from
 * any thread), counters, and the connections held. {@link #sample(long, double)} takes one second's
 * worth for the report's time series and adds it to the run's totals, unless it falls in the
 * warm-up: the first seconds of the load (from the first event, update or command sent), whose
 * latencies the series shows but the run's percentiles leave out. The connect leg is the ramp's and
 * always counts.
 */
public final class Metrics {

  /** Latencies are recorded up to an hour, 3 significant digits. */
  private static final long MAX_MICROS = 3_600_000_000L;

  private final Map<Leg, Recorder> recorders = new EnumMap<>(Leg.class);
  private final Map<Leg, Histogram> totals = new EnumMap<>(Leg.class);

  /**
   * Each leg's last interval, recycled by the next sample (not to allocate 184 KB a leg a second).
   */
  private final Map<Leg, Histogram> intervals = new EnumMap<>(Leg.class);

  private final Map<Count, LongAdder> counts = new EnumMap<>(Count.class);
  private final AtomicInteger connected = new AtomicInteger();
  private final List<Sample> samples = new ArrayList<>();
  private final Map<Count, Long> lastCounts = new EnumMap<>(Count.class);

  /** Latencies measured by other processes (see {@link #add}), until the next sample takes them. */
  private final Map<Leg, Histogram> imported = new EnumMap<>(Leg.class);

  private final long warmUpMillis;

  /** When the load started (the sample that first saw something sent), or -1 before. */
  private long loadStartMillis = -1;

  /** Metrics without a warm-up: every latency counts. */
  public Metrics() {
    this(java.time.Duration.ZERO);
  }

  /** Metrics whose run percentiles leave out the first {@code warmUp} of the load. */
  public Metrics(java.time.Duration warmUp) {
    this.warmUpMillis = warmUp.toMillis();
    for (Leg leg : Leg.values()) {
      recorders.put(leg, new Recorder(MAX_MICROS, 3));
      totals.put(leg, new Histogram(MAX_MICROS, 3));
      imported.put(leg, new Histogram(MAX_MICROS, 3));
    }
    for (Count count : Count.values()) {
      counts.put(count, new LongAdder());
      lastCounts.put(count, 0L);
    }
  }

  /** Records one latency of a leg; a negative one (clocks of two hosts) counts as zero. */
  public void record(Leg leg, long micros) {
    recorders.get(leg).recordValue(Math.min(MAX_MICROS, Math.max(0, micros)));
  }

  public void count(Count count) {
    counts.get(count).increment();
  }

  /** The total of a counter so far. */
  public long total(Count count) {
    return counts.get(count).sum();
  }

  /** Adds to a counter what another process counted. */
  public void add(Count count, long amount) {
    counts.get(count).add(amount);
  }

  /**
   * Adds latencies another process measured between two of its cumulative totals, {@code before}
   * (null for none) and {@code now}; the next {@link #sample} takes them. Neither is copied: a
   * quarter-million-device run's parent adds 14 parts' totals a second, 184 KB each.
   *
   * @throws IllegalArgumentException when {@code now} lacks a value {@code before} has (totals only
   *     grow: a defect of the other process, whose figures from then on are not to be trusted)
   */
  public void add(Leg leg, Histogram now, Histogram before) {
    Histogram into = imported.get(leg);
    synchronized (into) {
      // Adding now before taking before away keeps every count of into from going below zero.
      into.add(now);
      if (before != null) {
        into.subtract(before);
      }
    }
  }

  public void connected(int change) {
    connected.addAndGet(change);
  }

  public int connected() {
    return connected.get();
  }

  /**
   * Takes what was recorded since the last sample: the interval's latencies join the run's totals,
   * and the sample (per-second rates, percentiles) joins the time series.
   *
   * @param atMillis the sample's time, milliseconds since the run started
   */
  public synchronized Sample sample(long atMillis, double seconds) {
    if (loadStartMillis < 0
        && total(Count.EVENTS_SENT) + total(Count.UPDATES_SENT) + total(Count.COMMANDS_SENT) > 0) {
      // Sent within the interval that ends now: the load started at most a second ago.
      loadStartMillis = Math.max(0, atMillis - (long) (seconds * 1000));
    }
    boolean warmedUp =
        warmUpMillis == 0 || (loadStartMillis >= 0 && atMillis - loadStartMillis > warmUpMillis);
    Map<Leg, long[]> percentiles = new EnumMap<>(Leg.class);
    for (Leg leg : Leg.values()) {
      Histogram interval = recorders.get(leg).getIntervalHistogram(intervals.get(leg));
      intervals.put(leg, interval);
      Histogram fromElsewhere = imported.get(leg);
      synchronized (fromElsewhere) {
        interval.add(fromElsewhere);
        fromElsewhere.reset();
      }
      if (warmedUp || leg == Leg.CONNECT) {
        totals.get(leg).add(interval);
      }
      if (interval.getTotalCount() > 0) {
        percentiles.put(
            leg,
            new long[] {
              interval.getValueAtPercentile(50),
              interval.getValueAtPercentile(99),
              interval.getTotalCount()
            });
      }
    }
    Map<Count, Double> rates = new EnumMap<>(Count.class);
    for (Count count : Count.values()) {
      long now = counts.get(count).sum();
      rates.put(count, (now - lastCounts.get(count)) / seconds);
      lastCounts.put(count, now);
    }
    Sample sample = new Sample(atMillis, connected.get(), rates, percentiles);
    samples.add(sample);
    return sample;
  }

  /** The run's latencies of a leg so far (as of the last sample). */
  public synchronized Histogram total(Leg leg) {
    return totals.get(leg).copy();
  }

  public synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  /**
   * One second of a run.
   *
   * @param atMillis since the run started
   * @param connected devices connected at that time
   * @param rates per-second rates of the counters over the interval
   * @param latencies per leg with values in the interval: {p50, p99, count} in microseconds
   */
  public record Sample(
      long atMillis, int connected, Map<Count, Double> rates, Map<Leg, long[]> latencies) {}
}
