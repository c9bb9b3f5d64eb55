package org.iotbackbone.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.iotbackbone.schemas.config.ConfigLoader;
import org.iotbackbone.schemas.config.EnvironmentRule;
import org.iotbackbone.schemas.config.Validators;

/**
 * What a simulation does: how many devices connect and how fast, and the load they make for how
 * long. A scenario is a properties file (see {@code src/main/resources/scenarios/}); the built-in
 * ones are named by {@link #BUILT_IN}. Every key is declared once, in {@link #configDef()}, with
 * its default, range and meaning; settings come, in the platform's one config dialect ({@link
 * ConfigLoader}), from the defaults, the scenario file, {@code IOT_SIM_*} environment variables and
 * the command line's {@code --set}, each over the one before. A bad value or an unknown key is a
 * Kafka {@link ConfigException} naming the key.
 *
 * @param name the scenario's name, for reports
 * @param devices how many devices connect
 * @param connectPerSecond how many start connecting per second (the connect ramp)
 * @param connectMaxInFlight how many connects may be on their way at once (TCP, TLS, CONNACK,
 *     SUBACK): past it, a device due on the ramp, retrying or reconnecting waits for a connect to
 *     end, so that the ramp slows to what the brokers and the simulator complete instead of
 *     queueing handshakes until they time out
 * @param connectTimeout how long each step of one connect may take (TCP, TLS handshake, CONNACK,
 *     then SUBACK and presence PUBACK) before it is dropped and retried
 * @param duration how long the load runs once every device has connected
 * @param warmUp how long, from the load's start, the latencies measured are left out of the run's
 *     percentiles (they still show in the per-second series): the first seconds after a ramp pay
 *     for handshakes, cold code and reconnects, and would otherwise decide a short run's p99
 * @param eventsPerSecond telemetry events per second, over all devices
 * @param eventPayloadBytes the size of an event's JSON payload
 * @param keepAliveSeconds each device's MQTT keep-alive (fleets on batteries or cellular use
 *     minutes; the shorter, the more pings the broker answers)
 * @param shadowUpdatesPerSecond reported-state updates per second, over all devices
 * @param commandsPerSecond commands sent through the REST API per second, to random devices
 * @param devicePrefix the start of every device id: {@code PREFIX-RUN-N}
 * @param drain how long to wait after the load for what is still on its way
 * @param transport how the devices reach a secure broker: MQTT over TLS, over secure WebSockets, or
 *     half and half (on {@code tcp://} endpoints, the insecure mode, TLS means plain TCP)
 * @param rollout the fleet job the run creates and its devices take ({@code job.*} keys), if {@link
 *     Rollout#enabled()}
 */
