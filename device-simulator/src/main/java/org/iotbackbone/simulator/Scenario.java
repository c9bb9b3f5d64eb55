package org.iotbackbone.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.ToLongFunction;

/**
 * What a simulation does: how many devices connect and how fast, and the load they make for how
 * long. A scenario is a properties file (see {@code src/main/resources/scenarios/}); the built-in
 * ones are named by {@link #BUILT_IN}. Every key is optional and has the default shown by {@link
 * #describe()}; a bad value is an {@link IllegalArgumentException} naming the key.
 *
 * @param name the scenario's name, for reports
 * @param devices how many devices connect
 * @param connectPerSecond how many start connecting per second (the connect ramp)
 * @param duration how long the load runs once every device has connected
 * @param eventsPerSecond telemetry events per second, over all devices
 * @param eventPayloadBytes the size of an event's JSON payload
 * @param keepAliveSeconds each device's MQTT keep-alive (fleets on batteries or cellular use
 *     minutes; the shorter, the more pings the broker answers)
 * @param shadowUpdatesPerSecond reported-state updates per second, over all devices
 * @param commandsPerSecond commands sent through the REST API per second, to random devices
 * @param devicePrefix the start of every device id: {@code PREFIX-RUN-N}
 * @param drain how long to wait after the load for what is still on its way
 */
public record Scenario(
    String name,
    int devices,
    int connectPerSecond,
    Duration duration,
    int eventsPerSecond,
    int eventPayloadBytes,
    int keepAliveSeconds,
    int shadowUpdatesPerSecond,
    int commandsPerSecond,
    String devicePrefix,
    Duration drain) {

  /** The scenarios that come with the simulator, as {@code --scenario NAME}. */
  public static final List<String> BUILT_IN =
      List.of("steady-telemetry", "connect-storm", "shadow-churn", "command-round-trips", "demo");

  public Scenario {
    positive("devices", devices, 1, 1_000_000);
    positive("connect.per-second", connectPerSecond, 1, 1_000_000);
    positive("duration.seconds", duration.toSeconds(), 1, 86_400);
    positive("events.per-second", eventsPerSecond, 0, 1_000_000);
    positive("event.payload-bytes", eventPayloadBytes, 64, 128 * 1024);
    positive("keep-alive.seconds", keepAliveSeconds, 1, 65_535);
    positive("shadow-updates.per-second", shadowUpdatesPerSecond, 0, 1_000_000);
    positive("commands.per-second", commandsPerSecond, 0, 100_000);
    positive("drain.seconds", drain.toSeconds(), 0, 3_600);
    if (!devicePrefix.matches("[A-Za-z0-9_-]{1,20}")) {
      throw new IllegalArgumentException(
          "device.prefix must be 1 to 20 of [A-Za-z0-9_-] (device ids are [A-Za-z0-9_-]{1,64}),"
              + " not '"
              + devicePrefix
              + "'");
    }
  }

  /** A built-in scenario, or the scenario in the file of that path. */
  public static Scenario load(String nameOrPath) throws IOException {
    if (BUILT_IN.contains(nameOrPath)) {
      try (InputStream in =
          Scenario.class.getResourceAsStream("/scenarios/" + nameOrPath + ".properties")) {
        if (in == null) {
          throw new IllegalStateException("built-in scenario " + nameOrPath + " is missing");
        }
        Properties properties = new Properties();
        properties.load(in);
        return of(toMap(properties), "scenario " + nameOrPath);
      }
    }
    Path file = Path.of(nameOrPath);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "no scenario '" + nameOrPath + "': not a file, nor one of " + BUILT_IN);
    }
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    }
    return of(toMap(properties), file.toString());
  }

  /** A scenario of these settings over the defaults; {@code where} names them in errors. */
  public static Scenario of(Map<String, String> settings, String where) {
    Map<String, String> values = new LinkedHashMap<>(defaults());
    for (Map.Entry<String, String> entry : settings.entrySet()) {
      if (!values.containsKey(entry.getKey())) {
        throw new IllegalArgumentException(
            "unknown key '" + entry.getKey() + "' in " + where + "; known: " + values.keySet());
      }
      values.put(entry.getKey(), entry.getValue().strip());
    }
    ToLongFunction<String> number =
        key -> {
          try {
            return Long.parseLong(values.get(key));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                key + " in " + where + " must be a whole number, not '" + values.get(key) + "'");
          }
        };
    try {
      return new Scenario(
          values.get("name"),
          (int) number.applyAsLong("devices"),
          (int) number.applyAsLong("connect.per-second"),
          Duration.ofSeconds(number.applyAsLong("duration.seconds")),
          (int) number.applyAsLong("events.per-second"),
          (int) number.applyAsLong("event.payload-bytes"),
          (int) number.applyAsLong("keep-alive.seconds"),
          (int) number.applyAsLong("shadow-updates.per-second"),
          (int) number.applyAsLong("commands.per-second"),
          values.get("device.prefix"),
          Duration.ofSeconds(number.applyAsLong("drain.seconds")));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (" + where + ")", e);
    }
  }

  /** The keys of a scenario file with their defaults. */
  public static Map<String, String> defaults() {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("name", "custom");
    defaults.put("devices", "1000");
    defaults.put("connect.per-second", "500");
    defaults.put("duration.seconds", "60");
    defaults.put("events.per-second", "1000");
    defaults.put("event.payload-bytes", "100");
    defaults.put("keep-alive.seconds", "60");
    defaults.put("shadow-updates.per-second", "50");
    defaults.put("commands.per-second", "5");
    defaults.put("device.prefix", "sim");
    defaults.put("drain.seconds", "15");
    return defaults;
  }

  /** This scenario with some keys changed, as the command line's options do. */
  public Scenario with(Map<String, String> changes) {
    Map<String, String> values = describe();
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
        duration,
        share(eventsPerSecond, index, count),
        eventPayloadBytes,
        keepAliveSeconds,
        share(shadowUpdatesPerSecond, index, count),
        share(commandsPerSecond, index, count),
        devicePrefix,
        drain);
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
    Map<String, String> values = new LinkedHashMap<>();
    values.put("name", name);
    values.put("devices", Integer.toString(devices));
    values.put("connect.per-second", Integer.toString(connectPerSecond));
    values.put("duration.seconds", Long.toString(duration.toSeconds()));
    values.put("events.per-second", Integer.toString(eventsPerSecond));
    values.put("event.payload-bytes", Integer.toString(eventPayloadBytes));
    values.put("keep-alive.seconds", Integer.toString(keepAliveSeconds));
    values.put("shadow-updates.per-second", Integer.toString(shadowUpdatesPerSecond));
    values.put("commands.per-second", Integer.toString(commandsPerSecond));
    values.put("device.prefix", devicePrefix);
    values.put("drain.seconds", Long.toString(drain.toSeconds()));
    return values;
  }

  private static Map<String, String> toMap(Properties properties) {
    Map<String, String> map = new LinkedHashMap<>();
    properties.stringPropertyNames().forEach(key -> map.put(key, properties.getProperty(key)));
    return map;
  }

  private static void positive(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          key + " must be from " + min + " to " + max + ", not " + value);
    }
  }
}
