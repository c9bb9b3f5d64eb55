package org.iotbackbone.streamsapp.internal.jobs;

import org.iotbackbone.schemas.JobExecutionStatus;
import org.iotbackbone.schemas.JobFailureType;
import org.iotbackbone.schemas.JobProcessDetails;

/** A job's counts per execution status ({@link JobProcessDetails}), changed by status moves. */
final class Counts {

  private Counts() {}

  static JobProcessDetails zero() {
    return JobProcessDetails.newBuilder().build();
  }

  /** The counts after one execution moved from {@code from} (null: new) to {@code to}. */
  static JobProcessDetails move(
      JobProcessDetails counts, JobExecutionStatus from, JobExecutionStatus to) {
    JobProcessDetails.Builder next = JobProcessDetails.newBuilder(counts);
    if (from != null) {
      add(next, from, -1);
    }
    add(next, to, 1);
    return next.build();
  }

  private static void add(JobProcessDetails.Builder b, JobExecutionStatus status, long delta) {
    switch (status) {
      case QUEUED -> b.setNumberOfQueuedThings(b.getNumberOfQueuedThings() + delta);
      case IN_PROGRESS -> b.setNumberOfInProgressThings(b.getNumberOfInProgressThings() + delta);
      case SUCCEEDED -> b.setNumberOfSucceededThings(b.getNumberOfSucceededThings() + delta);
      case FAILED -> b.setNumberOfFailedThings(b.getNumberOfFailedThings() + delta);
      case REJECTED -> b.setNumberOfRejectedThings(b.getNumberOfRejectedThings() + delta);
      case TIMED_OUT -> b.setNumberOfTimedOutThings(b.getNumberOfTimedOutThings() + delta);
      case CANCELED -> b.setNumberOfCanceledThings(b.getNumberOfCanceledThings() + delta);
      case REMOVED -> b.setNumberOfRemovedThings(b.getNumberOfRemovedThings() + delta);
      default -> throw new IllegalArgumentException("no count for " + status);
    }
  }

  /** Executions that ended with a result: final, CANCELED and REMOVED not counted. */
  static long executed(JobProcessDetails c) {
    return c.getNumberOfSucceededThings()
        + c.getNumberOfFailedThings()
        + c.getNumberOfRejectedThings()
        + c.getNumberOfTimedOutThings();
  }

  /**
   * Notified executions not final yet: each notified target has one execution, which reaches one
   * final status once.
   */
  static long unfinished(JobProcessDetails c) {
    return c.getNumberOfNotifiedThings()
        - executed(c)
        - c.getNumberOfCanceledThings()
        - c.getNumberOfRemovedThings();
  }

  /** The executed ones that count as failures of this type. */
  static long failures(JobProcessDetails c, JobFailureType type) {
    return switch (type) {
      case FAILED -> c.getNumberOfFailedThings();
      case REJECTED -> c.getNumberOfRejectedThings();
      case TIMED_OUT -> c.getNumberOfTimedOutThings();
      case ALL ->
          c.getNumberOfFailedThings()
              + c.getNumberOfRejectedThings()
              + c.getNumberOfTimedOutThings();
      default -> 0;
    };
  }
}
