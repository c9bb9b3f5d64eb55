package org.iotbackbone.ingestbridge;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.NonEmptyString;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.iotbackbone.schemas.access.Principals;
import org.iotbackbone.schemas.config.CommonSettings;
import org.iotbackbone.schemas.config.ConfigLoader;
import org.iotbackbone.schemas.config.EnvironmentRule;
import org.iotbackbone.schemas.config.KafkaClientSettings;
import org.iotbackbone.schemas.config.Validators;
import org.iotbackbone.schemas.serde.RegistryConfig;

/**
 * Every setting of the bridge, declared and validated here and nowhere else, in the platform's one
 * config dialect ({@link ConfigLoader}).
 *
 * <p>Settings come from a properties file and from environment variables; a variable wins over the
 * file. The variable of a key is {@code IOT_BRIDGE_} followed by the key in upper case with dots
 * turned into underscores: {@code mqtt.brokers} is {@code IOT_BRIDGE_MQTT_BROKERS}. Any {@code
 * kafka.*} setting ({@code IOT_BRIDGE_KAFKA_*}) is handed to every Kafka client of the bridge
 * ({@link KafkaClientSettings}). An unknown key (in the file, or an unknown {@code IOT_BRIDGE_*}
 * variable), a missing required key or a bad value fails with Kafka's {@link ConfigException}
 * naming the key. {@link #configDef()} documents every key; {@code ingest-bridge/README.md} shows
 * it as a table.
 */
public final class BridgeConfig extends AbstractConfig {

  /** The prefix of the environment variables that set keys. */
  public static final String ENV_PREFIX = "IOT_BRIDGE_";

  private static final String CLIENT_ID_PART = "[A-Za-z0-9_.-]{1,64}";

