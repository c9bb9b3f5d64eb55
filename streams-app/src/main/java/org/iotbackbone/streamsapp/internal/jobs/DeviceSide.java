package org.iotbackbone.streamsapp.internal.jobs;

import org.iotbackbone.schemas.DeviceJobExecutions;
import org.iotbackbone.schemas.JobEvent;
import org.iotbackbone.schemas.JobExecutionRequest;
import org.iotbackbone.schemas.JobResponse;

/** What goes in and out of the device side: one of the fields is set. */
public final class DeviceSide {

  private DeviceSide() {}

  /**
   * An input: a device's request, or a message from the coordinator.
   *
   * @param request a request of {@code iot.job.execution.requests}
   * @param message a message of the coordinator
   */
  public record In(JobExecutionRequest request, JobMessage message) {
    public static In of(JobExecutionRequest request) {
      return new In(request, null);
    }

    public static In of(JobMessage message) {
      return new In(null, message);
    }
  }

  /**
   * An output: the device's new executions record, a message for the device, or a message for the
   * coordinator (keyed by job id).
   *
   * @param executions for {@code iot.job.executions}
   * @param response for {@code iot.job.responses}
   * @param event for {@code iot.job.events}, the coordinator's input
   */
  public record Out(DeviceJobExecutions executions, JobResponse response, JobEvent event) {}
}
