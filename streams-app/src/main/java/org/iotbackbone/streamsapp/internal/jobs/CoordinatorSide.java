package org.iotbackbone.streamsapp.internal.jobs;

import org.iotbackbone.schemas.Job;
import org.iotbackbone.schemas.JobEvent;
import org.iotbackbone.schemas.JobRequest;
import org.iotbackbone.schemas.JobStatusChange;

/** What goes in and out of the coordinator: one of the fields is set. */
public final class CoordinatorSide {

  private CoordinatorSide() {}

  /**
   * An input: a job request, or an event from the device side.
   *
   * @param request a record of {@code iot.job.requests}
   * @param event a record of {@code iot.job.events}
   */
  public record In(JobRequest request, JobEvent event) {
    public static In of(JobRequest request) {
      return new In(request, null);
    }

    public static In of(JobEvent event) {
      return new In(null, event);
    }
  }

  /**
   * An output: a message for the device side (keyed by device id; RESOLVE by job id, to every
   * partition), a job record or a status change (keyed by job id).
   *
   * @param toDevices for the device side
   * @param job for {@code iot.jobs}
   * @param statusChange for {@code iot.job.status}
   */
  public record Out(JobMessage toDevices, Job job, JobStatusChange statusChange) {}
}
