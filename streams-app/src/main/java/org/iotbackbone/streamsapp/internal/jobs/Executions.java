package org.iotbackbone.streamsapp.internal.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.iotbackbone.schemas.DeviceJobExecutions;
import org.iotbackbone.schemas.JobExecution;
import org.iotbackbone.schemas.JobExecutionStatus;
import org.iotbackbone.streamsapp.internal.json.Json;

/** One device's executions: which is next, how they look to the device, what is kept. Pure. */
final class Executions {

  private Executions() {}

  static boolean isFinal(JobExecutionStatus status) {
    return status != JobExecutionStatus.QUEUED && status != JobExecutionStatus.IN_PROGRESS;
  }

  /** An empty record for a device that has none yet. */
  static DeviceJobExecutions empty(String deviceId, long now) {
    return DeviceJobExecutions.newBuilder()
        .setDeviceId(deviceId)
        .setExecutions(List.of())
        .setUpdatedAt(Instant.ofEpochMilli(now))
        .build();
  }

  static Optional<JobExecution> find(DeviceJobExecutions executions, String jobId) {
    if (executions == null) {
      return Optional.empty();
    }
    return executions.getExecutions().stream()
        .filter(execution -> execution.getJobId().equals(jobId))
        .findFirst();
  }

  /**
   * The execution a device is offered next: the first IN_PROGRESS one of a job still running, else
   * the first QUEUED one, in the order they were queued.
   */
  static Optional<JobExecution> nextPending(DeviceJobExecutions executions) {
    if (executions == null) {
      return Optional.empty();
    }
    Optional<JobExecution> inProgress =
        executions.getExecutions().stream()
            .filter(e -> e.getStatus() == JobExecutionStatus.IN_PROGRESS && !e.getJobCanceled())
            .findFirst();
    if (inProgress.isPresent()) {
      return inProgress;
    }
    return executions.getExecutions().stream()
        .filter(e -> e.getStatus() == JobExecutionStatus.QUEUED)
        .findFirst();
  }

  /** The job id of the next pending execution, or null. */
  static String nextJobId(DeviceJobExecutions executions) {
    return nextPending(executions).map(JobExecution::getJobId).orElse(null);
  }

  /**
   * The record with {@code changed} in place of the execution of its job (or appended), keeping
   * every pending execution and the newest {@code finalKept} final ones.
   */
  static DeviceJobExecutions with(
      DeviceJobExecutions executions, JobExecution changed, int finalKept, long now) {
    List<JobExecution> all = new ArrayList<>();
    boolean replaced = false;
    for (JobExecution execution : executions.getExecutions()) {
      if (execution.getJobId().equals(changed.getJobId())) {
        all.add(changed);
        replaced = true;
      } else {
        all.add(execution);
      }
    }
    if (!replaced) {
      all.add(changed);
    }
    long finals = all.stream().filter(e -> isFinal(e.getStatus())).count();
    List<JobExecution> kept = new ArrayList<>();
    for (JobExecution execution : all) {
      // The oldest final ones go first: the list is in the order executions were queued.
      if (isFinal(execution.getStatus()) && finals > finalKept) {
        finals--;
        continue;
      }
      kept.add(execution);
    }
    return DeviceJobExecutions.newBuilder(executions)
        .setExecutions(kept)
        .setUpdatedAt(Instant.ofEpochMilli(now))
        .build();
  }

  /** The execution as the device sees it, with its job document. */
  static ObjectNode toJson(JobExecution execution, boolean withDocument) {
    ObjectNode node = Json.object();
    node.put("jobId", execution.getJobId());
    node.put("status", execution.getStatus().name());
    ObjectNode details = node.putObject("statusDetails");
    execution.getStatusDetails().forEach(details::put);
    node.put("versionNumber", execution.getVersionNumber());
    node.put("queuedAt", execution.getQueuedAt().toEpochMilli());
    if (execution.getStartedAt() != null) {
      node.put("startedAt", execution.getStartedAt().toEpochMilli());
    }
    node.put("lastUpdatedAt", execution.getLastUpdatedAt().toEpochMilli());
    if (withDocument) {
      try {
        node.set("jobDocument", Json.parse(execution.getJobDocument()));
      } catch (JsonProcessingException e) {
        // Validated when the job was created: a document here that is not JSON is a bug.
        throw new IllegalStateException("stored job document is not JSON", e);
      }
    }
    return node;
  }

  /** The notify-next payload: {@code {"execution":{..}}}, or {@code {}} when none is pending. */
  static String notifyNext(DeviceJobExecutions executions) {
    ObjectNode body = Json.object();
    nextPending(executions).ifPresent(next -> body.set("execution", toJson(next, true)));
    return Json.write(body);
  }
}
