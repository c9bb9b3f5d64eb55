package org.iotbackbone.servers;

import java.time.Duration;

/**
 * CPU time used so far by this JVM and by the processes it started (the servers of this module run
 * as child processes), for benchmarks: on a shared machine whose speed varies, CPU per record
 * between two readings is a steadier figure than records per second.
 *
 * @param selfNanos CPU time of this JVM
 * @param serverNanos CPU time of its descendant processes still running
 */
public record CpuTime(long selfNanos, long serverNanos) {

  /** A reading now. */
  public static CpuTime now() {
    long servers = ProcessHandle.current().descendants().mapToLong(CpuTime::cpuNanos).sum();
    return new CpuTime(cpuNanos(ProcessHandle.current()), servers);
  }

  /** Microseconds of this JVM's CPU per item between {@code earlier} and this reading. */
  public double selfMicrosPer(CpuTime earlier, long items) {
    return (selfNanos - earlier.selfNanos) / 1e3 / Math.max(1, items);
  }

  /** Microseconds of the servers' CPU per item between {@code earlier} and this reading. */
  public double serverMicrosPer(CpuTime earlier, long items) {
    return (serverNanos - earlier.serverNanos) / 1e3 / Math.max(1, items);
  }

  private static long cpuNanos(ProcessHandle process) {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }
}
