package org.iotbackbone.streamsapp;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.iotbackbone.schemas.DeviceJobExecutions;
import org.iotbackbone.schemas.Job;
import org.iotbackbone.schemas.JobEvent;
import org.iotbackbone.schemas.JobExecutionRequest;
import org.iotbackbone.schemas.JobRequest;
import org.iotbackbone.schemas.JobResponse;
import org.iotbackbone.schemas.JobStatusChange;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.Topics;

/**
 * The value serdes of the jobs topology, given to {@link JobsTopology} so that tests can pass
 * serdes that need no registry.
 *
 * @param requests values of {@code iot.job.requests}
 * @param jobs values of {@code iot.jobs} and of the jobs store
 * @param statusChanges values of {@code iot.job.status}
 * @param events values of {@code iot.job.events}
 * @param executionRequests values of {@code iot.job.execution.requests}
 * @param executions values of {@code iot.job.executions} and of the executions store
 * @param responses values of {@code iot.job.responses}
 */
public record JobsSerdes(
    Serde<JobRequest> requests,
    Serde<Job> jobs,
    Serde<JobStatusChange> statusChanges,
    Serde<JobEvent> events,
    Serde<JobExecutionRequest> executionRequests,
    Serde<DeviceJobExecutions> executions,
    Serde<JobResponse> responses) {

  public JobsSerdes {
    Objects.requireNonNull(requests, "requests");
    Objects.requireNonNull(jobs, "jobs");
    Objects.requireNonNull(statusChanges, "statusChanges");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(executionRequests, "executionRequests");
    Objects.requireNonNull(executions, "executions");
    Objects.requireNonNull(responses, "responses");
  }

  /** The production serdes: Avro in the Confluent frame against the registry. */
  public static JobsSerdes registry(RegistryConfig registry) {
    return new JobsSerdes(
        RegistrySerdes.valueSerde(Topics.JOB_REQUESTS, registry),
        RegistrySerdes.valueSerde(Topics.JOBS, registry),
        RegistrySerdes.valueSerde(Topics.JOB_STATUS, registry),
        RegistrySerdes.valueSerde(Topics.JOB_EVENTS, registry),
        RegistrySerdes.valueSerde(Topics.JOB_EXECUTION_REQUESTS, registry),
        RegistrySerdes.valueSerde(Topics.JOB_EXECUTIONS, registry),
        RegistrySerdes.valueSerde(Topics.JOB_RESPONSES, registry));
  }
}