  public static final String BRIDGE_ID_CONFIG = "bridge.id";
  private static final String BRIDGE_ID_DOC =
      "This instance's id, unique among the bridges of a deployment and stable across restarts:"
          + " its MQTT client ids are {bridge.id}-{broker}-{n}, so that a restarted bridge resumes"
          + " its persistent sessions.";
  public static final String MQTT_BROKERS_CONFIG = "mqtt.brokers";
  private static final String MQTT_BROKERS_DOC =
      "The edge brokers, comma-separated, each as id=host:port. The id is written into records"
          + " and routes commands.";
  public static final String MQTT_USERNAME_CONFIG = "mqtt.username";
  private static final String MQTT_USERNAME_DOC =
      "User name of the back-end MQTT client; empty for none.";
  public static final String MQTT_PASSWORD_CONFIG = "mqtt.password";
  private static final String MQTT_PASSWORD_DOC =
      "Its password; empty for none. Set both mqtt.username and it, or neither.";
  public static final String MQTT_TLS_ENABLED_CONFIG = "mqtt.tls.enabled";
  private static final String MQTT_TLS_ENABLED_DOC =
      "Whether the bridge reaches the brokers over TLS, as it must outside a development stack"
          + " (mqtt.brokers then names their back-end TLS listeners). false only for the insecure"
          + " development mode's plain listeners.";
  public static final String MQTT_TLS_CA_FILE_CONFIG = "mqtt.tls.ca.file";
  private static final String MQTT_TLS_CA_FILE_DOC =
      "PEM file of the CA certificates the brokers' server certificates are checked against (the"
          + " device CA of ./iot up); empty for the JVM's default trust store.";
  public static final String MQTT_TLS_CERTIFICATE_FILE_CONFIG = "mqtt.tls.certificate.file";
  private static final String MQTT_TLS_CERTIFICATE_FILE_DOC =
      "PEM file of the bridge's client certificate (its chain may follow): its identity on the"
          + " brokers' back-end listener (CN ingest-bridge.backend). Set with mqtt.tls.key.file.";
  public static final String MQTT_TLS_KEY_FILE_CONFIG = "mqtt.tls.key.file";
  private static final String MQTT_TLS_KEY_FILE_DOC =
      "PEM file of that certificate's private key (PKCS#8, unencrypted; mount it from a secret).";
  public static final String MQTT_SHARE_GROUP_CONFIG = "mqtt.share.group";
  private static final String MQTT_SHARE_GROUP_DOC =
      "The shared subscription group ($share/GROUP/...) the bridges of a deployment join.";
  public static final String MQTT_SESSION_EXPIRY_SECONDS_CONFIG = "mqtt.session.expiry.seconds";
  private static final String MQTT_SESSION_EXPIRY_SECONDS_DOC =
      "How long the broker keeps a bridge's session, and queues its messages, while it is away.";
  public static final String MQTT_CONNECTIONS_PER_BROKER_CONFIG = "mqtt.connections.per.broker";
  private static final String MQTT_CONNECTIONS_PER_BROKER_DOC =
      "Shared-subscription members this bridge opens on each broker. More than one spreads one"
          + " device's messages over connections and so loses per-device order.";
  public static final String UPLINK_MAX_IN_FLIGHT_CONFIG = "uplink.max.in.flight";
  private static final String UPLINK_MAX_IN_FLIGHT_DOC =
      "Messages received on one broker connection and not yet acknowledged (waiting for Kafka):"
          + " the bound on memory; a full window stops the intake and the broker queues.";
  public static final String UPLINK_MAX_PAYLOAD_BYTES_CONFIG = "uplink.max.payload.bytes";
  private static final String UPLINK_MAX_PAYLOAD_BYTES_DOC =
      "The largest MQTT payload taken; a larger one is dead-lettered (under Kafka's 1 MiB record"
          + " limit).";
  public static final String UPLINK_MAX_USER_PROPERTIES_CONFIG = "uplink.max.user.properties";
  private static final String UPLINK_MAX_USER_PROPERTIES_DOC =
      "The most MQTT 5 user properties a message may carry; one with more is dead-lettered"
          + " (PAYLOAD_TOO_LARGE). They are copied into the record.";
  public static final String UPLINK_MAX_RECORD_BYTES_CONFIG = "uplink.max.record.bytes";
  private static final String UPLINK_MAX_RECORD_BYTES_DOC =
      "The largest record a message may make: payload, topic, user properties and the rest,"
          + " checked before sending; a larger one is dead-lettered (PAYLOAD_TOO_LARGE). At least"
          + " uplink.max.payload.bytes, and under the producer's max.request.size and the topics'"
          + " max.message.bytes (1 MiB by default).";
  public static final String UPLINK_JOBS_REQUESTS_PER_SECOND_CONFIG =
      "uplink.jobs.requests.per.second";
  private static final String UPLINK_JOBS_REQUESTS_PER_SECOND_DOC =
      "The jobs requests (devices/{id}/jobs/start-next, .../{jobId}/get, .../update) one device may"
          + " make a second through this bridge, on average; over it the bridge answers 429 on the"
          + " request's .../rejected topic and sends nothing to Kafka. Per bridge instance: the"
          + " shared subscription spreads a device's messages, so N bridges let N times through.";
  public static final String UPLINK_JOBS_REQUESTS_BURST_CONFIG = "uplink.jobs.requests.burst";
  private static final String UPLINK_JOBS_REQUESTS_BURST_DOC =
      "The jobs requests one device may make at once before uplink.jobs.requests.per.second"
          + " applies (its token bucket's size).";
  public static final String READY_STALL_TIMEOUT_MS_CONFIG = "ready.stall.timeout.ms";
  private static final String READY_STALL_TIMEOUT_MS_DOC =
      "/ready answers 503 while a broker connection's oldest unacknowledged message has waited"
          + " longer than this (its window is stuck and takes nothing new), or while the downlink"
          + " has not polled Kafka for longer.";
  public static final String DOWNLINK_PRESENCE_MAX_DEVICES_CONFIG = "downlink.presence.max.devices";
  private static final String DOWNLINK_PRESENCE_MAX_DEVICES_DOC =
      "The most devices the command routing table (from iot.device.presence) holds; past it the"
          + " least recently seen is forgotten, and its commands go to every broker.";
  public static final String DOWNLINK_PRESENCE_RETENTION_MS_CONFIG =
      "downlink.presence.retention.ms";
  private static final String DOWNLINK_PRESENCE_RETENTION_MS_DOC =
      "How long a device that went offline stays routed to its last broker, counted from its"
          + " offline event; then it is forgotten and its commands go to every broker.";
  public static final String BOOTSTRAP_SERVERS_CONFIG = CommonSettings.BOOTSTRAP_SERVERS_CONFIG;
  public static final String SCHEMA_REGISTRY_URL_CONFIG = CommonSettings.SCHEMA_REGISTRY_URL_CONFIG;
  public static final String DOWNLINK_ENABLED_CONFIG = "downlink.enabled";
  private static final String DOWNLINK_ENABLED_DOC =
      "Whether this bridge also carries commands, shadow responses and jobs messages to devices.";
  public static final String DOWNLINK_GROUP_ID_CONFIG = "downlink.group.id";
  private static final String DOWNLINK_GROUP_ID_DOC =
      "The consumer group that reads iot.commands, iot.shadow.responses and iot.job.responses.";
  public static final String HTTP_PORT_CONFIG = "http.port";
  private static final String HTTP_PORT_DOC =
      "Port of /metrics, /health and /ready on all interfaces; 0 picks a free one; -1 turns the"
          + " endpoint off.";
  public static final String BACKOFF_INITIAL_MS_CONFIG = "backoff.initial.ms";
  private static final String BACKOFF_INITIAL_MS_DOC =
      "First retry delay of reconnects and retried sends (exponential, full jitter).";
  public static final String BACKOFF_MAX_MS_CONFIG = "backoff.max.ms";
  private static final String BACKOFF_MAX_MS_DOC = "Largest retry delay (>= backoff.initial.ms).";
  public static final String SHUTDOWN_DRAIN_TIMEOUT_MS_CONFIG = "shutdown.drain.timeout.ms";
  private static final String SHUTDOWN_DRAIN_TIMEOUT_MS_DOC =
      "How long a graceful shutdown waits for messages in flight to reach Kafka.";

