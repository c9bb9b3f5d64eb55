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
   * Commands whose status read through REST ended otherwise (UNDELIVERED, EXPIRED, FAILED,
   * REJECTED, TIMED_OUT) or was not SUCCEEDED within their time to live: the sum of the four below.
   */
  COMMANDS_NOT_COMPLETED,
  /**
   * Commands that ended UNDELIVERED: the broker had no session subscribed to the device's commands
   * (MQTT 5 PUBACK 0x10), so nobody got them.
   */
  COMMANDS_UNDELIVERED,
  /** Commands that ended EXPIRED: never published, their expiry passed first. */
  COMMANDS_EXPIRED,
  /** Commands that ended FAILED, REJECTED or TIMED_OUT: the device's answer, or none. */
  COMMANDS_FAILED,
  /**
   * Commands with no final status within their time to live: delivered to a session (or still
   * pending) and not answered, or not found through REST.
   */
  COMMANDS_UNFINISHED,
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
