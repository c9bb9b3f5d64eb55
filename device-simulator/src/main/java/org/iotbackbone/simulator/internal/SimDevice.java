package org.iotbackbone.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.MqttWebSocketConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.iotbackbone.simulator.Count;
import org.iotbackbone.simulator.Leg;
import org.iotbackbone.simulator.Rollout;

/**
 * One simulated device on the HiveMQ client, speaking docs/design.md's device topics: presence
 * {@code online} on connect and {@code offline} as its will, events, reported-state updates whose
 * {@code accepted} answers it times, and commands, each answered with a {@code SUCCEEDED} ack.
 *
 * <p>It keeps a persistent session, as a real fleet's devices do (AWS IoT's persistent sessions,
 * Azure IoT Hub's devices): the broker keeps its subscriptions while it is away and queues what is
 * sent to it, so a command sent while it reconnects is DELIVERED and reaches it when it is back,
 * instead of being dropped at the broker and recorded UNDELIVERED (docs/design.md, Guarantees). It
 * counts as connected, and gets load and commands, only once its subscriptions are acknowledged:
 * between the CONNACK and the SUBACK of its first connect no session is subscribed to its commands.
 *
 * <p>A connect is one attempt from the TCP connect to the SUBACK, bounded by the scenario's connect
 * timeout, and it fails when the connection drops on the way: the HiveMQ client keeps a persistent
 * session's unanswered SUBSCRIBE and PUBLISH for the next connection, so without that their futures
 * waited for a reconnect that nobody started (210 of a quarter million devices never came up).
 *
 * <p>Times travel in the payloads as epoch microseconds ({@code sentAtUs}), so that whoever reads
 * the message on the same host (the pipeline watch, this device) can tell its latency.
 */
final class SimDevice {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How long the broker keeps a device's session while it is away: AWS IoT's default for persistent
   * sessions. A run's devices end theirs when it stops ({@link #disconnect()}).
   */
  static final long SESSION_EXPIRY_SECONDS = 3_600;

  private final String id;
  private final DeviceLinks.Link link;
  private final InetSocketAddress localAddress;
  private final DeviceTls tls;
  // Built at the first connect: a secure device reads its key then, not when the fleet is made.
  private volatile Mqtt5AsyncClient client;
  private final Metrics metrics;
  private final AtomicLong eventSeq = new AtomicLong();
  private final AtomicLong updateSeq = new AtomicLong();
  private final Map<String, Long> pendingUpdates = new ConcurrentHashMap<>();
  private final String padding;
  private final int keepAliveSeconds;
  private final Duration connectTimeout;
  // The connect on its way, failed by a drop before the device is up; null before the first.
  private volatile CompletableFuture<Void> connecting;
  // Connected and subscribed: counted in the metrics' connected devices, and given load.
  private final AtomicBoolean up = new AtomicBoolean();
  // Whether a CONNACK has come in this run: later connects resume the session (clean start false).
  private volatile boolean sessionStarted;
  // Whether the session's subscriptions were acknowledged; false when the broker had no session.
  private volatile boolean subscribed;
  private final Consumer<SimDevice> lost;

  /** Its side of fleet jobs, or null when the scenario has no job. */
  private final DeviceJobs jobs;

  /** What it reports before a job over a filter, or null when the job lists its targets. */
  private final ObjectNode reportedBeforeTheJob;

