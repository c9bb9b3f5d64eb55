package org.iotbackbone.schemas.access;

import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;

import java.util.List;
import java.util.Optional;
import org.iotbackbone.schemas.topics.Topics;

/**
 * The one definition of the platform's Kafka principals and their least-privilege ACLs ({@code
 * docs/design.md}, "Device identity and access"), next to {@link Topics}. The Strimzi {@code
 * KafkaUser} resources are generated from them ({@code
 * org.iotbackbone.schemas.strimzi.StrimziResources}); a broker's admin API takes the same ACLs as
 * {@link Principal#aclBindings()}, for a local stack with SCRAM users.
 *
 * <p>Each grant follows what the code does: which topics a part produces to and consumes from,
 * under which consumer group, and, for Kafka Streams, its internal topics and transactional ids,
 * which all start with its application id. Apps that subscribe use the group ids below (their
 * config defaults are these constants); a deployment that changes one must change it here too.
 */
public final class Principals {

  /** The consumer group of the bridge's downlink ({@code downlink.group.id}). */
  public static final String BRIDGE_GROUP_ID = "ingest-bridge";

  /**
   * The streams app's {@code application.id}: its consumer group, and the prefix ({@code ID-}) of
   * its internal topics (repartition, changelog) and of its transactional ids (exactly_once_v2).
   */
  public static final String STREAMS_APPLICATION_ID = "iot-streams-app";

  /**
   * The Kafka Connect cluster's {@code group.id}, and the prefix ({@code ID-}) of its config,
   * offset and status topics.
   */
  public static final String CONNECT_GROUP_ID = "iot-connect";

  /** The prefix of the consumer groups of sink connectors: Connect names them connect-NAME. */
  public static final String CONNECTOR_GROUP_PREFIX = "connect-";

  /** The prefix an analyst's consumer groups must have (e.g. {@code analyst-alice}). */
  public static final String ANALYST_GROUP_PREFIX = "analyst-";

  /** The prefix a cloud integration's consumer groups must have. */
  public static final String INTEGRATION_GROUP_PREFIX = "integration-";

  /**
   * The ingest bridge: writes what devices send (events, shadow requests, command acks, presence,
   * job execution requests) and dead letters; reads commands, shadow and job responses in its
   * group, and presence by assignment (which broker a device is on). It never reads shadow state.
   */
  public static final Principal INGEST_BRIDGE = ingestBridge(BRIDGE_GROUP_ID);

  private static Principal ingestBridge(String groupId) {
    return new Principal(
        "ingest-bridge",
        "The MQTT-Kafka bridge: device input to Kafka, commands and shadow responses to devices.",
        false,
        List.of(
            Grant.topic(Topics.DEVICE_EVENTS.name(), WRITE),
            Grant.topic(Topics.SHADOW_REQUESTS.name(), WRITE),
            Grant.topic(Topics.COMMAND_EVENTS.name(), WRITE),
            Grant.topic(Topics.DEVICE_PRESENCE.name(), READ, WRITE),
            Grant.topic(Topics.DEAD_LETTER.name(), WRITE),
            Grant.topic(Topics.COMMANDS.name(), READ),
            Grant.topic(Topics.SHADOW_RESPONSES.name(), READ),
            // Devices' jobs topics (devices/{id}/jobs/...), carried by the bridge both ways.
            Grant.topic(Topics.JOB_EXECUTION_REQUESTS.name(), WRITE),
            Grant.topic(Topics.JOB_RESPONSES.name(), READ),
            Grant.group(groupId, READ)));
  }

  /**
   * The streams app: reads shadow requests, presence, commands and command events, job requests and
   * job execution requests; writes the shadow changelog, responses, jobs, executions, job status
   * and dead letters in transactions; its REST API writes shadow requests, commands and job
   * requests and reads responses by assignment. Its internal topics are its own. It may not create
   * the platform's topics: its {@code topics.create} is for a stack without ACLs.
   */
  public static final Principal STREAMS_APP = streamsApp(STREAMS_APPLICATION_ID);

