package org.iotbackbone.connectors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkTask;
import org.iotbackbone.schemas.config.CommonSettings;
import org.iotbackbone.schemas.config.Validators;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.topics.Topics;

/**
 * The settings of the ScyllaDB sink, declared and validated in one place. Every bad value fails the
 * connector's start with a {@link ConfigException} that names the key; Connect's REST {@code PUT
 * /connector-plugins/.../config/validate} reports the same errors.
 */
public final class ScyllaSinkConfig extends AbstractConfig {

  public static final String CONTACT_POINTS = "scylla.contact.points";
  private static final String CONTACT_POINTS_DOC =
      "ScyllaDB nodes to connect to first, as host:port (the CQL port, usually 9042).";

  public static final String LOCAL_DATACENTER = "scylla.local.datacenter";
  private static final String LOCAL_DATACENTER_DOC =
      "The data center the sink writes in; the driver routes only to its nodes.";

  public static final String KEYSPACE = "scylla.keyspace";
  private static final String KEYSPACE_DOC = "The keyspace of the tables.";

  public static final String CONSISTENCY = "scylla.consistency";
  private static final String CONSISTENCY_DOC = "The consistency level of every write.";
  static final List<String> CONSISTENCIES =
      List.of("ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_QUORUM", "EACH_QUORUM", "LOCAL_ONE");

  public static final String USERNAME = "scylla.username";
  private static final String USERNAME_DOC =
      "User name for PasswordAuthenticator; empty for none. Set together with the password.";

  public static final String PASSWORD = "scylla.password";
  private static final String PASSWORD_DOC = "Password of " + USERNAME + ".";

  public static final String TLS_ENABLED = "scylla.tls.enabled";
  private static final String TLS_ENABLED_DOC = "Whether to connect with TLS.";

  public static final String TLS_TRUSTSTORE_PATH = "scylla.tls.truststore.path";
  private static final String TLS_TRUSTSTORE_PATH_DOC =
      "A truststore (PKCS12 or JKS) with the CA of the nodes' certificates; empty for the JVM's.";

  public static final String TLS_TRUSTSTORE_PASSWORD = "scylla.tls.truststore.password";
  private static final String TLS_TRUSTSTORE_PASSWORD_DOC = "Password of the truststore.";

  public static final String TLS_HOSTNAME_VALIDATION = "scylla.tls.hostname.validation";
  private static final String TLS_HOSTNAME_VALIDATION_DOC =
      "Whether a node's certificate must name the host it was reached at.";

  public static final String REQUEST_TIMEOUT_MS = "scylla.request.timeout.ms";
  private static final String REQUEST_TIMEOUT_MS_DOC =
      "How long one write may take before it counts as timed out (and is retried).";

  public static final String SCHEMA_CREATE = "scylla.schema.create";
  private static final String SCHEMA_CREATE_DOC =
      "Whether the connector creates the keyspace and tables (cql/tables.cql) when it starts. Off"
          + " in production, where an operator applies the CQL files.";

  public static final String SCHEMA_REPLICATION = "scylla.schema.replication";
  private static final String SCHEMA_REPLICATION_DOC =
      "The replication map of the keyspace the connector creates; empty for"
          + " NetworkTopologyStrategy with 3 replicas in the local data center.";

  public static final String REGISTRY_URL = CommonSettings.SCHEMA_REGISTRY_URL_CONFIG;

  public static final String SHADOWS_TOPIC = "shadows.topic";
  private static final String SHADOWS_TOPIC_DOC = "The topic of DeviceShadow records.";

  public static final String SHADOWS_TABLE = "shadows.table";
  private static final String SHADOWS_TABLE_DOC = "The table the shadows topic is written to.";

  public static final String SHADOWS_COALESCE = "shadows.coalesce";
  private static final String SHADOWS_COALESCE_DOC =
      "Whether only the newest record of a device in a batch is written (the older ones would be"
          + " overwritten at once).";

  public static final String SHADOWS_TIMESTAMP_BASE = "shadows.timestamp.base";
  private static final String SHADOWS_TIMESTAMP_BASE_DOC =
      "Added to the Kafka offset that orders shadow writes (USING TIMESTAMP). Raise it above the"
          + " largest offset ever written after the shadows topic was recreated or repartitioned.";

  public static final String EVENTS_TOPIC = "events.topic";
  private static final String EVENTS_TOPIC_DOC = "The topic of DeviceEvent records.";