  /**
   * @param tls the fleet's TLS, or null when {@code link} is plain TCP
   * @param padding the filler of its events ({@link #padding}), shared by the fleet
   * @param runMark what the device reports as {@link Rollout#RUN_FIELD} before a job over a filter
   * @param scheduler runs the steps of a job's work later
   * @param lost told when the device's connection drops unasked, after it was up: to reconnect it
   */
  SimDevice(
      String id,
      DeviceLinks.Link link,
      InetSocketAddress localAddress,
      DeviceTls tls,
      String padding,
      int keepAliveSeconds,
      Duration connectTimeout,
      Metrics metrics,
      Rollout rollout,
      String runMark,
      ScheduledExecutorService scheduler,
      Consumer<SimDevice> lost) {
    if (link.tls() && tls == null) {
      throw new IllegalArgumentException(
          "device " + id + " connects over TLS without a certificate");
    }
    this.id = id;
    this.link = link;
    this.localAddress = localAddress;
    this.tls = tls;
    this.keepAliveSeconds = keepAliveSeconds;
    this.connectTimeout = connectTimeout;
    this.metrics = metrics;
    this.padding = padding;
    this.lost = lost;
    this.jobs =
        rollout.enabled()
            ? new DeviceJobs(
                id,
                rollout,
                (topic, body) -> publish(topic, body, null),
                (task, millis) -> scheduler.schedule(task, millis, TimeUnit.MILLISECONDS),
                () -> ThreadLocalRandom.current().nextDouble(),
                metrics)
            : null;
    this.reportedBeforeTheJob =
        rollout.enabled() && !rollout.listsTargets()
            ? DeviceJobs.reportedBeforeTheJob(runMark)
            : null;
  }

  /**
   * The filler of an event of {@code eventPayloadBytes}: its JSON without it is about 50 bytes. One
   * for the fleet, which every device's events share.
   */
  static String padding(int eventPayloadBytes) {
    return "x".repeat(Math.max(0, eventPayloadBytes - 50));
  }

  private synchronized Mqtt5AsyncClient client() {
    if (client != null) {
      return client;
    }
    // One transport config with everything in it: after the client builder's transportConfig()
    // (for the source address), its sslConfig() was lost, and such a device spoke plain MQTT to a
    // TLS listener.
    // The client's own timeouts (TCP 10 s, TLS handshake 10 s, CONNACK 60 s) follow the scenario's:
    // a handshake that a busy broker answers in 15 s is waited for, not started again.
    MqttClientTransportConfigBuilder transport =
        MqttClientTransportConfig.builder()
            .serverHost(link.host())
            .serverPort(link.port())
            .socketConnectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .mqttConnectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
    if (localAddress != null) {
      transport.localAddress(localAddress);
    }
    if (link.tls()) {
      transport.sslConfig(tls.sslConfig(id, connectTimeout));
    }
    if (link.webSocketPath() != null) {
      transport.webSocketConfig(
          MqttWebSocketConfig.builder().serverPath(link.webSocketPath()).build());
    }
    var builder =
        Mqtt5Client.builder()
            .identifier(id)
            .transportConfig(transport.build())
            .addDisconnectedListener(context -> onDisconnected());
    Mqtt5AsyncClient built =
        builder
            .willPublish()
            .topic("devices/" + id + "/presence")
            .payload("offline".getBytes(StandardCharsets.UTF_8))
            .qos(MqttQos.AT_LEAST_ONCE)
            .applyWillPublish()
            .buildAsync();
    // ALL, not SUBSCRIBED: what a resumed session queued comes right after the CONNACK, for
    // subscriptions of an earlier connection; onMessage tells the topics apart itself.
    built.publishes(MqttGlobalPublishFilter.ALL, this::onMessage);
    client = built;
    return built;
  }

  String id() {
    return id;
  }

  /** Whether it is connected and subscribed to what comes down (and so takes load). */
  boolean isConnected() {
    return up.get();
  }