  /**
   * The producer's linger.ms unless {@code kafka.linger.ms} says otherwise. Every record is keyed
   * by its device over 12 partitions, so at 2 ms a partition's batch held 2-3 records at 15,000
   * msg/s and Kafka's broker paid per batch; 5 ms cut the bridge path's CPU per message and raised
   * its throughput (docs/benchmarks.md, BridgeBenchmark, issue 22) for about 2 ms more at low
   * rates.
   */
  public static final int DEFAULT_LINGER_MS = 5;

  private static final ConfigDef DEFINITION =
      CommonSettings.defineSchemaRegistry(CommonSettings.defineBootstrapServers(new ConfigDef()))
          .define(
              BRIDGE_ID_CONFIG,
              Type.STRING,
              "ingest-bridge-1",
              Validators.matching(CLIENT_ID_PART),
              Importance.HIGH,
              BRIDGE_ID_DOC)
          .define(
              MQTT_BROKERS_CONFIG,
              Type.LIST,
              ConfigDef.NO_DEFAULT_VALUE,
              new Brokers(),
              Importance.HIGH,
              MQTT_BROKERS_DOC)
          .define(MQTT_USERNAME_CONFIG, Type.STRING, "", Importance.MEDIUM, MQTT_USERNAME_DOC)
          .define(MQTT_PASSWORD_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, MQTT_PASSWORD_DOC)
          .define(
              MQTT_TLS_ENABLED_CONFIG, Type.BOOLEAN, true, Importance.HIGH, MQTT_TLS_ENABLED_DOC)
          .define(MQTT_TLS_CA_FILE_CONFIG, Type.STRING, "", Importance.HIGH, MQTT_TLS_CA_FILE_DOC)
          .define(
              MQTT_TLS_CERTIFICATE_FILE_CONFIG,
              Type.STRING,
              "",
              Importance.HIGH,
              MQTT_TLS_CERTIFICATE_FILE_DOC)
          .define(MQTT_TLS_KEY_FILE_CONFIG, Type.STRING, "", Importance.HIGH, MQTT_TLS_KEY_FILE_DOC)
          .define(
              MQTT_SHARE_GROUP_CONFIG,
              Type.STRING,
              "ingest-bridge",
              Validators.matching(CLIENT_ID_PART),
              Importance.MEDIUM,
              MQTT_SHARE_GROUP_DOC)
          .define(
              MQTT_SESSION_EXPIRY_SECONDS_CONFIG,
              Type.LONG,
              86_400L,
              Range.between(1, 4_294_967_295L),
              Importance.MEDIUM,
              MQTT_SESSION_EXPIRY_SECONDS_DOC)
          .define(
              MQTT_CONNECTIONS_PER_BROKER_CONFIG,
              Type.INT,
              1,
              Range.between(1, 64),
              Importance.LOW,
              MQTT_CONNECTIONS_PER_BROKER_DOC)
          .define(
              UPLINK_MAX_IN_FLIGHT_CONFIG,
              Type.INT,
              1000,
              Range.between(1, 65_535),
              Importance.MEDIUM,
              UPLINK_MAX_IN_FLIGHT_DOC)
          .define(
              UPLINK_MAX_PAYLOAD_BYTES_CONFIG,
              Type.INT,
              131_072,
              Range.between(1, 1_000_000),
              Importance.MEDIUM,
              UPLINK_MAX_PAYLOAD_BYTES_DOC)
          .define(
              UPLINK_MAX_USER_PROPERTIES_CONFIG,
              Type.INT,
              32,
              Range.between(0, 65_535),
              Importance.LOW,
              UPLINK_MAX_USER_PROPERTIES_DOC)
          .define(
              UPLINK_MAX_RECORD_BYTES_CONFIG,
              Type.INT,
              262_144,
              Range.between(1_024, 1_048_576),
              Importance.MEDIUM,
              UPLINK_MAX_RECORD_BYTES_DOC)
          .define(
              UPLINK_JOBS_REQUESTS_PER_SECOND_CONFIG,
              Type.DOUBLE,
              5.0,
              Range.between(0.01, 10_000),
              Importance.LOW,
              UPLINK_JOBS_REQUESTS_PER_SECOND_DOC)
          .define(
              UPLINK_JOBS_REQUESTS_BURST_CONFIG,
              Type.INT,
              10,
              Range.between(1, 10_000),
              Importance.LOW,
              UPLINK_JOBS_REQUESTS_BURST_DOC)
          .define(
              READY_STALL_TIMEOUT_MS_CONFIG,
              Type.LONG,
              60_000L,
              Range.between(1_000, 3_600_000),
              Importance.LOW,
              READY_STALL_TIMEOUT_MS_DOC)
          .define(
              DOWNLINK_PRESENCE_MAX_DEVICES_CONFIG,
              Type.INT,
              1_000_000,
              Range.between(1, 100_000_000),
              Importance.LOW,
              DOWNLINK_PRESENCE_MAX_DEVICES_DOC)
          .define(
              DOWNLINK_PRESENCE_RETENTION_MS_CONFIG,
              Type.LONG,
              604_800_000L,
              Range.between(0, 31_536_000_000L),
              Importance.LOW,
              DOWNLINK_PRESENCE_RETENTION_MS_DOC)
          .define(
              DOWNLINK_ENABLED_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, DOWNLINK_ENABLED_DOC)
          .define(
              DOWNLINK_GROUP_ID_CONFIG,
              Type.STRING,
              // The group the bridge's principal may join (schemas' Principals).
              Principals.BRIDGE_GROUP_ID,
              new NonEmptyString(),
              Importance.MEDIUM,
              DOWNLINK_GROUP_ID_DOC)
          .define(
              HTTP_PORT_CONFIG,
              Type.INT,
              8080,
              Range.between(-1, 65_535),
              Importance.MEDIUM,
              HTTP_PORT_DOC)
          .define(
              BACKOFF_INITIAL_MS_CONFIG,
              Type.LONG,
              100L,
              Range.between(1, 3_600_000),
              Importance.LOW,
              BACKOFF_INITIAL_MS_DOC)
          .define(
              BACKOFF_MAX_MS_CONFIG,
              Type.LONG,
              30_000L,
              Range.between(1, 3_600_000),
              Importance.LOW,
              BACKOFF_MAX_MS_DOC)
          .define(
              SHUTDOWN_DRAIN_TIMEOUT_MS_CONFIG,
              Type.LONG,
              10_000L,
              Range.between(0, 3_600_000),
              Importance.LOW,
              SHUTDOWN_DRAIN_TIMEOUT_MS_DOC);

