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
  ACKS_SENT,
  DELTAS_RECEIVED,
  CONNECTS,
  CONNECT_FAILURES,
  DISCONNECTS,
  PUBLISH_FAILURES,
  /** Events that reached Kafka more than once (redelivered: the uplink is at-least-once). */
  EVENTS_DUPLICATED
}
