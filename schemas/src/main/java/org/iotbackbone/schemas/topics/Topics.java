package org.iotbackbone.schemas.topics;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.iotbackbone.schemas.Command;
import org.iotbackbone.schemas.CommandEvent;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeviceEvent;
import org.iotbackbone.schemas.DeviceJobExecutions;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.Job;
import org.iotbackbone.schemas.JobEvent;
import org.iotbackbone.schemas.JobExecutionRequest;
import org.iotbackbone.schemas.JobRequest;
import org.iotbackbone.schemas.JobResponse;
import org.iotbackbone.schemas.JobStatusChange;
import org.iotbackbone.schemas.PresenceEvent;
import org.iotbackbone.schemas.ShadowRequest;
import org.iotbackbone.schemas.ShadowResponse;

/**
 * The one definition of every Kafka topic of the platform ({@code docs/design.md}, "Kafka topics").
 * The apps, the local stack and the Strimzi KafkaTopic resources are made from it or tested against
 * it.
 */
public final class Topics {

  /**
   * The partitions of every topic. All topics have the same count, so that Kafka Streams can join
   * them (co-partitioning); twelve spreads a device fleet over up to twelve consumers of a group.
   */
  public static final int PARTITIONS = 12;

  private static final Duration DAY = Duration.ofDays(1);

  public static final TopicDefinition<DeviceEvent> DEVICE_EVENTS =
      new TopicDefinition<>(
          "iot.device.events",
          DeviceEvent.class,
          PARTITIONS,
          CleanupPolicy.DELETE,
          Optional.of(DAY.multipliedBy(7)),
          "Telemetry and events from devices (devices/{id}/events/{type}).");

  public static final TopicDefinition<ShadowRequest> SHADOW_REQUESTS =
      new TopicDefinition<>(
          "iot.shadow.requests",
          ShadowRequest.class,
          PARTITIONS,
          CleanupPolicy.DELETE,
          Optional.of(DAY.multipliedBy(7)),
          "Shadow update, get and delete requests from devices and the cloud.");

  public static final TopicDefinition<DeviceShadow> SHADOW_STATE =
      new TopicDefinition<>(
          "iot.shadow.state",
          DeviceShadow.class,
          PARTITIONS,
          CleanupPolicy.COMPACT,
          Optional.empty(),
          "The compacted changelog of device shadows: the newest state of every device.");

  public static final TopicDefinition<ShadowResponse> SHADOW_RESPONSES =
      new TopicDefinition<>(
          "iot.shadow.responses",
          ShadowResponse.class,
          PARTITIONS,
          CleanupPolicy.DELETE,
          // An answer a day old is of no use to a device; keep the topic small.
          Optional.of(DAY),
          "Accepted, rejected, delta and documents messages for devices.");

  public static final TopicDefinition<Command> COMMANDS =
      new TopicDefinition<>(
          "iot.commands",
          Command.class,
          PARTITIONS,
          CleanupPolicy.DELETE,
          Optional.of(DAY.multipliedBy(7)),
          "Commands for devices from cloud integrations and the REST API.");

  public static final TopicDefinition<CommandEvent> COMMAND_EVENTS =
      new TopicDefinition<>(
          "iot.command.events",
          CommandEvent.class,
          PARTITIONS,
          CleanupPolicy.DELETE,
          Optional.of(DAY.multipliedBy(7)),
          "Command status: delivered, expired, and the devices' acks.");

  public static final TopicDefinition<PresenceEvent> DEVICE_PRESENCE =
      new TopicDefinition<>(
          "iot.device.presence",
          PresenceEvent.class,
          PARTITIONS,
          CleanupPolicy.DELETE,
          Optional.of(DAY.multipliedBy(7)),
          "Devices connecting and disconnecting.");

  public static final TopicDefinition<DeadLetter> DEAD_LETTER =
      new TopicDefinition<>(
          "iot.deadletter",
          DeadLetter.class,
          PARTITIONS,
          CleanupPolicy.DELETE,
          Optional.of(DAY.multipliedBy(14)),
          "Input no module could process, with the reason.");

  /** Job create and cancel requests; key = job id. */
  public static final TopicDefinition<JobRequest> JOB_REQUESTS =
      new TopicDefinition<>(
          "iot.job.requests",
          JobRequest.class,
          PARTITIONS,
          CleanupPolicy.DELETE,
          Optional.of(DAY.multipliedBy(7)),
          "Job create and cancel requests from the REST API and cloud integrations (key: job id).");