  private static final ConfigLoader LOADER = new ConfigLoader(DEFINITION, ENV_PREFIX);

  private final List<BrokerEndpoint> brokers;
  private final KafkaClientSettings kafkaClients;
  private final MqttTlsSettings mqttTls;

  private BridgeConfig(Map<String, ?> settings) {
    super(DEFINITION, settings, false);
    ConfigLoader.requireKnown(DEFINITION, settings, "the bridge's settings");
    this.brokers = parseBrokers(getList(MQTT_BROKERS_CONFIG));
    this.kafkaClients =
        KafkaClientSettings.of(String.join(",", getList(BOOTSTRAP_SERVERS_CONFIG)), settings);
    if (getLong(BACKOFF_MAX_MS_CONFIG) < getLong(BACKOFF_INITIAL_MS_CONFIG)) {
      throw new ConfigException(
          BACKOFF_MAX_MS_CONFIG,
          getLong(BACKOFF_MAX_MS_CONFIG),
          "must be >= " + BACKOFF_INITIAL_MS_CONFIG);
    }
    if (maxRecordBytes() < maxPayloadBytes()) {
      throw new ConfigException(
          UPLINK_MAX_RECORD_BYTES_CONFIG,
          maxRecordBytes(),
          "must be >= " + UPLINK_MAX_PAYLOAD_BYTES_CONFIG + " (" + maxPayloadBytes() + ")");
    }
    if (mqttPassword().isEmpty() != mqttUsername().isEmpty()) {
      throw new ConfigException(
          MQTT_PASSWORD_CONFIG + ": set both " + MQTT_USERNAME_CONFIG + " and it, or neither");
    }
    this.mqttTls = MqttTlsSettings.of(this);
  }