  private static Principal streamsApp(String applicationId) {
    return new Principal(
        "streams-app",
        "The Kafka Streams shadow service and its REST API.",
        false,
        List.of(
            Grant.topic(Topics.SHADOW_REQUESTS.name(), READ, WRITE),
            Grant.topic(Topics.DEVICE_PRESENCE.name(), READ),
            Grant.topic(Topics.COMMANDS.name(), READ, WRITE),
            Grant.topic(Topics.COMMAND_EVENTS.name(), READ),
            Grant.topic(Topics.SHADOW_STATE.name(), WRITE),
            Grant.topic(Topics.SHADOW_RESPONSES.name(), READ, WRITE),
            Grant.topic(Topics.DEAD_LETTER.name(), WRITE),
            // Jobs: requests from its REST API in, job and execution state and answers out.
            Grant.topic(Topics.JOB_REQUESTS.name(), READ, WRITE),
            Grant.topic(Topics.JOBS.name(), WRITE),
            Grant.topic(Topics.JOB_STATUS.name(), WRITE),
            Grant.topic(Topics.JOB_EVENTS.name(), READ, WRITE),
            Grant.topic(Topics.JOB_EXECUTION_REQUESTS.name(), READ, WRITE),
            Grant.topic(Topics.JOB_EXECUTIONS.name(), WRITE),
            Grant.topic(Topics.JOB_RESPONSES.name(), READ, WRITE),
            // Repartition and changelog topics: created and validated at start, purged
            // (delete records) after commits.
            Grant.topicPrefix(
                applicationId + "-", READ, WRITE, CREATE, DELETE, DESCRIBE, DESCRIBE_CONFIGS),
            Grant.group(applicationId, READ),
            Grant.transactionalIdPrefix(applicationId + "-", WRITE, DESCRIBE)));
  }

  /**
   * Kafka Connect with the ScyllaDB sink: its worker group and storage topics, the sink connectors'
   * groups, the two topics it sinks, and the dead-letter topic its errant-record reporter writes.
   */
  public static final Principal CONNECT = connect(CONNECT_GROUP_ID);

  private static Principal connect(String groupId) {
    return new Principal(
        "connect",
        "Kafka Connect running the ScyllaDB sink (connectors/).",
        false,
        List.of(
            Grant.topicPrefix(groupId + "-", READ, WRITE, CREATE, DESCRIBE, DESCRIBE_CONFIGS),
            Grant.group(groupId, READ),
            Grant.groupPrefix(CONNECTOR_GROUP_PREFIX, READ),
            Grant.topic(Topics.SHADOW_STATE.name(), READ),
            Grant.topic(Topics.DEVICE_EVENTS.name(), READ),
            Grant.topic(Topics.DEAD_LETTER.name(), WRITE)));
  }

  /** A person or tool analysing the fleet: reads device events and the shadow changelog. */
  public static final Principal ANALYST =
      new Principal(
          "analyst",
          "Reads device events and the shadow changelog, in groups named analyst-*.",
          false,
          List.of(
              Grant.topic(Topics.DEVICE_EVENTS.name(), READ),
              Grant.topic(Topics.SHADOW_STATE.name(), READ),
              Grant.groupPrefix(ANALYST_GROUP_PREFIX, READ)));