public record Scenario(
    String name,
    int devices,
    int connectPerSecond,
    int connectMaxInFlight,
    Duration connectTimeout,
    Duration duration,
    Duration warmUp,
    int eventsPerSecond,
    int eventPayloadBytes,
    int keepAliveSeconds,
    int shadowUpdatesPerSecond,
    int commandsPerSecond,
    String devicePrefix,
    Duration drain,
    Transport transport,
    Rollout rollout) {

  /** How devices reach a secure broker; every one proves its id with its own certificate. */
  public enum Transport {
    /** MQTT over TLS ({@code ssl://}, the endpoints' {@code MQTT_URL(S)}). */
    TLS,
    /** MQTT over secure WebSockets ({@code wss://}, the endpoints' {@code MQTT_WS_URL(S)}). */
    WSS,
    /** Even-numbered devices over TLS, odd-numbered over secure WebSockets. */
    MIXED;

    /** The value of the scenario key {@value #TRANSPORT_CONFIG}. */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Transport of(String key) {
      return valueOf(key.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** The scenarios that come with the simulator, as {@code --scenario NAME}. */
  public static final List<String> BUILT_IN =
      List.of(
          "steady-telemetry",
          "connect-storm",
          "shadow-churn",
          "command-round-trips",
          "demo",
          "chaos",
          "firmware-rollout");

  /** The prefix of the environment variables that set keys, such as {@code IOT_SIM_DEVICES}. */
  public static final String ENV_PREFIX = "IOT_SIM_";

  public static final String NAME_CONFIG = "name";
  public static final String DEVICES_CONFIG = "devices";
  public static final String CONNECT_PER_SECOND_CONFIG = "connect.per.second";
  public static final String CONNECT_MAX_IN_FLIGHT_CONFIG = "connect.max.in.flight";
  public static final String CONNECT_TIMEOUT_SECONDS_CONFIG = "connect.timeout.seconds";
  public static final String DURATION_SECONDS_CONFIG = "duration.seconds";
  public static final String WARMUP_SECONDS_CONFIG = "warmup.seconds";
  public static final String EVENTS_PER_SECOND_CONFIG = "events.per.second";
  public static final String EVENT_PAYLOAD_BYTES_CONFIG = "event.payload.bytes";
  public static final String KEEP_ALIVE_SECONDS_CONFIG = "keep.alive.seconds";
  public static final String SHADOW_UPDATES_PER_SECOND_CONFIG = "shadow.updates.per.second";
  public static final String COMMANDS_PER_SECOND_CONFIG = "commands.per.second";
  public static final String DEVICE_PREFIX_CONFIG = "device.prefix";
  public static final String DRAIN_SECONDS_CONFIG = "drain.seconds";
  public static final String TRANSPORT_CONFIG = "transport";

  private static final ConfigDef DEFINITION =
      Rollout.define(
          new ConfigDef()
              .define(NAME_CONFIG, Type.STRING, "custom", Importance.LOW, "The scenario's name.")
              .define(
                  DEVICES_CONFIG,
                  Type.INT,
                  1000,
                  Range.between(1, 1_000_000),
                  Importance.HIGH,
                  "How many devices connect.")
              .define(
                  CONNECT_PER_SECOND_CONFIG,
                  Type.INT,
                  500,
                  Range.between(1, 1_000_000),
                  Importance.MEDIUM,
                  "How many devices start connecting per second (the connect ramp).")
              .define(
                  CONNECT_MAX_IN_FLIGHT_CONFIG,
                  Type.INT,
                  1000,
                  Range.between(1, 1_000_000),
                  Importance.MEDIUM,
                  "How many connects (TCP, TLS, CONNACK, SUBACK) may be on their way at once, over"
                      + " all processes. Past it, devices due on the ramp, retrying or reconnecting"
                      + " wait for a connect to end: the ramp slows to the rate the brokers"
                      + " complete, instead of queueing handshakes until they time out and are"
                      + " repeated.")
              .define(
                  CONNECT_TIMEOUT_SECONDS_CONFIG,
                  Type.INT,
                  60,
                  Range.between(1, 3_600),
                  Importance.LOW,
                  "How long each step of one connect may take (the TCP connect, the TLS"
                      + " handshake, the CONNACK, then the SUBACK with online's PUBACK) before the"
                      + " connect is dropped and retried after a backoff.")
              .define(
                  DURATION_SECONDS_CONFIG,
                  Type.INT,
                  60,
                  Range.between(1, 86_400),
                  Importance.HIGH,
                  "How long the load runs once every device has connected.")
              .define(
                  WARMUP_SECONDS_CONFIG,
                  Type.INT,
                  0,
                  Range.between(0, 86_400),
                  Importance.MEDIUM,
                  "How long, from the load's start, latencies are left out of the run's"
                      + " percentiles (the per-second series keeps them): the seconds after the"
                      + " ramp that pay for handshakes and cold code. Less than duration.seconds.")
              .define(
                  EVENTS_PER_SECOND_CONFIG,
                  Type.INT,
                  1000,
                  Range.between(0, 1_000_000),
                  Importance.HIGH,
                  "Telemetry events per second, over all devices.")
              .define(
                  EVENT_PAYLOAD_BYTES_CONFIG,
                  Type.INT,
                  100,
                  Range.between(64, 128 * 1024),
                  Importance.MEDIUM,
                  "The size of an event's JSON payload.")
              .define(
                  KEEP_ALIVE_SECONDS_CONFIG,
                  Type.INT,
                  60,
                  Range.between(1, 65_535),
                  Importance.MEDIUM,
                  "Each device's MQTT keep-alive; the shorter, the more pings the broker answers.")
              .define(
                  SHADOW_UPDATES_PER_SECOND_CONFIG,
                  Type.INT,
                  50,
                  Range.between(0, 1_000_000),
                  Importance.MEDIUM,
                  "Reported-state updates per second, over all devices.")
              .define(
                  COMMANDS_PER_SECOND_CONFIG,
                  Type.INT,
                  5,
                  Range.between(0, 100_000),
                  Importance.MEDIUM,
                  "Commands sent through the REST API per second, to random devices.")
              .define(
                  DEVICE_PREFIX_CONFIG,
                  Type.STRING,
                  "sim",
                  // Device ids are [A-Za-z0-9_-]{1,64}: the prefix leaves room for the run and
                  // number.
                  Validators.matching("[A-Za-z0-9_-]{1,20}"),
                  Importance.LOW,
                  "The start of every device id: PREFIX-RUN-N.")
              .define(
                  DRAIN_SECONDS_CONFIG,
                  Type.INT,
                  15,
                  Range.between(0, 3_600),
                  Importance.LOW,
                  "How long to wait after the load for what is still on its way.")
              .define(
                  TRANSPORT_CONFIG,
                  Type.STRING,
                  "tls",
                  ConfigDef.ValidString.in("tls", "wss", "mixed"),
                  Importance.MEDIUM,
                  "How devices reach a secure broker, each with its own certificate: tls (MQTT over"
                      + " TLS, MQTT_URL), wss (over secure WebSockets, MQTT_WS_URL) or mixed (half"
                      + " each). On tcp:// endpoints (insecure) tls means plain TCP."));

  private static final ConfigLoader LOADER = new ConfigLoader(DEFINITION, ENV_PREFIX);

  /**
   * A scenario of these values.
   *
   * @throws ConfigException naming the key of a value out of its range
   */
  public Scenario {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(warmUp, "warmUp");
    Objects.requireNonNull(devicePrefix, "devicePrefix");
    Objects.requireNonNull(drain, "drain");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(rollout, "rollout");
    // The same ranges as a file's values, from the one declaration of the keys.
    DEFINITION.parse(
        keys(
            name,
            devices,
            connectPerSecond,
            connectMaxInFlight,
            connectTimeout,
            duration,
            warmUp,
            eventsPerSecond,
            eventPayloadBytes,
            keepAliveSeconds,
            shadowUpdatesPerSecond,
            commandsPerSecond,
            devicePrefix,
            drain,
            transport,
            rollout));
    if (!warmUp.isZero() && warmUp.compareTo(duration) >= 0) {
      throw new ConfigException(
          WARMUP_SECONDS_CONFIG,
          warmUp.toSeconds(),
          "must be less than "
              + DURATION_SECONDS_CONFIG
              + " ("
              + duration.toSeconds()
              + "): a run would measure nothing");
    }
    if (rollout.enabled() && rollout.listsTargets() && devices > Rollout.MAX_LISTED_TARGETS) {
      throw new ConfigException(
          Rollout.TARGET_FILTER_CONFIG,
          "",
          "a job lists at most "
              + Rollout.MAX_LISTED_TARGETS
              + " devices, and the run has "
              + devices
              + ": give a filter");
    }
  }

  /** Every key of a scenario: type, default, range and meaning (a copy). */
  public static ConfigDef configDef() {
    return new ConfigDef(DEFINITION);
  }

  /** How the simulator reads environment variables ({@code IOT_SIM_*}). */
  public static EnvironmentRule environmentRule() {
    return LOADER.environmentRule();
  }

  /** A built-in scenario, or the scenario in the file of that path. */
  public static Scenario load(String nameOrPath) throws IOException {
    return of(settings(nameOrPath, Map.of(), Map.of()), nameOrPath);
  }

  /**
   * The settings of a built-in scenario or a scenario file, with the environment's {@code
   * IOT_SIM_*} variables over them and {@code changes} (the command line's) over both; {@code
   * kafka.*} settings among them are for the simulator's Kafka client.
   *
   * @throws ConfigException naming an unknown key or variable
   */
  public static Map<String, Object> settings(
      String nameOrPath, Map<String, String> environment, Map<String, String> changes)
      throws IOException {
    Map<String, String> base;
    if (BUILT_IN.contains(nameOrPath)) {
      try (InputStream in =
          Scenario.class.getResourceAsStream("/scenarios/" + nameOrPath + ".properties")) {
        if (in == null) {
          throw new IllegalStateException("built-in scenario " + nameOrPath + " is missing");
        }
        Properties properties = new Properties();
        properties.load(in);
        base = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
          base.put(key, properties.getProperty(key).strip());
        }
      }
    } else {
      Path file = Path.of(nameOrPath);
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(
            "no scenario '" + nameOrPath + "': not a file, nor one of " + BUILT_IN);
      }
      base = ConfigLoader.readFile(file);
    }
    return LOADER.load(base, "scenario " + nameOrPath, environment, changes);
  }

  /** A scenario of these settings over the defaults; {@code where} names them in errors. */
  public static Scenario of(Map<String, ?> settings, String where) {
    ConfigLoader.requireKnown(DEFINITION, settings, where);
    AbstractConfig values = new AbstractConfig(DEFINITION, settings, false);
    return new Scenario(
        values.getString(NAME_CONFIG),
        values.getInt(DEVICES_CONFIG),
        values.getInt(CONNECT_PER_SECOND_CONFIG),
        values.getInt(CONNECT_MAX_IN_FLIGHT_CONFIG),
        Duration.ofSeconds(values.getInt(CONNECT_TIMEOUT_SECONDS_CONFIG)),
        Duration.ofSeconds(values.getInt(DURATION_SECONDS_CONFIG)),
        Duration.ofSeconds(values.getInt(WARMUP_SECONDS_CONFIG)),
        values.getInt(EVENTS_PER_SECOND_CONFIG),
        values.getInt(EVENT_PAYLOAD_BYTES_CONFIG),
        values.getInt(KEEP_ALIVE_SECONDS_CONFIG),
        values.getInt(SHADOW_UPDATES_PER_SECOND_CONFIG),
        values.getInt(COMMANDS_PER_SECOND_CONFIG),
        values.getString(DEVICE_PREFIX_CONFIG),
        Duration.ofSeconds(values.getInt(DRAIN_SECONDS_CONFIG)),
        Transport.of(values.getString(TRANSPORT_CONFIG)),
        Rollout.of(values));
  }

  /** The keys of a scenario file with their defaults. */
  public static Map<String, String> defaults() {
    Map<String, String> defaults = new LinkedHashMap<>();
    DEFINITION
        .configKeys()
        .forEach((key, def) -> defaults.put(key, String.valueOf(def.defaultValue)));
    return defaults;
  }

  /** This scenario with some keys changed, as the command line's options do. */
  public Scenario with(Map<String, String> changes) {
    Map<String, Object> values = new LinkedHashMap<>(describe());
    values.putAll(changes);
    return of(values, "scenario " + name + " with " + changes);
  }

  /**
   * The share of this scenario that process {@code index} of {@code count} runs: its devices (a
   * contiguous range, see {@link #firstDevice}) and its part of every rate, so that the parts add
   * up to the whole exactly. A share of 0 devices is refused: use fewer processes.
   */
  public Scenario slice(int index, int count) {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("no part " + index + " of " + count);
    }
    if (devices < count) {
      throw new IllegalArgumentException(
          devices + " devices cannot be split over " + count + " processes");
    }
    return new Scenario(
        name,
        share(devices, index, count),
        Math.max(1, share(connectPerSecond, index, count)),
        Math.max(1, share(connectMaxInFlight, index, count)),
        connectTimeout,
        duration,
        warmUp,
        share(eventsPerSecond, index, count),
        eventPayloadBytes,
        keepAliveSeconds,
        share(shadowUpdatesPerSecond, index, count),
        share(commandsPerSecond, index, count),
        devicePrefix,
        drain,
        transport,
        rollout);
  }

  /** The number of the first device of part {@code index} of {@code count} (see {@link #slice}). */
  public int firstDevice(int index, int count) {
    return (int) ((long) devices * index / count);
  }

  private static int share(int total, int index, int count) {
    return (int) ((long) total * (index + 1) / count - (long) total * index / count);
  }

  /** The scenario as the keys of its file. */
  public Map<String, String> describe() {
    return keys(
        name,
        devices,
        connectPerSecond,
        connectMaxInFlight,
        connectTimeout,
        duration,
        warmUp,
        eventsPerSecond,
        eventPayloadBytes,
        keepAliveSeconds,
        shadowUpdatesPerSecond,
        commandsPerSecond,
        devicePrefix,
        drain,
        transport,
        rollout);
  }

  private static Map<String, String> keys(
      String name,
      int devices,
      int connectPerSecond,
      int connectMaxInFlight,
      Duration connectTimeout,
      Duration duration,
      Duration warmUp,
      int eventsPerSecond,
      int eventPayloadBytes,
      int keepAliveSeconds,
      int shadowUpdatesPerSecond,
      int commandsPerSecond,
      String devicePrefix,
      Duration drain,
      Transport transport,
      Rollout rollout) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put(NAME_CONFIG, name);
    values.put(DEVICES_CONFIG, Integer.toString(devices));
    values.put(CONNECT_PER_SECOND_CONFIG, Integer.toString(connectPerSecond));
    values.put(CONNECT_MAX_IN_FLIGHT_CONFIG, Integer.toString(connectMaxInFlight));
    values.put(CONNECT_TIMEOUT_SECONDS_CONFIG, Long.toString(connectTimeout.toSeconds()));
    values.put(DURATION_SECONDS_CONFIG, Long.toString(duration.toSeconds()));
    values.put(WARMUP_SECONDS_CONFIG, Long.toString(warmUp.toSeconds()));
    values.put(EVENTS_PER_SECOND_CONFIG, Integer.toString(eventsPerSecond));
    values.put(EVENT_PAYLOAD_BYTES_CONFIG, Integer.toString(eventPayloadBytes));
    values.put(KEEP_ALIVE_SECONDS_CONFIG, Integer.toString(keepAliveSeconds));
    values.put(SHADOW_UPDATES_PER_SECOND_CONFIG, Integer.toString(shadowUpdatesPerSecond));
    values.put(COMMANDS_PER_SECOND_CONFIG, Integer.toString(commandsPerSecond));
    values.put(DEVICE_PREFIX_CONFIG, devicePrefix);
    values.put(DRAIN_SECONDS_CONFIG, Long.toString(drain.toSeconds()));
    values.put(TRANSPORT_CONFIG, transport.key());
    values.putAll(rollout.describe());
    return values;
  }
}