  /** Every key of the bridge: type, default, validator and documentation (a copy). */
  public static ConfigDef configDef() {
    return new ConfigDef(DEFINITION);
  }

  /** How the bridge reads environment variables ({@code IOT_BRIDGE_*}). */
  public static EnvironmentRule environmentRule() {
    return LOADER.environmentRule();
  }

  /**
   * The settings of a properties file (the one given, else the one {@code IOT_BRIDGE_CONFIG} names,
   * else none) with the environment's {@code IOT_BRIDGE_*} variables over them.
   *
   * @throws ConfigException naming an unknown, missing or bad key, or an unknown variable
   */
  public static BridgeConfig load(Optional<Path> file, Map<String, String> environment) {
    return new BridgeConfig(
        LOADER.load(LOADER.configFile(file, environment), environment, Map.of()));
  }

  /** The settings of a map of keys to values (defaults for what it lacks). */
  public static BridgeConfig of(Map<String, ?> values) {
    return new BridgeConfig(values);
  }

  /**
   * The settings as a map of keys to values, defaults included, the password and the Kafka client
   * settings that may hold secrets masked.
   */
  public Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : DEFINITION.configKeys().keySet()) {
      Object value = get(key);
      String text;
      if (value instanceof Password password) {
        text = password.value().isEmpty() ? "" : Password.HIDDEN;
      } else if (value instanceof List<?> list) {
        text = String.join(",", list.stream().map(String::valueOf).toList());
      } else {
        text = String.valueOf(value);
      }
      out.put(key, text);
    }
    out.putAll(kafkaClients.describe());
    return out;
  }

  public String bridgeId() {
    return getString(BRIDGE_ID_CONFIG);
  }

  public List<BrokerEndpoint> brokers() {
    return brokers;
  }

  /**
   * The TLS material for the brokers, loaded and checked once; empty when {@code mqtt.tls.enabled}
   * is false.
   */
  public Optional<MqttTlsSettings> mqttTls() {
    return Optional.ofNullable(mqttTls);
  }

  public String mqttUsername() {
    return getString(MQTT_USERNAME_CONFIG);
  }

  public String mqttPassword() {
    return getPassword(MQTT_PASSWORD_CONFIG).value();
  }

  public String shareGroup() {
    return getString(MQTT_SHARE_GROUP_CONFIG);
  }

  public long sessionExpirySeconds() {
    return getLong(MQTT_SESSION_EXPIRY_SECONDS_CONFIG);
  }

  public int maxInFlight() {
    return getInt(UPLINK_MAX_IN_FLIGHT_CONFIG);
  }

  public int connectionsPerBroker() {
    return getInt(MQTT_CONNECTIONS_PER_BROKER_CONFIG);
  }

  /** What every Kafka client of the bridge is given: the brokers and the {@code kafka.*}. */
  public KafkaClientSettings kafkaClients() {
    return kafkaClients;
  }

  public String downlinkGroupId() {
    return getString(DOWNLINK_GROUP_ID_CONFIG);
  }

  /** The schema registry: where, which API, whether to register, credentials, TLS. */
  public RegistryConfig registry() {
    return CommonSettings.schemaRegistry(this);
  }

  public int maxPayloadBytes() {
    return getInt(UPLINK_MAX_PAYLOAD_BYTES_CONFIG);
  }

  public int maxUserProperties() {
    return getInt(UPLINK_MAX_USER_PROPERTIES_CONFIG);
  }

  public int maxRecordBytes() {
    return getInt(UPLINK_MAX_RECORD_BYTES_CONFIG);
  }

  /** Jobs requests a second per device ({@code uplink.jobs.requests.per.second}). */
  public double jobsRequestsPerSecond() {
    return getDouble(UPLINK_JOBS_REQUESTS_PER_SECOND_CONFIG);
  }

  /** Jobs requests at once per device ({@code uplink.jobs.requests.burst}). */
  public int jobsRequestsBurst() {
    return getInt(UPLINK_JOBS_REQUESTS_BURST_CONFIG);
  }

  public Duration stallTimeout() {
    return Duration.ofMillis(getLong(READY_STALL_TIMEOUT_MS_CONFIG));
  }

  public int presenceMaxDevices() {
    return getInt(DOWNLINK_PRESENCE_MAX_DEVICES_CONFIG);
  }

  public Duration presenceRetention() {
    return Duration.ofMillis(getLong(DOWNLINK_PRESENCE_RETENTION_MS_CONFIG));
  }

  public boolean downlinkEnabled() {
    return getBoolean(DOWNLINK_ENABLED_CONFIG);
  }

  public int httpPort() {
    return getInt(HTTP_PORT_CONFIG);
  }

  public Duration backoffInitial() {
    return Duration.ofMillis(getLong(BACKOFF_INITIAL_MS_CONFIG));
  }

  public Duration backoffMax() {
    return Duration.ofMillis(getLong(BACKOFF_MAX_MS_CONFIG));
  }

  public Duration drainTimeout() {
    return Duration.ofMillis(getLong(SHUTDOWN_DRAIN_TIMEOUT_MS_CONFIG));
  }

  private static List<BrokerEndpoint> parseBrokers(List<String> specs) {
    List<BrokerEndpoint> list = new ArrayList<>();
    for (String spec : specs) {
      list.add(BrokerEndpoint.parse(spec));
    }
    return List.copyOf(list);
  }

  /** One or more {@code id=host:port}, the ids unique. */
  private static final class Brokers implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (!(value instanceof List<?> specs) || specs.isEmpty()) {
        throw new ConfigException(name, value, "at least one broker is needed");
      }
      Set<String> ids = new HashSet<>();
      for (Object spec : specs) {
        BrokerEndpoint broker;
        try {
          broker = BrokerEndpoint.parse(String.valueOf(spec));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(name, value, e.getMessage());
        }
        if (!ids.add(broker.id())) {
          throw new ConfigException(name, value, "broker ids must be unique: " + broker.id());
        }
      }
    }

    @Override
    public String toString() {
      return "id=host:port,... (unique ids)";
    }
  }
}
