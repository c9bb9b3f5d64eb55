package org.iotbackbone.ingestbridge;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.iotbackbone.ingestbridge.internal.Backoff;
import org.iotbackbone.ingestbridge.internal.downlink.DownlinkLoop;
import org.iotbackbone.ingestbridge.internal.downlink.PresenceView;
import org.iotbackbone.ingestbridge.internal.kafka.KafkaSender;
import org.iotbackbone.ingestbridge.internal.mqtt.BrokerConnection;
import org.iotbackbone.ingestbridge.internal.mqtt.BrokerStats;
import org.iotbackbone.ingestbridge.internal.ops.BridgeMetrics;
import org.iotbackbone.ingestbridge.internal.ops.HttpEndpoints;
import org.iotbackbone.ingestbridge.internal.ops.KafkaProbe;
import org.iotbackbone.ingestbridge.internal.topic.DeviceTopics;
import org.iotbackbone.ingestbridge.internal.uplink.JobsThrottle;
import org.iotbackbone.ingestbridge.internal.uplink.UplinkHandler;
import org.iotbackbone.ingestbridge.internal.uplink.UplinkMapper;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest bridge: device traffic from the edge brokers into Kafka, commands, shadow responses
 * and jobs messages from Kafka back to devices, as {@code docs/design.md} describes.
 *
 * <pre>{@code
 * try (IngestBridge bridge = new IngestBridge(BridgeConfig.load(Optional.empty(), System.getenv()))) {
 *   bridge.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>{@link #start()} returns once the bridge has begun connecting; it connects and reconnects by
 * itself, and {@link #isReady()} tells when every broker connection is up and moving, Kafka answers
 * and the downlink runs. {@link #close()} drains: it stops taking messages, waits (up to {@code
 * shutdown.drain.timeout.ms}) for those in flight to reach Kafka and be acknowledged, then
 * disconnects, keeping the brokers' sessions for the next start. It is idempotent.
 */
public final class IngestBridge implements AutoCloseable {

  /**
   * The MQTT topic filters the bridge subscribes to (the uplink tree of docs/design.md): what a
   * device publishes anywhere else reaches nobody through the bridge.
   */
  public static final List<String> UPLINK_TOPIC_FILTERS = DeviceTopics.UPLINK_FILTERS;

  private static final Logger LOG = LoggerFactory.getLogger(IngestBridge.class);

  private final BridgeConfig config;
  private final BridgeMetrics metrics = new BridgeMetrics();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final UplinkHandler.InFlight inFlight;
  private final KafkaSender sender;
  private final KafkaProbe probe;
  private final List<BrokerConnection> connections = new ArrayList<>();
  private final List<UplinkHandler> handlers = new ArrayList<>();
  private final List<BrokerConnection> downlinkConnections = new ArrayList<>();
  private final PresenceView presence;
  private final DownlinkLoop downlink;
  private final HttpEndpoints http;

  /** A bridge with these settings, not started. */
  public IngestBridge(BridgeConfig config) {
    this.config = config;
    Backoff backoff = new Backoff(config.backoffInitial(), config.backoffMax());
    RegistryConfig registry = config.registry();
    int connectionCount = config.brokers().size() * config.connectionsPerBroker();
    this.inFlight = new UplinkHandler.InFlight(connectionCount * config.maxInFlight());
    metrics.inFlight(inFlight::count);
    metrics.ready(this::isReady);
    this.sender = new KafkaSender(config.kafkaClients(), registry, backoff, metrics, closed::get);
    this.probe = new KafkaProbe(config.kafkaClients());
    UplinkMapper mapper =
        new UplinkMapper(
            config.maxPayloadBytes(), config.maxUserProperties(), config.maxRecordBytes());
    // One for the whole bridge: a device's requests count the same on every connection.
    JobsThrottle jobsThrottle =
        new JobsThrottle(config.jobsRequestsPerSecond(), config.jobsRequestsBurst());
    for (BrokerEndpoint broker : config.brokers()) {
      metrics.expectReconnects("mqtt:" + broker.id());
      for (int n = 0; n < config.connectionsPerBroker(); n++) {
        UplinkHandler handler =
            new UplinkHandler(
                broker.id(), mapper, jobsThrottle, sender, inFlight, metrics, backoff);
        handlers.add(handler);
        BrokerConnection connection =
            new BrokerConnection(
                new BrokerConnection.Settings(
                    config.bridgeId() + "-" + broker.id() + "-" + n,
                    broker,
                    config.mqttUsername(),
                    config.mqttPassword(),
                    config.mqttTls(),
                    config.shareGroup(),
                    config.sessionExpirySeconds(),
                    backoff),
                handler,
                metrics,
                // One connection per broker reads its statistics: the one downlink uses.
                n == 0 ? Optional.of(new BrokerStats(broker.id(), metrics)) : Optional.empty());
        handler.connection(connection);
        connections.add(connection);
        if (n == 0) {
          downlinkConnections.add(connection);
        }
      }
    }
    if (config.downlinkEnabled()) {
      this.presence =
          new PresenceView(
              config.kafkaClients(),
              registry,
              config.presenceMaxDevices(),
              config.presenceRetention());
      this.downlink =
          new DownlinkLoop(
              config.kafkaClients(),
              config.downlinkGroupId(),
              config.bridgeId() + "-downlink",
              registry,
              this::route,
              sender,
              metrics,
              backoff);
    } else {
      this.presence = null;
      this.downlink = null;
    }
    this.http =
        config.httpPort() < 0
            ? null
            : new HttpEndpoints(
                config.httpPort(), metrics::scrape, () -> !closed.get(), this::notReadyReason);
  }

  /** Starts connecting to the brokers and Kafka, and serving HTTP. Returns at once. */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    LOG.info("starting ingest bridge {}", config.describe());
    probe.start();
    if (presence != null) {
      presence.start();
      downlink.start();
    }
    connections.forEach(BrokerConnection::start);
    if (http != null) {
      http.start();
    }
  }

  /** Whether every broker connection is up and Kafka answered its last probe. */
  public boolean isReady() {
    return notReadyReason() == null;
  }

  /** The HTTP port of {@code /metrics}, {@code /health} and {@code /ready}, or -1 when off. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  /** The broker a device was last seen on (from {@code iot.device.presence}), if known. */
  public Optional<String> brokerOf(String deviceId) {
    return presence == null ? Optional.empty() : presence.brokerOf(deviceId);
  }

  /** Messages received from brokers and not yet acknowledged to them. */
  public int inFlight() {
    return inFlight.count();
  }

  /** The metrics in Prometheus text form, as {@code /metrics} serves them. */
  public String scrapeMetrics() {
    return metrics.scrape();
  }

  /** The value of a counter, such as {@code bridge.deadletters} with tag {@code reason}. */
  public double counter(String name, String tagKey, String tagValue) {
    return metrics.count(name, tagKey, tagValue);
  }

  /** Drains and stops; see the class comment. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.info("stopping: draining {} messages in flight", inFlight.count());
    inFlight.startDraining();
    // No producer flush here: it would wait for ever while Kafka is away. Waiting for the window
    // to empty is bounded by the drain timeout.
    long deadline = System.nanoTime() + config.drainTimeout().toNanos();
    while (inFlight.count() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    if (inFlight.count() > 0) {
      LOG.warn("{} messages still in flight; the brokers will send them again", inFlight.count());
    }
    if (downlink != null) {
      downlink.close();
      presence.close();
    }
    connections.forEach(connection -> connection.close(2_000));
    sender.close(java.time.Duration.ofSeconds(5));
    probe.close();
    if (http != null) {
      http.close();
    }
    metrics.close();
    LOG.info("stopped");
  }

  private String notReadyReason() {
    List<String> missing = new ArrayList<>();
    for (BrokerConnection connection : connections) {
      if (!connection.isConnected()) {
        missing.add("broker " + connection.broker().id() + " not connected");
      } else if (!connection.isSubscribed()) {
        missing.add(
            "broker "
                + connection.broker().id()
                + " "
                + connection.refusal().orElse("has not accepted the subscriptions"));
      }
    }
    long stallMillis = config.stallTimeout().toMillis();
    for (int i = 0; i < handlers.size(); i++) {
      long waited = handlers.get(i).oldestWaitMillis();
      if (waited > stallMillis) {
        // The window does not move: this connection takes nothing new, whatever the cause.
        missing.add(
            "broker "
                + handlers.get(i).brokerId()
                + " connection "
                + i % config.connectionsPerBroker()
                + " stuck: a message unacknowledged for "
                + waited / 1000
                + " s");
      }
    }
    if (!probe.reachable()) {
      missing.add("kafka not reachable");
    }
    if (downlink != null) {
      String downlinkProblem = downlink.notRunningReason(config.stallTimeout());
      if (downlinkProblem != null) {
        missing.add(downlinkProblem);
      }
    }
    if (closed.get()) {
      missing.add("stopping");
    }
    return missing.isEmpty() ? null : String.join("; ", missing);
  }

  /** Where a device's downlink messages go: its broker if known, else every broker. */
  private List<BrokerConnection> route(String deviceId) {
    Optional<String> broker = brokerOf(deviceId);
    if (broker.isPresent()) {
      for (BrokerConnection connection : downlinkConnections) {
        if (connection.broker().id().equals(broker.get())) {
          return List.of(connection);
        }
      }
    }
    return downlinkConnections;
  }
}
