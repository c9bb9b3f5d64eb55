package org.iotbackbone.capacity;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * Dated AWS list prices and the instance type of each tier ({@code aws-prices.properties}). Not
 * measured and not fetched: {@link #source()} says where they came from and that they must be
 * rechecked.
 */
public record Prices(
    String region,
    String date,
    String source,
    Map<Tier, InstanceType> instances,
    double ebsGp3UsdPerGibMonth,
    double nlbUsdPerHour,
    double nlbUsdPerLcuHour,
    double eksUsdPerHour,
    double interAzUsdPerGb) {

  static final String RESOURCE = "aws-prices.properties";

  /** The tiers the model sizes, each on instances of one type. */
  public enum Tier {
    EDGE("edge", "edge broker nodes"),
    BRIDGE("bridge", "bridge instances"),
    KAFKA("kafka", "Kafka brokers"),
    KAFKA_CONTROLLER("kafka-controller", "Kafka controllers (KRaft)"),
    STREAMS("streams", "streams-app instances"),
    CONNECT("connect", "Connect workers (ScyllaDB sink)"),
    SCYLLA("scylla", "ScyllaDB nodes");

    private final String key;
    private final String title;

    Tier(String key, String title) {
      this.key = key;
      this.title = title;
    }

    public String title() {
      return title;
    }
  }

  /** The prices of {@code aws-prices.properties}. */
  public static Prices listed() {
    try (InputStream in = Prices.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      return parse(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Prices parse(Reader reader) throws IOException {
    Properties p = new Properties();
    p.load(reader);
    Map<Tier, InstanceType> instances = new EnumMap<>(Tier.class);
    for (Tier tier : Tier.values()) {
      String type = text(p, "tier." + tier.key);
      String[] spec = text(p, type).split(",");
      if (spec.length != 4) {
        throw new IllegalArgumentException(
            type + " must be 'vCPUs, memory GiB, NVMe GB, USD per hour', got " + p.get(type));
      }
      instances.put(
          tier,
          new InstanceType(
              type,
              (int) positive(type + " vCPUs", spec[0]),
              positive(type + " memory", spec[1]),
              number(type + " NVMe", spec[2]),
              positive(type + " price", spec[3])));
    }
    return new Prices(
        text(p, "region"),
        text(p, "date"),
        text(p, "source"),
        Map.copyOf(instances),
        positive(p, "ebs.gp3.usd-per-gib-month"),
        positive(p, "nlb.usd-per-hour"),
        positive(p, "nlb.usd-per-lcu-hour"),
        positive(p, "eks.usd-per-hour"),
        positive(p, "transfer.inter-az.usd-per-gb"));
  }

  public InstanceType instance(Tier tier) {
    return instances.get(tier);
  }

  private static String text(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(RESOURCE + ": " + key + " is missing");
    }
    return value.strip();
  }

  private static double positive(Properties p, String key) {
    return positive(key, text(p, key));
  }

  private static double positive(String what, String text) {
    double value = number(what, text);
    if (!(value > 0)) {
      throw new IllegalArgumentException(RESOURCE + ": " + what + " must be positive: " + text);
    }
    return value;
  }

  private static double number(String what, String text) {
    try {
      return Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(RESOURCE + ": " + what + " is not a number: " + text);
    }
  }
}
