package org.iotbackbone.ingestbridge.internal.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.iotbackbone.ingestbridge.internal.ops.BridgeMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one broker says of itself in Mosquitto's {@code $SYS/broker/#} tree, read on a connection
 * the bridge holds anyway, as {@code mqtt_broker_*{broker}} metrics. A metric appears with the
 * first value of its topic: a broker that publishes no {@code $SYS} (HiveMQ CE) has none, rather
 * than zeros that would read as "no clients".
 */
public final class BrokerStats {

  /**
   * The filter the bridge subscribes to, and all the back-end identity may read of {@code $SYS}.
   */
  public static final String FILTER = "$SYS/broker/#";

  static final String SYS_PREFIX = "$SYS/";

  private static final Logger LOG = LoggerFactory.getLogger(BrokerStats.class);

  /** The statistics kept, by their Mosquitto topic. */
  enum Stat {
    CLIENTS_CONNECTED(
        "$SYS/broker/clients/connected",
        "mqtt.broker.clients.connected",
        "Clients connected to the broker",
        false),
    CLIENTS_MAXIMUM(
        "$SYS/broker/clients/maximum",
        "mqtt.broker.clients.maximum",
        "The most clients connected at once since the broker started",
        false),
    CONNECTIONS_PER_MINUTE(
        "$SYS/broker/load/connections/1min",
        "mqtt.broker.connections.per.minute",
        "CONNECT packets per minute, averaged over one minute",
        false),
    MESSAGES_RECEIVED(
        "$SYS/broker/messages/received",
        "mqtt.broker.messages.received",
        "MQTT packets of any kind the broker received since it started",
        true),
    MESSAGES_SENT(
        "$SYS/broker/messages/sent",
        "mqtt.broker.messages.sent",
        "MQTT packets of any kind the broker sent since it started",
        true);

    final String topic;
    final String metric;
    final String description;
    final boolean counter;

    Stat(String topic, String metric, String description, boolean counter) {
      this.topic = topic;
      this.metric = metric;
      this.description = description;
      this.counter = counter;
    }
  }

  private static final Map<String, Stat> BY_TOPIC = byTopic();

  private final String brokerId;
  private final BridgeMetrics metrics;
  private final LongSupplier nanoTime;
  private final Map<Stat, Double> values = new ConcurrentHashMap<>();
  private volatile long lastUpdateNanos;
  private volatile boolean heard;

  public BrokerStats(String brokerId, BridgeMetrics metrics) {
    this(brokerId, metrics, System::nanoTime);
  }

  BrokerStats(String brokerId, BridgeMetrics metrics, LongSupplier nanoTime) {
    this.brokerId = brokerId;
    this.metrics = metrics;
    this.nanoTime = nanoTime;
  }

  private static Map<String, Stat> byTopic() {
    return Arrays.stream(Stat.values())
        .collect(Collectors.toUnmodifiableMap(stat -> stat.topic, stat -> stat));
  }

  /** Whether a message is of the broker's {@code $SYS} tree rather than a device's. */
  static boolean isSys(String topic) {
    return topic.startsWith(SYS_PREFIX);
  }

  /**
   * Takes one {@code $SYS} message. Any message of the tree counts as a sign of life (the age); a
   * value that is not a number is ignored, for a broker of another version may publish text.
   */
  public void accept(String topic, byte[] payload) {
    lastUpdateNanos = nanoTime.getAsLong();
    if (!heard) {
      heard = true;
      LOG.info("broker {} publishes $SYS statistics", brokerId);
      metrics.brokerGauge(
          "mqtt.broker.sys.age",
          brokerId,
          "Seconds since the broker's last $SYS message: stale statistics when it grows",
          "seconds",
          this::ageSeconds);
    }
    Stat stat = BY_TOPIC.get(topic);
    if (stat == null) {
      return;
    }
    double value;
    try {
      value = Double.parseDouble(new String(payload, StandardCharsets.UTF_8).trim());
    } catch (NumberFormatException e) {
      LOG.debug("broker {}: {} is not a number", brokerId, topic);
      return;
    }
    if (values.put(stat, value) == null) {
      if (stat.counter) {
        metrics.brokerCounter(
            stat.metric, brokerId, stat.description, this, stats -> stats.value(stat));
      } else {
        metrics.brokerGauge(stat.metric, brokerId, stat.description, null, () -> values.get(stat));
      }
    }
  }

  /** Seconds since the last {@code $SYS} message, or NaN before the first. */
  double ageSeconds() {
    return heard ? (nanoTime.getAsLong() - lastUpdateNanos) / 1e9 : Double.NaN;
  }

  /** The last value of a statistic, or null before the first. */
  Double value(Stat stat) {
    return values.get(stat);
  }
}
