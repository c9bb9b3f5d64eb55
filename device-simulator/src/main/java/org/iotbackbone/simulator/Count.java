package org.iotbackbone.simulator;

/**
 * What a simulation counts: {@link SimulationReport#total(Count)} after a run, {@link
 * Simulation#liveTotal(Count)} while it runs.
 */
public enum Count {
  EVENTS_SENT,
  EVENTS_ARRIVED,
  UPDATES_SENT,
  UPDATES_ACCEPTED,
  UPDATES_REJECTED,
  UPDATES_IN_CHANGELOG,
  COMMANDS_SENT,
  COMMANDS_REFUSED,
  COMMANDS_RECEIVED,
  /** Commands whose status read through REST became {@code SUCCEEDED}. */
  COMMANDS_COMPLETED,
  /**
   * Commands whose status read through REST ended otherwise (FAILED, REJECTED, EXPIRED, TIMED_OUT)
   * or was not SUCCEEDED within their time to live.
   */
  COMMANDS_NOT_COMPLETED,
  ACKS_SENT,
  DELTAS_RECEIVED,
  CONNECTS,
  CONNECT_FAILURES,
  DISCONNECTS,
  PUBLISH_FAILURES,
  /** Events that reached Kafka more than once (redelivered: the uplink is at-least-once). */
  EVENTS_DUPLICATED,
  /** Jobs offered to a device by a notify-next (once per device and job). */
  JOBS_NOTIFIED,
  /** Jobs a device took with start-next: its execution IN_PROGRESS (start-next/accepted). */
  JOBS_STARTED,
  /** Executions a device ended SUCCEEDED (its update accepted). */
  JOBS_SUCCEEDED,
  /** Executions a device ended FAILED (its update accepted). */
  JOBS_FAILED,
  /** Jobs a device took and will never answer again (the scenario's job.silent.percent). */
  JOBS_SILENT,
  /** Rejected job requests of the devices (start-next or update: a 4xx answer). */
  JOBS_REJECTED,
  /** Executions a device gave up on after a rejection that a retry cannot mend. */
  JOBS_ABANDONED
}
