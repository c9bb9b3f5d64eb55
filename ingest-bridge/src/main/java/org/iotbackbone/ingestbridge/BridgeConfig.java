package org.iotbackbone.ingestbridge;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Every setting of the bridge, declared and validated here and nowhere else.
 *
 * <p>Settings come from a properties file and from environment variables; a variable wins over the
 * file. The variable of a key is {@code IOT_BRIDGE_} followed by the key in upper case with dots
 * and dashes turned into underscores: {@code mqtt.brokers} is {@code IOT_BRIDGE_MQTT_BROKERS}. An
 * unknown key (in the file, or an unknown {@code IOT_BRIDGE_*} variable), a missing required key or
 * a bad value fails {@link #load} with a {@link ConfigException} that names the key.
 *
 * <p>{@link #KEYS} lists every key with its default and its meaning; {@code README.md} shows the
 * same table.
 */
public final class BridgeConfig {

  /** The prefix of the environment variables that set keys. */
  public static final String ENV_PREFIX = "IOT_BRIDGE_";

  /**
   * A declared setting.
   *
   * @param name the key, such as {@code mqtt.brokers}
   * @param defaultValue its default, or null when it is required
   * @param doc what it means
   */
  public record Key(String name, String defaultValue, String doc) {
    /** The environment variable that sets it. */
    public String envVariable() {
      return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
  }

  public static final Key BRIDGE_ID =
      new Key(
          "bridge.id",
          "ingest-bridge-1",
          "This instance's id, unique among the bridges of a deployment and stable across restarts:"
              + " its MQTT client ids are made from it, so that a restarted bridge resumes its"
              + " persistent sessions.");
  public static final Key MQTT_BROKERS =
      new Key(
          "mqtt.brokers",
          null,
          "The edge brokers, comma-separated, each as id=host:port. Required. The id is written"
              + " into records and routes commands.");
  public static final Key MQTT_USERNAME =
      new Key("mqtt.username", "", "User name of the back-end MQTT client; empty for none.");
  public static final Key MQTT_PASSWORD =
      new Key("mqtt.password", "", "Its password; empty for none.");
  public static final Key MQTT_SHARE_GROUP =
      new Key(
          "mqtt.share-group",
          "ingest-bridge",
          "The shared subscription group ($share/GROUP/...) the bridges of a deployment join.");
  public static final Key MQTT_SESSION_EXPIRY =
      new Key(
          "mqtt.session-expiry-seconds",
          "86400",
          "How long the broker keeps a bridge's session, and queues its messages, while it is"
              + " away (1..4294967295 s).");
  public static final Key MAX_IN_FLIGHT =
      new Key(
          "uplink.max-in-flight",
          "1000",
          "Messages received on one broker connection and not yet acknowledged (waiting for"
              + " Kafka), 1..65535: the bound on memory; a full window stops the intake and the"
              + " broker queues.");
  public static final Key MQTT_CONNECTIONS =
      new Key(
          "mqtt.connections-per-broker",
          "1",
          "Shared-subscription members this bridge opens on each broker (1..64). More than one"
              + " spreads one device's messages over connections and so loses per-device order.");
  public static final Key KAFKA_BOOTSTRAP =
      new Key("kafka.bootstrap-servers", null, "Kafka's bootstrap.servers. Required.");
  public static final Key KAFKA_GROUP =
      new Key(
          "kafka.group-id",
          "ingest-bridge",
          "The consumer group that reads iot.commands and iot.shadow.responses.");
  public static final Key KAFKA_LINGER =
      new Key("kafka.linger-ms", "2", "Producer linger.ms: batching against latency (0..1000).");
  public static final Key REGISTRY_URL =
      new Key(
          "schema-registry.url",
          null,
          "The schema registry's Apicurio API, http://host:port/apis/registry/v3. Required.");
  public static final Key MAX_PAYLOAD =
      new Key(
          "uplink.max-payload-bytes",
          "131072",
          "The largest MQTT payload taken; a larger one is dead-lettered (1..1000000 bytes: under Kafka's 1 MiB record limit).");
  public static final Key DOWNLINK_ENABLED =
      new Key(
          "downlink.enabled",
          "true",
          "Whether this bridge also carries commands and shadow responses to devices.");
  public static final Key HTTP_PORT =
      new Key(
          "http.port",
          "8080",
          "Port of /metrics, /health and /ready on all interfaces; 0 picks a free one; -1 turns"
              + " the endpoint off.");
  public static final Key BACKOFF_INITIAL =
      new Key(
          "backoff.initial-ms",
          "100",
          "First retry delay of reconnects and retried sends (exponential, full jitter).");
  public static final Key BACKOFF_MAX =
      new Key("backoff.max-ms", "30000", "Largest retry delay (>= backoff.initial-ms).");
  public static final Key DRAIN_TIMEOUT =
      new Key(
          "shutdown.drain-timeout-ms",
          "10000",
          "How long a graceful shutdown waits for messages in flight to reach Kafka.");

  /** Every key, in the order of the documentation. */
  public static final List<Key> KEYS =
      List.of(
          BRIDGE_ID,
          MQTT_BROKERS,
          MQTT_USERNAME,
          MQTT_PASSWORD,
          MQTT_SHARE_GROUP,
          MQTT_SESSION_EXPIRY,
          MAX_IN_FLIGHT,
          MQTT_CONNECTIONS,
          KAFKA_BOOTSTRAP,
          KAFKA_GROUP,
          KAFKA_LINGER,
          REGISTRY_URL,
          MAX_PAYLOAD,
          DOWNLINK_ENABLED,
          HTTP_PORT,
          BACKOFF_INITIAL,
          BACKOFF_MAX,
          DRAIN_TIMEOUT);

  private final String bridgeId;
  private final List<BrokerEndpoint> brokers;
  private final String mqttUsername;
  private final String mqttPassword;
  private final String shareGroup;
  private final long sessionExpirySeconds;
  private final int maxInFlight;
  private final int connectionsPerBroker;
  private final String kafkaBootstrapServers;
  private final String kafkaGroupId;
  private final int lingerMs;
  private final String registryUrl;
  private final int maxPayloadBytes;
  private final boolean downlinkEnabled;
  private final int httpPort;
  private final Duration backoffInitial;
  private final Duration backoffMax;
  private final Duration drainTimeout;

  private BridgeConfig(Map<String, String> values) {
    Values v = new Values(values);
    bridgeId = v.get(BRIDGE_ID, BridgeConfig::clientIdPart);
    brokers = v.get(MQTT_BROKERS, BridgeConfig::brokers);
    mqttUsername = v.get(MQTT_USERNAME, s -> s);
    mqttPassword = v.get(MQTT_PASSWORD, s -> s);
    shareGroup = v.get(MQTT_SHARE_GROUP, BridgeConfig::clientIdPart);
    sessionExpirySeconds = v.get(MQTT_SESSION_EXPIRY, s -> longIn(s, 1, 4_294_967_295L));
    maxInFlight = v.get(MAX_IN_FLIGHT, s -> (int) longIn(s, 1, 65_535));
    connectionsPerBroker = v.get(MQTT_CONNECTIONS, s -> (int) longIn(s, 1, 64));
    kafkaBootstrapServers = v.get(KAFKA_BOOTSTRAP, BridgeConfig::nonBlank);
    kafkaGroupId = v.get(KAFKA_GROUP, BridgeConfig::nonBlank);
    lingerMs = v.get(KAFKA_LINGER, s -> (int) longIn(s, 0, 1000));
    registryUrl = v.get(REGISTRY_URL, BridgeConfig::httpUrl);
    maxPayloadBytes = v.get(MAX_PAYLOAD, s -> (int) longIn(s, 1, 1_000_000));
    downlinkEnabled = v.get(DOWNLINK_ENABLED, BridgeConfig::bool);
    httpPort = v.get(HTTP_PORT, s -> (int) longIn(s, -1, 65_535));
    backoffInitial = v.get(BACKOFF_INITIAL, s -> Duration.ofMillis(longIn(s, 1, 3_600_000)));
    backoffMax = v.get(BACKOFF_MAX, s -> Duration.ofMillis(longIn(s, 1, 3_600_000)));
    drainTimeout = v.get(DRAIN_TIMEOUT, s -> Duration.ofMillis(longIn(s, 0, 3_600_000)));
    if (backoffMax.compareTo(backoffInitial) < 0) {
      throw new ConfigException(BACKOFF_MAX.name(), "must be >= " + BACKOFF_INITIAL.name());
    }
    if (brokers.stream().map(BrokerEndpoint::id).distinct().count() != brokers.size()) {
      throw new ConfigException(MQTT_BROKERS.name(), "broker ids must be unique: " + brokers);
    }
    if (mqttPassword.isEmpty() != mqttUsername.isEmpty()) {
      throw new ConfigException(MQTT_PASSWORD.name(), "set both mqtt.username and it, or neither");
    }
  }

  /**
   * The settings of a properties file (optional) with the environment's {@code IOT_BRIDGE_*}
   * variables over them.
   */
  public static BridgeConfig load(Optional<Path> file, Map<String, String> environment) {
    Map<String, String> values = new HashMap<>();
    if (file.isPresent()) {
      Properties properties = new Properties();
      try (Reader in = Files.newBufferedReader(file.get())) {
        properties.load(in);
      } catch (IOException e) {
        throw new ConfigException("config file", "cannot read " + file.get() + ": " + e);
      }
      properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k)));
    }
    Map<String, Key> byVariable = new HashMap<>();
    KEYS.forEach(key -> byVariable.put(key.envVariable(), key));
    environment.forEach(
        (variable, value) -> {
          if (variable.startsWith(ENV_PREFIX)) {
            Key key = byVariable.get(variable);
            if (key == null) {
              throw new ConfigException(variable, "unknown setting (see BridgeConfig.KEYS)");
            }
            values.put(key.name(), value);
          }
        });
    return of(values);
  }

  /** The settings of a map of keys to values (defaults for what it lacks). */
  public static BridgeConfig of(Map<String, String> values) {
    for (String name : values.keySet()) {
      if (KEYS.stream().noneMatch(key -> key.name().equals(name))) {
        throw new ConfigException(name, "unknown setting (see BridgeConfig.KEYS)");
      }
    }
    return new BridgeConfig(values);
  }

  /** The settings as a map of keys to values, defaults included, the password masked. */
  public Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(BRIDGE_ID.name(), bridgeId);
    out.put(MQTT_BROKERS.name(), brokers.toString());
    out.put(MQTT_USERNAME.name(), mqttUsername);
    out.put(MQTT_PASSWORD.name(), mqttPassword.isEmpty() ? "" : "*****");
    out.put(MQTT_SHARE_GROUP.name(), shareGroup);
    out.put(MQTT_SESSION_EXPIRY.name(), Long.toString(sessionExpirySeconds));
    out.put(MAX_IN_FLIGHT.name(), Integer.toString(maxInFlight));
    out.put(MQTT_CONNECTIONS.name(), Integer.toString(connectionsPerBroker));
    out.put(KAFKA_BOOTSTRAP.name(), kafkaBootstrapServers);
    out.put(KAFKA_GROUP.name(), kafkaGroupId);
    out.put(KAFKA_LINGER.name(), Integer.toString(lingerMs));
    out.put(REGISTRY_URL.name(), registryUrl);
    out.put(MAX_PAYLOAD.name(), Integer.toString(maxPayloadBytes));
    out.put(DOWNLINK_ENABLED.name(), Boolean.toString(downlinkEnabled));
    out.put(HTTP_PORT.name(), Integer.toString(httpPort));
    out.put(BACKOFF_INITIAL.name(), Long.toString(backoffInitial.toMillis()));
    out.put(BACKOFF_MAX.name(), Long.toString(backoffMax.toMillis()));
    out.put(DRAIN_TIMEOUT.name(), Long.toString(drainTimeout.toMillis()));
    return out;
  }

  public String bridgeId() {
    return bridgeId;
  }

  public List<BrokerEndpoint> brokers() {
    return brokers;
  }

  public String mqttUsername() {
    return mqttUsername;
  }

  public String mqttPassword() {
    return mqttPassword;
  }

  public String shareGroup() {
    return shareGroup;
  }

  public long sessionExpirySeconds() {
    return sessionExpirySeconds;
  }

  public int maxInFlight() {
    return maxInFlight;
  }

  public int connectionsPerBroker() {
    return connectionsPerBroker;
  }

  public String kafkaBootstrapServers() {
    return kafkaBootstrapServers;
  }

  public String kafkaGroupId() {
    return kafkaGroupId;
  }

  public int lingerMs() {
    return lingerMs;
  }

  public String registryUrl() {
    return registryUrl;
  }

  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  public boolean downlinkEnabled() {
    return downlinkEnabled;
  }

  public int httpPort() {
    return httpPort;
  }

  public Duration backoffInitial() {
    return backoffInitial;
  }

  public Duration backoffMax() {
    return backoffMax;
  }

  public Duration drainTimeout() {
    return drainTimeout;
  }

  /** Reads one key: its value or default, parsed; any failure names the key. */
  private record Values(Map<String, String> raw) {
    <T> T get(Key key, Function<String, T> parser) {
      String value = raw.getOrDefault(key.name(), key.defaultValue());
      if (value == null) {
        throw new ConfigException(
            key.name(), "required (or set " + key.envVariable() + "): " + key.doc());
      }
      try {
        return parser.apply(value.trim());
      } catch (RuntimeException e) {
        throw new ConfigException(key.name(), "bad value '" + value + "': " + e.getMessage());
      }
    }
  }

  private static String nonBlank(String value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException("must not be empty");
    }
    return value;
  }

  private static String clientIdPart(String value) {
    if (!value.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException("must match [A-Za-z0-9_.-]{1,64}");
    }
    return value;
  }

  private static long longIn(String value, long min, long max) {
    long parsed = Long.parseLong(value);
    if (parsed < min || parsed > max) {
      throw new IllegalArgumentException("must be in " + min + ".." + max);
    }
    return parsed;
  }

  private static boolean bool(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }

  private static String httpUrl(String value) {
    URI uri = URI.create(value);
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException("must be an http(s) URL");
    }
    return value;
  }

  private static List<BrokerEndpoint> brokers(String value) {
    List<BrokerEndpoint> list = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        list.add(BrokerEndpoint.parse(part));
      }
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException("at least one broker is needed");
    }
    return List.copyOf(list);
  }
}