  /**
   * Connects with a persistent session (a clean one at its first connect, the one the broker kept
   * at the next), subscribes to what comes down unless the broker kept its subscriptions, says it
   * is online, and then counts as connected. The client's own timeouts bound the way to the
   * CONNACK; the connect timeout bounds the rest, and a drop on the way fails it.
   */
  CompletableFuture<Void> connect() {
    long started = System.nanoTime();
    Mqtt5AsyncClient client;
    try {
      client = client();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Void> attempt = new CompletableFuture<>();
    connecting = attempt;
    client
        .connectWith()
        // A run's device ids are new, but a fixed --run-id repeats them: start clean, not in an
        // earlier run's session and its queue. Mosquitto also writes to its persistence file only
        // sessions whose CONNECT had clean start false: a held fleet adds nothing to its autosave.
        .cleanStart(!sessionStarted)
        .sessionExpiryInterval(SESSION_EXPIRY_SECONDS)
        .keepAlive(keepAliveSeconds)
        .send()
        .thenCompose(
            ack ->
                subscribeAndSayOnline(client, ack, started)
                    // Here the client is connected, so that a timed-out attempt can be ended
                    // with a DISCONNECT before it is retried (see Fleet).
                    .orTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS))
        .whenComplete(
            (result, error) -> {
              if (error != null) {
                attempt.completeExceptionally(error);
              } else if (attempt.complete(null)) {
                // Not dropped meanwhile (a dropped attempt was failed and is retried).
                up(client);
                if (reportedBeforeTheJob != null) {
                  // The job's filter selects it by this state: before the job is created.
                  sendShadowUpdate(reportedBeforeTheJob.deepCopy());
                }
              }
            });
    return attempt;
  }