  public static final String EVENTS_TABLE = "events.table";
  private static final String EVENTS_TABLE_DOC = "The table the events topic is written to.";

  public static final String EVENTS_IDS_TABLE = "events.ids.table";
  private static final String EVENTS_IDS_TABLE_DOC =
      "The table of the first receipt of each event id a device chose (MQTT 5 user property"
          + " eventId): a redelivered event is written over its first row, not as a second one.";

  public static final String EVENTS_TTL_SECONDS = "events.ttl.seconds";
  private static final String EVENTS_TTL_SECONDS_DOC =
      "How long an archived event is kept (USING TTL); 0 for the table's default_time_to_live.";

  public static final String EVENTS_BATCH_MAX_ROWS = "events.batch.max.rows";
  private static final String EVENTS_BATCH_MAX_ROWS_DOC =
      "At most this many events of one device and day go in one unlogged batch (one partition,"
          + " one round trip).";

  public static final String MAX_CONCURRENT_WRITES = "write.max.concurrent";
  private static final String MAX_CONCURRENT_WRITES_DOC =
      "Asynchronous writes in flight at once, per task.";

  public static final String RETRY_BACKOFF_INITIAL_MS = "retry.backoff.initial.ms";
  private static final String RETRY_BACKOFF_INITIAL_MS_DOC =
      "The first pause after a write timed out or ScyllaDB was unavailable; doubles each retry.";

  public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
  private static final String RETRY_BACKOFF_MAX_MS_DOC =
      "The longest pause between retries. Retries never end: the task pauses, it never drops.";

  /** A CQL table or keyspace name that needs no quoting. */
  private static final ConfigDef.Validator CQL_NAME =
      Validators.matching("[A-Za-z][A-Za-z0-9_]{0,47}");

  public static final ConfigDef CONFIG_DEF =
      CommonSettings.defineSchemaRegistry(new ConfigDef())
          .define(
              CONTACT_POINTS,
              Type.LIST,
              ConfigDef.NO_DEFAULT_VALUE,
              Validators.hostPortList(),
              Importance.HIGH,
              CONTACT_POINTS_DOC)
          .define(
              LOCAL_DATACENTER,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              LOCAL_DATACENTER_DOC)
          .define(KEYSPACE, Type.STRING, "iot", CQL_NAME, Importance.HIGH, KEYSPACE_DOC)
          .define(
              CONSISTENCY,
              Type.STRING,
              "LOCAL_QUORUM",
              ValidString.in(CONSISTENCIES.toArray(String[]::new)),
              Importance.MEDIUM,
              CONSISTENCY_DOC)
          .define(USERNAME, Type.STRING, "", Importance.MEDIUM, USERNAME_DOC)
          .define(PASSWORD, Type.PASSWORD, "", Importance.MEDIUM, PASSWORD_DOC)
          .define(TLS_ENABLED, Type.BOOLEAN, false, Importance.MEDIUM, TLS_ENABLED_DOC)
          .define(TLS_TRUSTSTORE_PATH, Type.STRING, "", Importance.MEDIUM, TLS_TRUSTSTORE_PATH_DOC)
          .define(
              TLS_TRUSTSTORE_PASSWORD,
              Type.PASSWORD,
              "",
              Importance.MEDIUM,
              TLS_TRUSTSTORE_PASSWORD_DOC)
          .define(
              TLS_HOSTNAME_VALIDATION,
              Type.BOOLEAN,
              true,
              Importance.LOW,
              TLS_HOSTNAME_VALIDATION_DOC)
          .define(
              REQUEST_TIMEOUT_MS,
              Type.INT,
              5_000,
              Range.between(100, 600_000),
              Importance.LOW,
              REQUEST_TIMEOUT_MS_DOC)
          .define(SCHEMA_CREATE, Type.BOOLEAN, false, Importance.LOW, SCHEMA_CREATE_DOC)
          .define(
              SCHEMA_REPLICATION,
              Type.STRING,
              "",
              ConfigDef.LambdaValidator.with(
                  ScyllaSinkConfig::validateReplication,
                  () -> "empty, or a CQL replication map {'class': ...}"),
              Importance.LOW,
              SCHEMA_REPLICATION_DOC)
          .define(
              SHADOWS_TOPIC,
              Type.STRING,
              Topics.SHADOW_STATE.name(),
              new ConfigDef.NonEmptyString(),
              Importance.MEDIUM,
              SHADOWS_TOPIC_DOC)
          .define(
              SHADOWS_TABLE, Type.STRING, "shadows", CQL_NAME, Importance.MEDIUM, SHADOWS_TABLE_DOC)
          .define(SHADOWS_COALESCE, Type.BOOLEAN, true, Importance.LOW, SHADOWS_COALESCE_DOC)
          .define(
              SHADOWS_TIMESTAMP_BASE,
              Type.LONG,
              0L,
              Range.between(0L, 1L << 60),
              Importance.LOW,
              SHADOWS_TIMESTAMP_BASE_DOC)
          .define(
              EVENTS_TOPIC,
              Type.STRING,
              Topics.DEVICE_EVENTS.name(),
              new ConfigDef.NonEmptyString(),
              Importance.MEDIUM,
              EVENTS_TOPIC_DOC)
          .define(
              EVENTS_TABLE,
              Type.STRING,
              "device_events",
              CQL_NAME,
              Importance.MEDIUM,
              EVENTS_TABLE_DOC)
          .define(
              EVENTS_IDS_TABLE,
              Type.STRING,
              "device_event_ids",
              CQL_NAME,
              Importance.LOW,
              EVENTS_IDS_TABLE_DOC)
          .define(
              EVENTS_TTL_SECONDS,
              Type.INT,
              30 * 24 * 3600,
              Range.between(0, 630_720_000),
              Importance.MEDIUM,
              EVENTS_TTL_SECONDS_DOC)
          .define(
              EVENTS_BATCH_MAX_ROWS,
              Type.INT,
              20,
              Range.between(1, 1_000),
              Importance.LOW,
              EVENTS_BATCH_MAX_ROWS_DOC)
          .define(
              MAX_CONCURRENT_WRITES,
              Type.INT,
              64,
              Range.between(1, 4_096),
              Importance.LOW,
              MAX_CONCURRENT_WRITES_DOC)
          .define(
              RETRY_BACKOFF_INITIAL_MS,
              Type.LONG,
              500L,
              Range.between(1L, 600_000L),
              Importance.LOW,
              RETRY_BACKOFF_INITIAL_MS_DOC)
          .define(
              RETRY_BACKOFF_MAX_MS,
              Type.LONG,
              30_000L,
              Range.between(1L, 3_600_000L),
              Importance.LOW,
              RETRY_BACKOFF_MAX_MS_DOC);

