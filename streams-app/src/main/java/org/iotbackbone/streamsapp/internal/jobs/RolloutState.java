package org.iotbackbone.streamsapp.internal.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.TreeSet;
import org.iotbackbone.streamsapp.internal.json.Json;

/**
 * The coordinator's working state of a job that still has work (targets to notify, executions not
 * final), stored as JSON next to the job.
 *
 * @param credit notifications allowed now (rate/60 per second, banked up to one second's worth)
 * @param lastTickMs the wall-clock time credit was last added
 * @param rate the rollout rate now, per minute
 * @param countAtRaise the exponential criterion's count (notified or succeeded) at the last raise
 * @param resolved the partitions that resolved the filter
 * @param dirty whether the job changed since it was last written to {@code iot.jobs}
 * @param nextTarget the sequence of the next target to notify: the rollout reads its targets by key
 *     from here, never scanning past the ones it notified and deleted (RocksDB would step over each
 *     one's tombstone on every tick)
 */
record RolloutState(
    double credit,
    long lastTickMs,
    int rate,
    long countAtRaise,
    Set<Integer> resolved,
    boolean dirty,
    long nextTarget) {

  RolloutState {
    resolved = Set.copyOf(resolved);
  }

  RolloutState withCredit(double newCredit, long tickMs) {
    return new RolloutState(newCredit, tickMs, rate, countAtRaise, resolved, dirty, nextTarget);
  }

  RolloutState withRate(int newRate, long count) {
    return new RolloutState(credit, lastTickMs, newRate, count, resolved, true, nextTarget);
  }

  RolloutState withResolved(int partition) {
    Set<Integer> more = new TreeSet<>(resolved);
    more.add(partition);
    return new RolloutState(credit, lastTickMs, rate, countAtRaise, more, true, nextTarget);
  }

  RolloutState withDirty(boolean isDirty) {
    return new RolloutState(credit, lastTickMs, rate, countAtRaise, resolved, isDirty, nextTarget);
  }

  RolloutState withNextTarget(long sequence) {
    return new RolloutState(credit, lastTickMs, rate, countAtRaise, resolved, dirty, sequence);
  }

  String toJson() {
    try {
      return Json.MAPPER.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static RolloutState parse(String json) {
    try {
      return Json.MAPPER.readValue(json, RolloutState.class);
    } catch (IOException e) {
      throw new IllegalStateException("stored rollout state is invalid", e);
    }
  }
}
