package org.iotbackbone.schemas.access;

import java.util.Set;
import java.util.stream.Stream;
import org.iotbackbone.schemas.topics.Topics;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The principal matrix of docs/design.md, written out by hand: who may write and who may read each
 * platform topic (besides the admin, a super user). {@code PrincipalsTest} holds the model to it,
 * {@code KafkaAccessIT} a real broker.
 */
final class PrincipalMatrix {

  private PrincipalMatrix() {}

  /** Who may write each topic: only these, nobody else (the admin is a super user). */
  static Stream<Arguments> writers() {
    return Stream.of(
        Arguments.of(Topics.DEVICE_EVENTS, Set.of("ingest-bridge")),
        Arguments.of(Topics.SHADOW_REQUESTS, Set.of("ingest-bridge", "streams-app", "integration")),
        Arguments.of(Topics.SHADOW_STATE, Set.of("streams-app")),
        Arguments.of(Topics.SHADOW_RESPONSES, Set.of("streams-app")),
        Arguments.of(Topics.COMMANDS, Set.of("streams-app", "integration")),
        Arguments.of(Topics.COMMAND_EVENTS, Set.of("ingest-bridge")),
        Arguments.of(Topics.DEVICE_PRESENCE, Set.of("ingest-bridge")),
        Arguments.of(Topics.DEAD_LETTER, Set.of("ingest-bridge", "streams-app", "connect")),
        Arguments.of(Topics.JOB_REQUESTS, Set.of("streams-app", "integration")),
        Arguments.of(Topics.JOBS, Set.of("streams-app")),
        Arguments.of(Topics.JOB_STATUS, Set.of("streams-app")),
        Arguments.of(Topics.JOB_EVENTS, Set.of("streams-app")),
        Arguments.of(Topics.JOB_EXECUTION_REQUESTS, Set.of("ingest-bridge", "streams-app")),
        Arguments.of(Topics.JOB_EXECUTIONS, Set.of("streams-app")),
        Arguments.of(Topics.JOB_RESPONSES, Set.of("streams-app")));
  }

  /** Who may read each topic. */
  static Stream<Arguments> readers() {
    return Stream.of(
        Arguments.of(Topics.DEVICE_EVENTS, Set.of("connect", "analyst")),
        Arguments.of(Topics.SHADOW_REQUESTS, Set.of("streams-app")),
        Arguments.of(Topics.SHADOW_STATE, Set.of("connect", "analyst", "integration")),
        Arguments.of(Topics.SHADOW_RESPONSES, Set.of("ingest-bridge", "streams-app")),
        Arguments.of(Topics.COMMANDS, Set.of("ingest-bridge", "streams-app")),
        Arguments.of(Topics.COMMAND_EVENTS, Set.of("streams-app", "integration")),
        Arguments.of(Topics.DEVICE_PRESENCE, Set.of("ingest-bridge", "streams-app")),
        // Operators read dead letters as admin; no app needs them.
        Arguments.of(Topics.DEAD_LETTER, Set.of()),
        Arguments.of(Topics.JOB_REQUESTS, Set.of("streams-app")),
        Arguments.of(Topics.JOBS, Set.of("integration")),
        Arguments.of(Topics.JOB_STATUS, Set.of("integration")),
        Arguments.of(Topics.JOB_EVENTS, Set.of("streams-app", "integration")),
        Arguments.of(Topics.JOB_EXECUTION_REQUESTS, Set.of("streams-app")),
        // Read by the REST API through the stores; operators as admin.
        Arguments.of(Topics.JOB_EXECUTIONS, Set.of()),
        Arguments.of(Topics.JOB_RESPONSES, Set.of("ingest-bridge", "streams-app")));
  }
}