  /** Parses and validates {@code props}, single keys and the rules between keys. */
  public ScyllaSinkConfig(Map<String, String> props) {
    super(CONFIG_DEF, props);
    validateTogether(props);
  }

  public List<String> contactPoints() {
    return getList(CONTACT_POINTS);
  }

  public String localDatacenter() {
    return getString(LOCAL_DATACENTER);
  }

  public String keyspace() {
    return getString(KEYSPACE);
  }

  public String consistency() {
    return getString(CONSISTENCY);
  }

  /** The user name and password, when authentication is set. */
  public Optional<Map.Entry<String, String>> credentials() {
    String user = getString(USERNAME);
    return user.isEmpty()
        ? Optional.empty()
        : Optional.of(Map.entry(user, getPassword(PASSWORD).value()));
  }

  public boolean tlsEnabled() {
    return getBoolean(TLS_ENABLED);
  }

  public Optional<Path> truststorePath() {
    String path = getString(TLS_TRUSTSTORE_PATH);
    return path.isEmpty() ? Optional.empty() : Optional.of(Path.of(path));
  }

  public Password truststorePassword() {
    return getPassword(TLS_TRUSTSTORE_PASSWORD);
  }

  public boolean tlsHostnameValidation() {
    return getBoolean(TLS_HOSTNAME_VALIDATION);
  }

  public int requestTimeoutMs() {
    return getInt(REQUEST_TIMEOUT_MS);
  }

  public boolean schemaCreate() {
    return getBoolean(SCHEMA_CREATE);
  }

  /** The replication map of a keyspace the connector creates. */
  public String schemaReplication() {
    String replication = getString(SCHEMA_REPLICATION);
    return replication.isBlank()
        ? "{'class': 'NetworkTopologyStrategy', '" + localDatacenter() + "': 3}"
        : replication;
  }

  /** The schema registry: where, which API, whether to register, credentials, TLS. */
  public RegistryConfig registry() {
    return CommonSettings.schemaRegistry(this);
  }

  public String shadowsTopic() {
    return getString(SHADOWS_TOPIC);
  }