  /** Every job and where it stands; key = job id. */
  public static final TopicDefinition<Job> JOBS =
      new TopicDefinition<>(
          "iot.jobs",
          Job.class,
          PARTITIONS,
          CleanupPolicy.COMPACT,
          Optional.empty(),
          "The compacted record of every job: definition, status, counts (key: job id).");

  /** A job's status changes, for cloud integrations; key = job id. */
  public static final TopicDefinition<JobStatusChange> JOB_STATUS =
      new TopicDefinition<>(
          "iot.job.status",
          JobStatusChange.class,
          PARTITIONS,
          CleanupPolicy.DELETE,
          Optional.of(DAY.multipliedBy(7)),
          "Job status changes for cloud integrations (key: job id).");

  /**
   * What the device side of jobs tells a job's coordinator (targets, resolution, execution
   * changes); key = job id. A topic of its own, not an internal one: Kafka Streams cannot loop a
   * repartition topic back to where it started.
   */
  public static final TopicDefinition<JobEvent> JOB_EVENTS =
      new TopicDefinition<>(
          "iot.job.events",
          JobEvent.class,
          PARTITIONS,
          CleanupPolicy.DELETE,
          Optional.of(DAY.multipliedBy(7)),
          "Job targets and execution status changes, for the jobs coordinator (key: job id).");

  public static final TopicDefinition<JobExecutionRequest> JOB_EXECUTION_REQUESTS =
      new TopicDefinition<>(
          "iot.job.execution.requests",
          JobExecutionRequest.class,
          PARTITIONS,
          CleanupPolicy.DELETE,
          Optional.of(DAY.multipliedBy(7)),
          "Devices' start-next, get and update requests about their jobs.");

  public static final TopicDefinition<DeviceJobExecutions> JOB_EXECUTIONS =
      new TopicDefinition<>(
          "iot.job.executions",
          DeviceJobExecutions.class,
          PARTITIONS,
          CleanupPolicy.COMPACT,
          Optional.empty(),
          "The compacted record of every device's job executions.");

  public static final TopicDefinition<JobResponse> JOB_RESPONSES =
      new TopicDefinition<>(
          "iot.job.responses",
          JobResponse.class,
          PARTITIONS,
          CleanupPolicy.DELETE,
          // Like shadow answers: of no use to a device a day later.
          Optional.of(DAY),
          "Notify-next, accepted and rejected messages about jobs for devices.");

  private static final List<TopicDefinition<?>> ALL =
      List.of(
          DEVICE_EVENTS,
          SHADOW_REQUESTS,
          SHADOW_STATE,
          SHADOW_RESPONSES,
          COMMANDS,
          COMMAND_EVENTS,
          DEVICE_PRESENCE,
          DEAD_LETTER,
          JOB_REQUESTS,
          JOBS,
          JOB_STATUS,
          JOB_EVENTS,
          JOB_EXECUTION_REQUESTS,
          JOB_EXECUTIONS,
          JOB_RESPONSES);

  private static final List<TopicDefinition<?>> KEYED_BY_JOB_ID =
      List.of(JOB_REQUESTS, JOBS, JOB_STATUS, JOB_EVENTS);

  private Topics() {}

  /**
   * Whether the topic's keys are job ids (a job's own records) rather than device ids: these are
   * not co-partitioned with the devices' topics, and their values name the job, not a device.
   */
  public static boolean keyedByJobId(TopicDefinition<?> topic) {
    return KEYED_BY_JOB_ID.stream().anyMatch(jobTopic -> jobTopic.name().equals(topic.name()));
  }

  /** Every topic of the platform, with {@link #PARTITIONS} partitions. */
  public static List<TopicDefinition<?>> all() {
    return ALL;
  }

  /**
   * Every topic with another partition count, the same for all of them so that they stay
   * co-partitioned; a local stack on one small machine uses fewer.
   */
  public static List<TopicDefinition<?>> all(int partitions) {
    return ALL.stream().<TopicDefinition<?>>map(topic -> topic.withPartitions(partitions)).toList();
  }

  /** The topic of that name. */
  public static Optional<TopicDefinition<?>> byName(String name) {
    return ALL.stream().filter(topic -> topic.name().equals(name)).findFirst();
  }
}
