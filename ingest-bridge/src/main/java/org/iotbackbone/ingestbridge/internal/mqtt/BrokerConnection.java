package org.iotbackbone.ingestbridge.internal.mqtt;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.iotbackbone.ingestbridge.BrokerEndpoint;
import org.iotbackbone.ingestbridge.MqttTlsSettings;
import org.iotbackbone.ingestbridge.internal.Backoff;
import org.iotbackbone.ingestbridge.internal.ops.BridgeMetrics;
import org.iotbackbone.ingestbridge.internal.topic.DeviceTopics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT 5 connection of the bridge to one broker: a member of the shared subscription on the
 * uplink topics, and the way out for downlink publishes.
 *
 * <p>The session is persistent (clean start off, a session expiry), and the client id is stable
 * ({@code bridgeId-brokerId-n}), so that what devices publish while the bridge is away waits at the
 * broker and a restarted bridge gets it, with the messages it had received and not acknowledged.
 * Acknowledgement is manual: the handler acknowledges a message once Kafka has it, and blocks this
 * connection's thread while the bridge's in-flight window is full, which is the back-pressure.
 */
public final class BrokerConnection {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerConnection.class);

  /** What a connection needs to know; see {@code BridgeConfig} for the meanings. */
  public record Settings(
      String clientId,
      BrokerEndpoint broker,
      String username,
      String password,
      Optional<MqttTlsSettings> tls,
      String shareGroup,
      long sessionExpirySeconds,
      Backoff backoff) {}

  /**
   * The receive maximum the bridge announces: the protocol's largest. Mosquitto 2.0.11 resends a
   * resumed session's whole queue at once (marked DUP) whatever the client announced, and the
   * client then drops the connection for a protocol error, again after every reconnect. The
   * bridge's own window ({@code uplink.max.in.flight}) bounds what it takes instead; the broker's
   * outgoing window ({@code max_inflight_messages}) bounds what it sends in normal flow.
   */
  static final int RECEIVE_MAXIMUM = 65_535;

  /**
   * Where the bridge publishes once, after the broker accepted its subscriptions, to learn whether
   * the broker lets it publish downlink at all: a topic of the design's downlink table whose device
   * id no device can have (ids have no dot), so no device receives it. Mosquitto 2.0 grants every
   * subscription and checks read access per message, so a bridge with the wrong identity (a
   * device's certificate on the back-end listener) would count as subscribed and get nothing; its
   * publish is refused (NOT_AUTHORIZED), and that is what tells. HiveMQ refuses it at CONNECT.
   */
  static final String PROBE_TOPIC = "devices/ingest-bridge.probe/commands";

  private final Settings settings;
  private final Optional<BrokerStats> stats;
  private final Mqtt5AsyncClient client;
  private final ExecutorService handlerThread;
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean connected;
  // Set by the broker's SUBACK, not by its CONNACK: until then a device's message published to a
  // session that never subscribed goes nowhere, and a readiness gate must not open before it.
  private volatile boolean subscribed;
  // Why the broker refused what the bridge needs, for /ready; null while nothing was refused.
  private volatile String refusal;

  /**
   * A connection whose received messages go to {@code handler}, one at a time, in the order the
   * broker sent them, on a thread of its own; with {@code stats}, it also subscribes to the
   * broker's {@link BrokerStats#FILTER} and hands those messages to {@code stats} instead.
   */
  public BrokerConnection(
      Settings settings,
      Consumer<Mqtt5Publish> handler,
      BridgeMetrics metrics,
      Optional<BrokerStats> stats) {
    this.settings = settings;
    this.stats = stats;
    // Discards what is handed to it once shut down: after close() the client still ends its
    // session flow on this executor, and a rejection there surfaces as an RxJava
    // UndeliverableException on a Netty thread. A message dropped here was never acknowledged, so
    // the broker keeps it in the session for the next start.
    this.handlerThread =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "mqtt-" + settings.clientId());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.DiscardPolicy());
    Mqtt5ClientBuilder builder =
        Mqtt5Client.builder()
            .identifier(settings.clientId())
            .serverHost(settings.broker().host())
            .serverPort(settings.broker().port())
            .addConnectedListener(
                context -> {
                  subscribed = false;
                  connected = true;
                  LOG.info(
                      "connected to broker {} as {}", settings.broker().id(), settings.clientId());
                  subscribe();
                })
            .addDisconnectedListener(
                context -> {
                  connected = false;
                  subscribed = false;
                  reconnect(context, metrics);
                });
    if (settings.tls().isPresent()) {
      MqttClientSslConfigBuilder ssl = MqttClientSslConfig.builder();
      settings.tls().get().trust().ifPresent(ssl::trustManagerFactory);
      settings.tls().get().identity().ifPresent(ssl::keyManagerFactory);
      builder = builder.sslConfig(ssl.build());
    }
    if (!settings.username().isEmpty()) {
      builder =
          builder
              .simpleAuth()
              .username(settings.username())
              .password(settings.password().getBytes(StandardCharsets.UTF_8))
              .applySimpleAuth();
    }
    this.client = builder.buildAsync();
    // Registered before connecting: a resumed session's messages arrive right after CONNACK,
    // before this client has subscribed again; ALL takes them too.
    client.publishes(
        MqttGlobalPublishFilter.ALL, publish -> dispatch(publish, handler), handlerThread, true);
  }

  /**
   * A device's message to the handler; the broker's own {@code $SYS} messages to the statistics.
   * Those are QoS 0, yet acknowledged at once: acknowledgements go out in order, and one left
   * pending would hold back the device messages after it. They wait behind device messages on this
   * thread, so while the bridge's window is full their age grows.
   */
  private void dispatch(Mqtt5Publish publish, Consumer<Mqtt5Publish> handler) {
    String topic = publish.getTopic().toString();
    if (!BrokerStats.isSys(topic)) {
      handler.accept(publish);
      return;
    }
    try {
      stats.ifPresent(s -> s.accept(topic, publish.getPayloadAsBytes()));
    } finally {
      publish.acknowledge();
    }
  }

  /** Starts connecting; reconnects by itself until {@link #close()}. Does not wait. */
  public void start() {
    client
        .connectWith()
        .cleanStart(false)
        .sessionExpiryInterval(settings.sessionExpirySeconds())
        .restrictions()
        .receiveMaximum(RECEIVE_MAXIMUM)
        .applyRestrictions()
        .send();
  }

  /** The broker this connection is to. */
  public BrokerEndpoint broker() {
    return settings.broker();
  }

  /** Whether the connection is up. */
  public boolean isConnected() {
    return connected;
  }

  /**
   * Whether the connection is up, the broker accepted its subscriptions and lets it publish
   * downlink ({@link #PROBE_TOPIC}).
   */
  public boolean isSubscribed() {
    return connected && subscribed;
  }

  /**
   * What the broker refused the bridge on this connection (its subscriptions, its downlink
   * publishes), as a phrase for {@code /ready}; empty when nothing was refused.
   */
  public Optional<String> refusal() {
    return Optional.ofNullable(refusal);
  }

  /**
   * Publishes at QoS 1. The future completes when the broker acknowledged it, and fails when it
   * refused it or the connection was lost first.
   */
  public CompletableFuture<Mqtt5PublishResult> publish(Mqtt5Publish publish) {
    return client
        .publish(publish)
        .thenApply(
            result -> {
              if (result.getError().isPresent()) {
                throw new PublishRefusedException(publish.getTopic().toString(), result);
              }
              return result;
            });
  }

  /**
   * Stops taking messages from the handler thread, then disconnects: the session (and what it
   * queued) stays at the broker for the next start. Waits at most {@code timeoutMillis}.
   */
  public void close(long timeoutMillis) {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    try {
      client.disconnect().get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.debug("disconnect from {}: {}", settings.broker().id(), e.toString());
    }
    handlerThread.shutdownNow();
  }

  private void subscribe() {
    List<Mqtt5Subscription> subscriptions =
        DeviceTopics.UPLINK_FILTERS.stream()
            .map(
                filter ->
                    Mqtt5Subscription.builder()
                        .topicFilter("$share/" + settings.shareGroup() + "/" + filter)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .build())
            .toList();
    client
        .subscribe(Mqtt5Subscribe.builder().addSubscriptions(subscriptions).build())
        .whenComplete(
            (subAck, error) -> {
              if (error != null) {
                LOG.warn(
                    "subscribe on broker {} failed: {}", settings.broker().id(), error.toString());
              } else if (subAck.getReasonCodes().stream().anyMatch(code -> code.isError())) {
                refusal = "refused the subscriptions: " + subAck.getReasonCodes();
                LOG.error(
                    "broker {} refused subscriptions: {}",
                    settings.broker().id(),
                    subAck.getReasonCodes());
              } else {
                probePublish();
              }
            });
    stats.ifPresent(s -> subscribeStats());
  }

  /**
   * Asks for the broker's statistics. Whatever the answer, the bridge goes on: a broker without
   * {@code $SYS} (HiveMQ CE) or that refuses it to this identity only has no {@code mqtt_broker_*}
   * metrics.
   */
  private void subscribeStats() {
    client
        .subscribeWith()
        .topicFilter(BrokerStats.FILTER)
        .qos(MqttQos.AT_MOST_ONCE)
        .send()
        .whenComplete(
            (subAck, error) -> {
              if (error != null) {
                LOG.debug(
                    "$SYS subscribe on broker {}: {}", settings.broker().id(), error.toString());
              } else if (subAck.getReasonCodes().stream().anyMatch(code -> code.isError())) {
                LOG.info(
                    "broker {} gives no $SYS statistics ({}): no mqtt_broker_* metrics for it",
                    settings.broker().id(),
                    subAck.getReasonCodes());
              }
            });
  }

  private void probePublish() {
    client
        .publishWith()
        .topic(PROBE_TOPIC)
        .qos(MqttQos.AT_LEAST_ONCE)
        .send()
        .whenComplete(
            (result, error) -> {
              Throwable cause = error instanceof CompletionException ? error.getCause() : error;
              Optional<Throwable> refused =
                  cause instanceof Mqtt5PubAckException
                      ? Optional.of(cause)
                      : result == null ? Optional.empty() : result.getError();
              if (refused.isPresent()) {
                refusal =
                    "refused the bridge's downlink publishes ("
                        + (refused.get() instanceof Mqtt5PubAckException pubAck
                            ? pubAck.getMqttMessage().getReasonCode()
                            : refused.get().getMessage())
                        + "): is its certificate the back end's?";
                LOG.error("broker {} {}", settings.broker().id(), refusal);
              } else if (error != null) {
                // Lost with the connection: the next connect subscribes and probes again.
                LOG.warn(
                    "probe publish on broker {} failed: {}",
                    settings.broker().id(),
                    error.toString());
              } else {
                refusal = null;
                subscribed = true;
              }
            });
  }

  private void reconnect(MqttClientDisconnectedContext context, BridgeMetrics metrics) {
    if (closing.get() || context.getSource() == MqttDisconnectSource.USER) {
      return;
    }
    int attempt = context.getReconnector().getAttempts();
    long delay = settings.backoff().delay(attempt).toMillis();
    metrics.reconnect("mqtt:" + settings.broker().id());
    LOG.warn(
        "broker {} disconnected ({}); reconnect attempt {} in {} ms",
        settings.broker().id(),
        context.getCause().toString(),
        attempt + 1,
        delay);
    context.getReconnector().reconnect(true).delay(delay, TimeUnit.MILLISECONDS);
  }

  /**
   * Whether the broker accepted a QoS 1 publish but had no subscriber for it (MQTT 5 PUBACK reason
   * code 0x10, "No matching subscribers"): not an error, yet nobody got the message.
   */
  public static boolean noMatchingSubscribers(Mqtt5PublishResult result) {
    return result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1
        && qos1.getPubAck().getReasonCode() == Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS;
  }

  /** The broker answered a publish with an error reason code. */
  public static final class PublishRefusedException extends RuntimeException {
    PublishRefusedException(String topic, Mqtt5PublishResult result) {
      super("publish to " + topic + " refused: " + result.getError().orElseThrow());
    }
  }
}