  public String shadowsTable() {
    return getString(SHADOWS_TABLE);
  }

  public boolean shadowsCoalesce() {
    return getBoolean(SHADOWS_COALESCE);
  }

  public long shadowsTimestampBase() {
    return getLong(SHADOWS_TIMESTAMP_BASE);
  }

  public String eventsTopic() {
    return getString(EVENTS_TOPIC);
  }

  public String eventsTable() {
    return getString(EVENTS_TABLE);
  }

  public String eventsIdsTable() {
    return getString(EVENTS_IDS_TABLE);
  }

  public int eventsTtlSeconds() {
    return getInt(EVENTS_TTL_SECONDS);
  }

  public int eventsBatchMaxRows() {
    return getInt(EVENTS_BATCH_MAX_ROWS);
  }

  public int maxConcurrentWrites() {
    return getInt(MAX_CONCURRENT_WRITES);
  }

  public long retryBackoffInitialMs() {
    return getLong(RETRY_BACKOFF_INITIAL_MS);
  }

  public long retryBackoffMaxMs() {
    return getLong(RETRY_BACKOFF_MAX_MS);
  }

  private void validateTogether(Map<String, String> props) {
    if (getString(USERNAME).isEmpty() != getPassword(PASSWORD).value().isEmpty()) {
      String missing = getString(USERNAME).isEmpty() ? USERNAME : PASSWORD;
      throw new ConfigException(
          missing, "", USERNAME + " and " + PASSWORD + " are set together or not at all");
    }
    truststorePath()
        .ifPresent(
            path -> {
              if (!tlsEnabled()) {
                throw new ConfigException(
                    TLS_TRUSTSTORE_PATH,
                    path.toString(),
                    "a truststore is set but " + TLS_ENABLED + " is false");
              }
              if (!Files.isReadable(path)) {
                throw new ConfigException(
                    TLS_TRUSTSTORE_PATH, path.toString(), "no readable file there");
              }
            });
    if (getLong(RETRY_BACKOFF_MAX_MS) < getLong(RETRY_BACKOFF_INITIAL_MS)) {
      throw new ConfigException(
          RETRY_BACKOFF_MAX_MS,
          getLong(RETRY_BACKOFF_MAX_MS),
          "must not be less than " + RETRY_BACKOFF_INITIAL_MS);
    }
    if (shadowsTopic().equals(eventsTopic())) {
      throw new ConfigException(EVENTS_TOPIC, eventsTopic(), "the same topic as " + SHADOWS_TOPIC);
    }
    if (shadowsTable().equals(eventsTable())) {
      throw new ConfigException(EVENTS_TABLE, eventsTable(), "the same table as " + SHADOWS_TABLE);
    }
    if (eventsIdsTable().equals(shadowsTable()) || eventsIdsTable().equals(eventsTable())) {
      throw new ConfigException(
          EVENTS_IDS_TABLE,
          eventsIdsTable(),
          "the same table as " + SHADOWS_TABLE + " or " + EVENTS_TABLE);
    }
    // Connect passes the framework's `topics` to the connector; every topic must have a table.
    String topics = props.get(SinkConnector.TOPICS_CONFIG);
    if (topics != null) {
      for (String topic : topics.split(",")) {
        String name = topic.trim();
        if (!name.isEmpty() && !Set.of(shadowsTopic(), eventsTopic()).contains(name)) {
          throw new ConfigException(
              SinkConnector.TOPICS_CONFIG,
              topics,
              "topic "
                  + name
                  + " has no table: it must be "
                  + SHADOWS_TOPIC
                  + " or "
                  + EVENTS_TOPIC);
        }
      }
    }
    if (props.containsKey(SinkTask.TOPICS_REGEX_CONFIG)
        && !props.get(SinkTask.TOPICS_REGEX_CONFIG).isBlank()) {
      throw new ConfigException(
          SinkTask.TOPICS_REGEX_CONFIG,
          props.get(SinkTask.TOPICS_REGEX_CONFIG),
          "not supported: list the topics in " + SinkConnector.TOPICS_CONFIG);
    }
  }

  private static void validateReplication(String name, Object value) {
    String replication = ((String) value).trim();
    if (!replication.isEmpty()
        && !(replication.startsWith("{")
            && replication.endsWith("}")
            && replication.contains("'class'"))) {
      throw new ConfigException(
          name, value, "not a CQL replication map such as {'class': 'SimpleStrategy', ...}");
    }
  }
}
