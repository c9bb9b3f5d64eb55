package org.iotbackbone.simulator.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.iotbackbone.servers.launch.Launch;
import org.iotbackbone.servers.launch.Launched;
import org.iotbackbone.simulator.Count;
import org.iotbackbone.simulator.Leg;

/**
 * The simulator processes that each run part of a fleet, seen from the process that started them:
 * it reads their {@link PartStatus} lines and adds what changed to one {@link Metrics}, so that the
 * live line, the totals and the percentiles are over the whole fleet. A part's other output goes to
 * this process's standard error, prefixed with the part's number.
 */
public final class Parts implements AutoCloseable {

  /**
   * The line {@link #startLoad()} writes on each part's standard input: the whole fleet is up (or
   * its stragglers stopped coming), start the load. A part waits for it after its own ramp, so that
   * the parts' loads run at the same time, over the whole fleet held at once.
   */
  public static final String START_LOAD = "start-load";

  private final List<Part> parts = new ArrayList<>();

  /**
   * Starts one process per launch (standard output piped here, standard error this process's); each
   * must print {@link PartStatus} lines on its standard output.
   */
  public Parts(List<Launch> launches, Metrics metrics) throws IOException {
    try {
      for (int i = 0; i < launches.size(); i++) {
        Launched process = launches.get(i).start();
        Part part = new Part(i, process, metrics);
        parts.add(part);
        part.reader.start();
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Tells every running part to start its load ({@link #START_LOAD}). */
  public void startLoad() {
    for (Part part : parts) {
      try {
        OutputStream in = part.process.input();
        in.write((START_LOAD + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
      } catch (IOException e) {
        // The part has ended: failures() tells how.
      }
    }
  }

  /** Asks every part to end its load (SIGTERM): each still drains and sends its last status. */
  public void stop() {
    // Through the ProcessHandle: Process.destroy() also closes this side's pipes, so the reader
    // would stop at "Stream closed" before the part's last status (seen in PlatformIT: both
    // parts "exited with 143 before its last status", and the run waited out its drain time).
    parts.forEach(part -> part.process.handle().destroy());
  }

  /** Waits until every part has ended, up to {@code timeout}; true if they all did. */
  public boolean awaitEnd(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Part part : parts) {
      long left = deadline - System.nanoTime();
      if (part.process.isAlive() && !part.process.waitFor(Duration.ofNanos(Math.max(0, left)))) {
        return false;
      }
      // The process is gone; its last lines are read in a moment.
      part.reader.join(1_000);
    }
    return true;
  }

  /** Whether every part is still running or ended with its last status. */
  public boolean healthy() {
    return parts.stream().allMatch(part -> part.process.isAlive() || part.ended());
  }

  /** The longest connect ramp of the parts that ended. */
  public Duration ramp() {
    return Duration.ofMillis(
        parts.stream()
            .mapToLong(part -> part.last == null ? 0 : part.last.rampMillis())
            .max()
            .orElse(0));
  }

  /** The longest load of the parts that ended. */
  public Duration load() {
    return Duration.ofMillis(
        parts.stream()
            .mapToLong(part -> part.last == null ? 0 : part.last.loadMillis())
            .max()
            .orElse(0));
  }

  /** What went wrong with the parts: one line each for a part that did not end well. */
  public List<String> failures() {
    List<String> failures = new ArrayList<>();
    for (Part part : parts) {
      if (part.process.isAlive()) {
        failures.add("part " + part.index + " had not ended");
      } else if (!part.ended()) {
        failures.add(
            "part "
                + part.index
                + " exited with "
                + part.process.exitValue()
                + " before its last status"
                + (part.error == null ? "" : " (" + part.error + ")"));
      }
    }
    return failures;
  }

  /** Kills what still runs. */
  @Override
  public void close() {
    for (Part part : parts) {
      part.process.kill();
    }
  }

  /** One process, and what of its status was already added to the metrics. */
  private static final class Part {
    final int index;
    final Launched process;
    final Metrics metrics;
    final Thread reader;
    final PartStatus.Reader statusReader = new PartStatus.Reader();
    // The part's previous status: what of its cumulative totals the metrics already hold.
    volatile PartStatus last;
    volatile String error;

    Part(int index, Launched process, Metrics metrics) {
      this.index = index;
      this.process = process;
      this.metrics = metrics;
      this.reader = new Thread(this::read, "simulator-part-" + index);
      reader.setDaemon(true);
    }

    boolean ended() {
      PartStatus status = last;
      return status != null && status.done();
    }

    private void read() {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(process.output(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          PartStatus status = statusReader.parse(line);
          if (status == null) {
            System.err.println("part " + index + ": " + line);
          } else {
            absorb(status);
          }
        }
      } catch (IOException | IllegalArgumentException e) {
        error = e.getMessage();
      }
    }

    /** Adds what changed since the part's previous status. */
    private void absorb(PartStatus status) {
      PartStatus before = last;
      for (Count count : Count.values()) {
        long already = before == null ? 0 : before.counts().get(count);
        metrics.add(count, status.counts().get(count) - already);
      }
      for (Leg leg : Leg.values()) {
        Histogram now = status.latencies().get(leg);
        Histogram already = before == null ? null : before.latencies().get(leg);
        if (now != already) { // the reader hands back the same instance for an unchanged leg
          metrics.add(leg, now, already);
        }
      }
      metrics.connected(status.connected() - (before == null ? 0 : before.connected()));
      last = status;
    }
  }
}