  /** After the CONNACK: the subscriptions unless the session kept them, then presence online. */
  private CompletableFuture<Void> subscribeAndSayOnline(
      Mqtt5AsyncClient client, Mqtt5ConnAck ack, long started) {
    metrics.record(Leg.CONNECT, (System.nanoTime() - started) / 1_000);
    metrics.count(Count.CONNECTS);
    sessionStarted = true;
    CompletableFuture<Void> subscribing;
    if (ack.isSessionPresent() && subscribed) {
      subscribing = CompletableFuture.completedFuture(null);
    } else {
      subscribed = false;
      List<String> filters = new ArrayList<>();
      filters.add("devices/" + id + "/commands");
      filters.add("devices/" + id + "/shadow/update/+");
      if (jobs != null) {
        filters.addAll(jobs.topicFilters());
      }
      List<Mqtt5Subscription> subscriptions = new ArrayList<>();
      for (String filter : filters) {
        subscriptions.add(
            Mqtt5Subscription.builder().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).build());
      }
      subscribing =
          client
              .subscribeWith()
              .addSubscriptions(subscriptions)
              .send()
              .thenAccept(subAck -> subscribed = true);
    }
    return subscribing.thenCompose(
        subscribedNow ->
            client
                .publishWith()
                .topic("devices/" + id + "/presence")
                .payload("online".getBytes(StandardCharsets.UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .thenApply(result -> null));
  }

  /** Publishes one telemetry event at QoS 1. */
  void sendEvent() {
    ObjectNode body = JSON.createObjectNode();
    body.put("seq", eventSeq.incrementAndGet());
    body.put("sentAtUs", Clock.micros());
    body.put("pad", padding);
    publish("devices/" + id + "/events/telemetry", body, Count.EVENTS_SENT);
  }

  /** Publishes a reported-state update whose answer it waits for. */
  void sendShadowUpdate() {
    long seq = updateSeq.get() + 1;
    ObjectNode body = JSON.createObjectNode();
    ObjectNode reported = body.putObject("state").putObject("reported");
    reported.put("temperature", 20 + (seq % 10));
    reported.put("sentAtUs", Clock.micros());
    sendShadowUpdate(body);
  }

  /** Publishes {@code body} as a shadow update whose answer it waits for. */
  private void sendShadowUpdate(ObjectNode body) {
    long seq = updateSeq.incrementAndGet();
    long now = Clock.micros();
    String token = "u" + seq;
    body.put("clientToken", token);
    pendingUpdates.put(token, now);
    publish("devices/" + id + "/shadow/update", body, Count.UPDATES_SENT);
  }

  /**
   * Disconnects gracefully (no will message) and ends its session at the broker: the run is over.
   * It stays counted in the connected devices, as the report's last second shows them.
   */
  CompletableFuture<Void> disconnect() {
    up.set(false);
    Mqtt5AsyncClient built = client;
    return built == null
        ? CompletableFuture.completedFuture(null)
        : built.disconnectWith().sessionExpiryInterval(0).send().handle((ok, error) -> null);
  }

  /**
   * Drops a connect that failed half way (a CONNACK, then no SUBACK), to try again: the session is
   * kept, and the next connect subscribes again unless the broker has the subscriptions.
   */
  CompletableFuture<Void> abandon() {
    Mqtt5AsyncClient built = client;
    return built == null
        ? CompletableFuture.completedFuture(null)
        : built.disconnect().handle((ok, error) -> null);
  }

  private void publish(String topic, ObjectNode body, Count sent) {
    byte[] payload;
    try {
      payload = JSON.writeValueAsBytes(body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    client
        .publishWith()
        .topic(topic)
        .payload(payload)
        .qos(MqttQos.AT_LEAST_ONCE)
        .send()
        .whenComplete(
            (result, error) -> {
              if (error != null || result.getError().isPresent()) {
                metrics.count(Count.PUBLISH_FAILURES);
              } else if (sent != null) {
                metrics.count(sent);
              }
            });
  }

  private void onMessage(Mqtt5Publish message) {
    String topic = message.getTopic().toString();
    long now = Clock.micros();
    JsonNode body;
    try {
      body = JSON.readTree(message.getPayloadAsBytes());
    } catch (Exception e) {
      return;
    }
    if (jobs != null && jobs.handles(topic)) {
      jobs.onMessage(topic, body);
    } else if (topic.endsWith("/commands")) {
      metrics.count(Count.COMMANDS_RECEIVED);
      long sentAt = body.path("payload").path("sentAtUs").asLong(0);
      if (sentAt > 0) {
        metrics.record(Leg.COMMAND_ROUND_TRIP, now - sentAt);
      }
      String commandId = body.path("commandId").asText("");
      if (!commandId.isEmpty()) {
        ObjectNode ack = JSON.createObjectNode();
        ack.put("status", "SUCCEEDED");
        ack.putObject("result").put("handledAtUs", now);
        publish("devices/" + id + "/commands/" + commandId + "/ack", ack, Count.ACKS_SENT);
      }
    } else if (topic.endsWith("/update/accepted") || topic.endsWith("/update/rejected")) {
      Long sentAt = pendingUpdates.remove(body.path("clientToken").asText(""));
      if (sentAt != null) {
        metrics.record(Leg.SHADOW_ROUND_TRIP, now - sentAt);
        metrics.count(
            topic.endsWith("/accepted") ? Count.UPDATES_ACCEPTED : Count.UPDATES_REJECTED);
      }
    } else if (topic.endsWith("/update/delta")) {
      metrics.count(Count.DELTAS_RECEIVED);
    }
  }

  /** Counts it connected, once subscribed; unless it was dropped meanwhile. */
  private void up(Mqtt5AsyncClient client) {
    if (up.compareAndSet(false, true)) {
      metrics.connected(1);
      if (!client.getState().isConnected()) {
        // Dropped before it was counted: the disconnected listener saw it down and did nothing.
        onDisconnected();
      }
    }
  }

  private void onDisconnected() {
    if (up.compareAndSet(true, false)) {
      metrics.connected(-1);
      metrics.count(Count.DISCONNECTS);
      lost.accept(this);
      return;
    }
    CompletableFuture<Void> attempt = connecting;
    if (attempt != null) {
      // Dropped between its CONNACK and being up: the attempt fails, and the fleet retries it.
      attempt.completeExceptionally(new ConnectionDroppedException(id));
    }
  }

  /** The connection of a device ended before its connect had come through. */
  static final class ConnectionDroppedException extends RuntimeException {
    ConnectionDroppedException(String id) {
      super("the connection of device " + id + " dropped before it was subscribed");
    }
  }
}
