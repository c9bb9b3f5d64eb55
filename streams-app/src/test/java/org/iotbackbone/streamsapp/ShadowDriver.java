package org.iotbackbone.streamsapp;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.iotbackbone.schemas.Command;
import org.iotbackbone.schemas.CommandEvent;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.PresenceEvent;
import org.iotbackbone.schemas.RequestSource;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowRequest;
import org.iotbackbone.schemas.ShadowResponse;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.streamsapp.internal.json.Json;
import org.iotbackbone.streamsapp.internal.ops.StreamsAppMetrics;
import org.iotbackbone.streamsapp.internal.streams.DeadLetterHandler;

/** The production topology in a TopologyTestDriver, with request helpers. */
final class ShadowDriver implements AutoCloseable {

  /** The driver's wall clock at start: metadata timestamps are its epoch seconds. */
  static final Instant START = Instant.parse("2026-11-22T00:00:00Z");

  /**
   * A "reboot" command to {@code device}, issued at {@link #START}, that expires at {@code
   * expiresAt}.
   */
  static Command command(String id, String device, Instant expiresAt) {
    return Command.newBuilder()
        .setCommandId(id)
        .setDeviceId(device)
        .setName("reboot")
        .setPayload("{}")
        .setCreatedAt(START)
        .setExpiresAt(expiresAt)
        .build();
  }

  final TopologyTestDriver driver;
  final TestInputTopic<String, ShadowRequest> requests;
  final TestInputTopic<byte[], byte[]> rawRequests;
  final TestInputTopic<String, PresenceEvent> presence;
  final TestInputTopic<String, Command> commands;
  final TestInputTopic<String, CommandEvent> commandEvents;
  final TestOutputTopic<String, DeviceShadow> states;
  final TestOutputTopic<String, ShadowResponse> responses;
  final TestOutputTopic<String, DeadLetter> deadLetters;

  /** What the topology and its dead-letter handler counted. */
  final StreamsAppMetrics metrics = new StreamsAppMetrics();

  private final Path stateDir;
  private Instant requestTime = START;

  ShadowDriver() {
    this(ShadowLimits.defaults());
  }

  ShadowDriver(ShadowLimits limits) {
    this(limits, CommandLimits.defaults());
  }

  ShadowDriver(ShadowLimits limits, CommandLimits commandLimits) {
    ShadowSerdes serdes = PlainAvroSerde.shadowSerdes();
    try {
      stateDir = Files.createTempDirectory("shadow-driver");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    driver =
        new TopologyTestDriver(
            ShadowTopology.build(serdes, limits, commandLimits, metrics),
            driverProperties("shadow-test", stateDir, metrics),
            START);
    requests =
        driver.createInputTopic(
            Topics.SHADOW_REQUESTS.name(), new StringSerializer(), serdes.requests().serializer());
    rawRequests =
        driver.createInputTopic(
            Topics.SHADOW_REQUESTS.name(), new ByteArraySerializer(), new ByteArraySerializer());
    presence =
        driver.createInputTopic(
            Topics.DEVICE_PRESENCE.name(), new StringSerializer(), serdes.presence().serializer());
    commands =
        driver.createInputTopic(
            Topics.COMMANDS.name(), new StringSerializer(), serdes.commands().serializer());
    commandEvents =
        driver.createInputTopic(
            Topics.COMMAND_EVENTS.name(),
            new StringSerializer(),
            serdes.commandEvents().serializer());
    states =
        driver.createOutputTopic(
            Topics.SHADOW_STATE.name(),
            Serdes.String().deserializer(),
            serdes.shadows().deserializer());
    responses =
        driver.createOutputTopic(
            Topics.SHADOW_RESPONSES.name(),
            Serdes.String().deserializer(),
            serdes.responses().deserializer());
    deadLetters =
        driver.createOutputTopic(
            Topics.DEAD_LETTER.name(),
            Serdes.String().deserializer(),
            new PlainAvroSerde<>(DeadLetter.class).deserializer());
  }

  /** Builds a request; each one is received a second after the one before unless told. */
  ShadowRequest request(
      String device, String shadowName, ShadowOperation op, String document, Instant at) {
    return ShadowRequest.newBuilder()
        .setRequestId(UUID.randomUUID().toString())
        .setDeviceId(device)
        .setShadowName(shadowName)
        .setOperation(op)
        .setSource(RequestSource.DEVICE)
        .setDocument(document)
        .setMqttTopic(null)
        .setBroker("broker-1")
        .setRequestedAt(at)
        .build();
  }

  ShadowRequest send(String device, String shadowName, ShadowOperation op, String document) {
    requestTime = requestTime.plusSeconds(1);
    return send(request(device, shadowName, op, document, requestTime));
  }

  /**
   * The same request again, as a redelivered MQTT message reaches the bridge: a new request id and
   * receive time, the same device, shadow and body.
   */
  ShadowRequest redeliver(ShadowRequest first) {
    requestTime = requestTime.plusSeconds(1);
    return send(
        ShadowRequest.newBuilder(first)
            .setRequestId(UUID.randomUUID().toString())
            .setRequestedAt(requestTime)
            .build());
  }

  /** Moves the request clock (the bridge's receive time) forward. */
  void advanceRequestClock(java.time.Duration by) {
    requestTime = requestTime.plus(by);
  }

  ShadowRequest send(ShadowRequest request) {
    requests.pipeInput(request.getDeviceId(), request);
    return request;
  }

  ShadowRequest update(String device, String document) {
    return send(device, null, ShadowOperation.UPDATE, document);
  }

  ShadowRequest update(String device, String name, String document) {
    return send(device, name, ShadowOperation.UPDATE, document);
  }

  ShadowRequest get(String device, String name, String document) {
    return send(device, name, ShadowOperation.GET, document);
  }

  ShadowRequest delete(String device, String name, String document) {
    return send(device, name, ShadowOperation.DELETE, document);
  }

  /** Moves the wall clock (processing time, which metadata timestamps come from). */
  void advanceSeconds(long seconds) {
    driver.advanceWallClockTime(java.time.Duration.ofSeconds(seconds));
  }

  List<ShadowResponse> responses() {
    return responses.readValuesToList();
  }

  /** The only response waiting, which must exist. */
  ShadowResponse onlyResponse() {
    List<ShadowResponse> all = responses();
    if (all.size() != 1) {
      throw new AssertionError("expected one response, got " + all);
    }
    return all.get(0);
  }

  KeyValueStore<String, DeviceShadow> store() {
    return driver.getKeyValueStore(ShadowTopology.SHADOW_STORE);
  }

  KeyValueStore<String, String> commandStore() {
    return driver.getKeyValueStore(ShadowTopology.COMMAND_STORE);
  }

  static JsonNode json(String text) {
    try {
      return Json.parse(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /**
   * The streams properties of a test driver of the app's topologies: exactly-once and the app's own
   * error handling, dead letters in plain Avro.
   */
  static Properties driverProperties(
      String applicationId, Path stateDir, StreamsAppMetrics metrics) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.putAll(StreamsApp.errorHandlingConfig(metrics));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(
        DeadLetterHandler.SERIALIZER_CONFIG, PlainAvroSerde.DeadLetterSerializer.class.getName());
    return props;
  }

  /** JSON with single quotes, for readable tests. */
  static String q(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  @Override
  public void close() {
    driver.close();
    metrics.close();
    try {
      org.apache.kafka.common.utils.Utils.delete(stateDir.toFile());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
