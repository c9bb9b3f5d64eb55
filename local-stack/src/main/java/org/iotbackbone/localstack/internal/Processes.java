package org.iotbackbone.localstack.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Stopping a part by process id, with everything it started. */
public final class Processes {

  private Processes() {}

  /** Whether the process of that id runs. */
  public static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * Stops a process and its descendants: {@code SIGTERM} (a graceful stop: Kafka and Cassandra
   * flush, the bridge drains), then {@code SIGKILL} for whatever is left after {@code grace}.
   *
   * @return whether it had to be killed
   */
  public static boolean stopTree(long pid, Duration grace) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      return false;
    }
    List<ProcessHandle> all = new ArrayList<>(process.get().descendants().toList());
    all.add(0, process.get());
    all.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle handle : all) {
      long left = deadline - System.nanoTime();
      try {
        handle.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        // Timed out (or interrupted): killed below.
      }
    }
    boolean killed = false;
    for (ProcessHandle handle : all) {
      if (handle.isAlive()) {
        handle.destroyForcibly();
        killed = true;
      }
    }
    return killed;
  }
}
