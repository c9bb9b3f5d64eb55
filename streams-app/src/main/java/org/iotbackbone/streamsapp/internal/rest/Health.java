package org.iotbackbone.streamsapp.internal.rest;

import org.apache.kafka.streams.KafkaStreams;

/**
 * What {@code /health} (liveness) and {@code /ready} (readiness) answer for a state of Kafka
 * Streams. Alive while it starts, runs or rebalances; not alive once it is in error or stopping, so
 * that an orchestrator restarts the process (Streams does not leave ERROR by itself). Ready only
 * while RUNNING: during a rebalance or a restore, reads of the moving partitions are not served.
 */
enum Health {
  ;

  /** Whether a process whose Streams is in {@code state} ({@code null}: not started) is alive. */
  static boolean alive(KafkaStreams.State state) {
    if (state == null) {
      return true;
    }
    return switch (state) {
      case CREATED, REBALANCING, RUNNING -> true;
      case PENDING_SHUTDOWN, NOT_RUNNING, PENDING_ERROR, ERROR -> false;
    };
  }

  /** Whether a process whose Streams is in {@code state} serves its routes. */
  static boolean ready(KafkaStreams.State state) {
    return state == KafkaStreams.State.RUNNING;
  }
}