  /**
   * A cloud integration: writes commands, shadow requests (desired state) and job requests; reads
   * command events, the shadow changelog, jobs, job status changes and job events.
   */
  public static final Principal INTEGRATION =
      new Principal(
          "integration",
          "A cloud integration: commands and desired state in, command status and shadows out,"
              + " in groups named integration-*.",
          false,
          List.of(
              Grant.topic(Topics.COMMANDS.name(), WRITE),
              Grant.topic(Topics.SHADOW_REQUESTS.name(), WRITE),
              Grant.topic(Topics.COMMAND_EVENTS.name(), READ),
              Grant.topic(Topics.SHADOW_STATE.name(), READ),
              Grant.topic(Topics.JOB_REQUESTS.name(), WRITE),
              Grant.topic(Topics.JOBS.name(), READ),
              Grant.topic(Topics.JOB_STATUS.name(), READ),
              Grant.topic(Topics.JOB_EVENTS.name(), READ),
              Grant.groupPrefix(INTEGRATION_GROUP_PREFIX, READ)));

  /** The schema registry's kafkasql journal topic (Apicurio 3's default name). */
  public static final String REGISTRY_JOURNAL_TOPIC = "kafkasql-journal";

  /** The schema registry's snapshots topic (Apicurio 3's default name). */
  public static final String REGISTRY_SNAPSHOTS_TOPIC = "kafkasql-snapshots";

  /**
   * The prefix of the registry's consumer groups: each replica reads the whole journal in a group
   * of its own, named with a random suffix (Apicurio 3's {@code
   * apicurio.kafkasql.consumer.group-prefix}, default {@code apicurio-}).
   */
  public static final String REGISTRY_GROUP_PREFIX = "apicurio-";

  /**
   * The schema registry (Apicurio Registry with kafkasql storage): its own two topics, which it
   * creates, and its consumer groups. It reads and writes no platform topic.
   */
  public static final Principal SCHEMA_REGISTRY =
      new Principal(
          "schema-registry",
          "The schema registry (Apicurio, kafkasql storage): its journal and snapshots topics.",
          false,
          List.of(
              Grant.topic(REGISTRY_JOURNAL_TOPIC, READ, WRITE, CREATE, DESCRIBE, DESCRIBE_CONFIGS),
              Grant.topic(
                  REGISTRY_SNAPSHOTS_TOPIC, READ, WRITE, CREATE, DESCRIBE, DESCRIBE_CONFIGS),
              Grant.groupPrefix(REGISTRY_GROUP_PREFIX, READ)));

  /** The operators' principal: a super user, for tools, never for an app. */
  public static final Principal ADMIN =
      new Principal(
          "admin",
          "Operators' tools (offset resets, reassignments, inspection): a super user.",
          true,
          List.of());

  private static final List<Principal> ALL =
      List.of(INGEST_BRIDGE, STREAMS_APP, CONNECT, ANALYST, INTEGRATION, SCHEMA_REGISTRY, ADMIN);

  private Principals() {}

  /** Every principal of the platform, with the default ids. */
  public static List<Principal> all() {
    return ALL;
  }

  /**
   * Every principal of the platform for a deployment that names its apps' groups otherwise: the
   * local stack suffixes them with its instance name, so that several stacks can share servers.
   */
  public static List<Principal> all(AppIds ids) {
    return List.of(
        ingestBridge(ids.bridgeGroupId()),
        streamsApp(ids.streamsApplicationId()),
        connect(ids.connectGroupId()),
        ANALYST,
        INTEGRATION,
        SCHEMA_REGISTRY,
        ADMIN);
  }

  /**
   * The consumer group and application ids the apps run with, which their grants name.
   *
   * @param bridgeGroupId the bridge's {@code downlink.group.id}
   * @param streamsApplicationId the streams app's {@code application.id}
   * @param connectGroupId the Connect cluster's {@code group.id}
   */
  public record AppIds(String bridgeGroupId, String streamsApplicationId, String connectGroupId) {

    /** The ids of {@link Principals#all()}: the apps' config defaults. */
    public static final AppIds DEFAULT =
        new AppIds(BRIDGE_GROUP_ID, STREAMS_APPLICATION_ID, CONNECT_GROUP_ID);
  }

  /** The principal of that name. */
  public static Optional<Principal> byName(String name) {
    return ALL.stream().filter(principal -> principal.name().equals(name)).findFirst();
  }
}
