package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.HostInfo;
import org.iotbackbone.schemas.CommandEvent;
import org.iotbackbone.schemas.CommandStatus;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.PresenceEvent;
import org.iotbackbone.schemas.PresenceStatus;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.TopicSetup;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.junit.SharedServers;
import org.iotbackbone.streamsapp.internal.auth.TestTokens;
import org.iotbackbone.streamsapp.internal.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two instances of the app against a real broker and registry, with bearer tokens as deployed: a
 * shadow written through one is read through the instance that does not own it (forwarded with the
 * caller's token), commands and presence through the API, a bad record on the real dead-letter
 * topic, and the token checks over HTTP (401, 403, a token limited to some devices).
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ShadowApiIT {

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<StreamsApp> APPS = new ArrayList<>();
  private static final List<Path> DIRS = new ArrayList<>();
  private static final TestTokens TOKENS = new TestTokens();

  private static KafkaBroker kafka;
  private static SchemaRegistry registry;

  @BeforeAll
  static void startTwoInstances() throws Exception {
    kafka = SharedServers.kafka();
    registry = SharedServers.schemaRegistry();
    createTopics();
    registerSchemas();
    String applicationId = "streams-app-it-" + RUN;
    for (int i = 0; i < 2; i++) {
      Path dir = Files.createTempDirectory("streams-app-it");
      DIRS.add(dir);
      Map<String, Object> settings = new HashMap<>();
      settings.put("bootstrap.servers", kafka.bootstrapServers());
      settings.put("schema.registry.url", registry.apicurioApiUrl());
      settings.put("application.id", applicationId);
      settings.put("state.dir", dir.toString());
      settings.put("http.host", "127.0.0.1");
      settings.put("http.port", "0");
      settings.put("commit.interval.ms", "50");
      settings.put("num.standby.replicas", "0");
      settings.put("topics.replication.factor", "1");
      // This machine is slow and shared: give a cloud update's answer time.
      settings.put("http.request.timeout.ms", "60000");
      // The answer to a command nobody issued below is held this long before its dead letter
      // (found by the next 30 s sweep), not the default minute.
      settings.put("command.answer.grace.ms", "1000");
      settings.putAll(TOKENS.settings(dir));
      APPS.add(new StreamsApp(new StreamsAppConfig(settings)));
    }
    // One after the other: the second joins a group that is already running, one rebalance
    // instead of several racing ones (which took over 3 minutes on this loaded machine).
    for (StreamsApp app : APPS) {
      app.start(Duration.ofMinutes(5));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    APPS.forEach(StreamsApp::close);
    for (Path dir : DIRS) {
      org.apache.kafka.common.utils.Utils.delete(dir.toFile());
    }
  }

  @Test
  void aShadowWrittenThroughOneInstanceIsReadThroughTheOneThatDoesNotOwnIt() throws Exception {
    String device = "it-" + RUN + "-lamp";
    HttpResponse<String> update =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    post(
                        APPS.get(0),
                        "/devices/" + device + "/shadow",
                        "{\"state\":{\"desired\":{\"color\":\"red\"}},\"clientToken\":\"it\"}"),
                r -> r.statusCode() != 503);
    assertThat(update.statusCode()).as(update.body()).isEqualTo(200);
    assertThat(json(update).get("version").asLong()).isEqualTo(1);
    assertThat(json(update).get("clientToken").asText()).isEqualTo("it");

    StreamsApp notOwner = notOwnerOf(device);
    HttpResponse<String> read =
        await()
            .atMost(WAIT)
            .until(
                () -> get(notOwner, "/devices/" + device + "/shadow"), r -> r.statusCode() == 200);
    assertThat(json(read).at("/state/desired/color").asText()).isEqualTo("red");
    assertThat(json(read).at("/state/delta/color").asText()).isEqualTo("red");
    assertThat(json(read).get("version").asLong()).isEqualTo(1);

    // A named shadow, and a version conflict answered with 409 through the API.
    assertThat(
            post(
                    notOwner,
                    "/devices/" + device + "/shadows/config",
                    "{\"state\":{\"reported\":{\"v\":1}}}")
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> conflict =
        post(
            notOwner,
            "/devices/" + device + "/shadow",
            "{\"state\":{\"desired\":{\"a\":1}},\"version\":9}");
    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(json(conflict).get("code").asInt()).isEqualTo(409);
    HttpResponse<String> named =
        await()
            .atMost(WAIT)
            .until(
                () -> get(APPS.get(0), "/devices/" + device + "/shadows/config"),
                r -> r.statusCode() == 200);
    assertThat(json(named).at("/state/reported/v").asInt()).isEqualTo(1);
  }

  @Test
  void errorsAreJsonWithACodeAndAMessage() throws Exception {
    StreamsApp app = APPS.get(1);
    HttpResponse<String> missing =
        await()
            .atMost(WAIT)
            .until(
                () -> get(app, "/devices/it-" + RUN + "-nobody/shadow"),
                r -> r.statusCode() != 503);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).get("code").asInt()).isEqualTo(404);
    assertThat(json(missing).get("message").asText()).contains("No shadow exists");

    HttpResponse<String> badJson = post(app, "/devices/d1/shadow", "{\"state\":");
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertThat(json(badJson).get("message").asText()).isEqualTo("The body is not valid JSON");

    HttpResponse<String> oversize =
        post(app, "/devices/d1/shadow", "{\"a\":\"" + "x".repeat(70_000) + "\"}");
    assertThat(oversize.statusCode()).isEqualTo(413);

    HttpResponse<String> badDepth =
        post(
            app,
            "/devices/it-" + RUN + "-deep/shadow",
            "{\"state\":{\"desired\":{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":1}}}}}}}}}");
    assertThat(badDepth.statusCode()).isEqualTo(400);
    assertThat(get(app, "/devices/bad%20id/shadow").statusCode()).isEqualTo(400);
    assertThat(get(app, "/nothing").statusCode()).isEqualTo(404);
    assertThat(json(get(app, "/devices?limit=0")).get("code").asInt()).isEqualTo(400);
  }

  @Test
  void aCommandIsIssuedAndItsStatusFollowsItsEvents() throws Exception {
    String device = "it-" + RUN + "-robot";
    HttpResponse<String> issued =
        post(
            APPS.get(0),
            "/devices/" + device + "/commands",
            "{\"name\":\"reboot\",\"payload\":{\"delay\":1},\"ttlSeconds\":60}");
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(202);
    String commandId = json(issued).get("commandId").asText();
    String byDevice = "/devices/" + device + "/commands/" + commandId;

    HttpResponse<String> pending =
        await()
            .atMost(WAIT)
            .until(() -> get(APPS.get(1), "/commands/" + commandId), r -> r.statusCode() == 200);
    // Not answered yet: PENDING, or DELIVERED when a bridge is running on this Kafka, as in a
    // deployment (in the build, ingest-bridge's tests may run at the same time on the shared
    // broker, and their bridges deliver every command of iot.commands).
    assertThat(json(pending).get("status").asText()).isIn("PENDING", "DELIVERED");
    assertThat(json(pending).get("name").asText()).isEqualTo("reboot");
    HttpResponse<String> pendingByDevice =
        await().atMost(WAIT).until(() -> get(APPS.get(0), byDevice), r -> r.statusCode() == 200);
    assertThat(json(pendingByDevice).get("commandId").asText()).isEqualTo(commandId);

    CommandEvent succeeded =
        CommandEvent.newBuilder()
            .setCommandId(commandId)
            .setDeviceId(device)
            .setStatus(CommandStatus.SUCCEEDED)
            .setDeviceResult("{\"ok\":true}")
            .setOccurredAt(Instant.now())
            .build();
    produce(Topics.COMMAND_EVENTS, device, succeeded);
    // Through either instance, by its id alone (the instance without the device's partition asks
    // the other) and as the device's (routed to the device's owner).
    for (StreamsApp app : APPS) {
      for (String route : List.of("/commands/" + commandId, byDevice)) {
        await()
            .atMost(WAIT)
            .until(() -> json(get(app, route)).path("status").asText(), "SUCCEEDED"::equals);
        JsonNode view = json(get(app, route));
        assertThat(view.get("deviceId").asText()).isEqualTo(device);
        assertThat(view.at("/deviceResult/ok").asBoolean()).isTrue();
      }
    }
    // An unknown command is 404 once every instance's store answers; while the group rebalances
    // it is 503 ("retry shortly", seen in a fresh-clone build), which a caller retries.
    String unknownId = UUID.randomUUID().toString();
    for (StreamsApp app : APPS) {
      for (String route :
          List.of(
              "/commands/" + unknownId,
              "/devices/" + device + "/commands/" + unknownId,
              // A command that exists, asked as another device's.
              "/devices/it-" + RUN + "-other/commands/" + commandId)) {
        HttpResponse<String> missing =
            await().atMost(WAIT).until(() -> get(app, route), r -> r.statusCode() != 503);
        assertThat(missing.statusCode()).as(route + ": " + missing.body()).isEqualTo(404);
        assertThat(json(missing).get("code").asInt()).isEqualTo(404);
      }
    }
  }

  @Test
  void connectedDevicesAreListedFromEveryInstance() throws Exception {
    List<String> devices = List.of("it-" + RUN + "-p1", "it-" + RUN + "-p2", "it-" + RUN + "-p3");
    for (String device : devices) {
      produce(
          Topics.DEVICE_PRESENCE,
          device,
          PresenceEvent.newBuilder()
              .setDeviceId(device)
              .setStatus(PresenceStatus.CONNECTED)
              .setBroker("b1")
              .setOccurredAt(Instant.now())
              .build());
    }
    AtomicReference<JsonNode> listed = new AtomicReference<>();
    // Presence is the first record of its topic: the registry may be slow to serve its schema.
    AtomicReference<String> lastAnswer = new AtomicReference<>();
    try {
      await()
          .atMost(Duration.ofMinutes(4))
          .alias("the three devices listed as connected through instance 0")
          .until(
              () -> {
                HttpResponse<String> answer =
                    get(APPS.get(0), "/devices?connected=true&limit=1000");
                lastAnswer.set(answer.statusCode() + " " + answer.body());
                listed.set(json(answer));
                List<String> ids = new ArrayList<>();
                listed
                    .get()
                    .path("devices")
                    .forEach(node -> ids.add(node.get("deviceId").asText()));
                return ids.containsAll(devices);
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("the last answer: " + lastAnswer.get(), e);
    }
    assertThat(listed.get().path("devices").get(0).get("connected").asBoolean()).isTrue();
  }

  @Test
  void anUnreadableRequestGoesToTheDeadLetterTopicAndTheNextOneIsAnswered() throws Exception {
    String device = "it-" + RUN + "-junk";
    Map<String, Object> props =
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.SHADOW_REQUESTS.name(), device, new byte[] {0, 0, 0, 0, 1, 7}))
          .get();
    }
    Map<String, Object> consumerProps =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "it-dlq-" + RUN,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");
    try (KafkaConsumer<String, DeadLetter> consumer =
        new KafkaConsumer<>(
            consumerProps,
            new StringDeserializer(),
            RegistrySerdes.valueSerde(
                    Topics.DEAD_LETTER, RegistryConfig.of(registry.apicurioApiUrl()))
                .deserializer())) {
      consumer.subscribe(List.of(Topics.DEAD_LETTER.name()));
      AtomicReference<DeadLetter> found = new AtomicReference<>();
      await()
          .atMost(WAIT)
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(
                        record -> {
                          if (device.equals(record.key())) {
                            found.set(record.value());
                          }
                        });
                return found.get() != null;
              });
      assertThat(found.get().getReasonCode()).isEqualTo(DeadLetterReason.DESERIALIZATION_FAILED);
      assertThat(found.get().getOrigin()).isEqualTo("streams-app");
    }
    HttpResponse<String> next =
        post(
            APPS.get(0),
            "/devices/" + device + "/shadow",
            "{\"state\":{\"reported\":{\"ok\":true}}}");
    assertThat(next.statusCode()).isEqualTo(200);
  }

  @Test
  void withoutAValidTokenTheApiAnswers401AndTheProbesStayOpen() throws Exception {
    StreamsApp app = APPS.get(0);
    String path = "/devices/it-" + RUN + "-lamp/shadow";
    Map<String, String> bad = new java.util.LinkedHashMap<>();
    bad.put("no token", null);
    bad.put("malformed", "Bearer not.a.jwt");
    bad.put("not bearer", "Basic dXNlcjpwYXNz");
    bad.put(
        "expired",
        "Bearer "
            + TOKENS.sign(
                TOKENS
                    .claims("shadows:read", null)
                    .expirationTime(java.util.Date.from(Instant.now().minusSeconds(600)))
                    .build()));
    bad.put(
        "unsigned",
        "Bearer "
            + new com.nimbusds.jwt.PlainJWT(TOKENS.claims("shadows:read", null).build())
                .serialize());
    bad.put("wrongly signed", new TestTokens(TestTokens.class.getSimpleName()).bearer("x", null));
    bad.put("same key id, other key", new TestTokens().bearer("shadows:read", null));
    bad.put(
        "wrong issuer",
        "Bearer " + TOKENS.sign(TOKENS.claims("shadows:read", null).issuer("https://x/").build()));
    bad.put(
        "foreign audience",
        "Bearer " + TOKENS.sign(TOKENS.claims("shadows:read", null).audience("billing").build()));
    for (Map.Entry<String, String> kind : bad.entrySet()) {
      HttpResponse<String> answer = get(app, path, kind.getValue());
      assertThat(answer.statusCode()).as(kind.getKey()).isEqualTo(401);
      assertThat(answer.headers().firstValue("WWW-Authenticate").orElseThrow())
          .as(kind.getKey())
          .startsWith("Bearer");
      assertThat(json(answer).get("code").asInt()).isEqualTo(401);
      assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
    assertThat(get(app, path, null).headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"iot\"");
    assertThat(get(app, path, bad.get("expired")).headers().firstValue("WWW-Authenticate").get())
        .contains("error=\"invalid_token\"");
    assertThat(post(app, path, "{}", null).statusCode()).isEqualTo(401);
    assertThat(get(app, "/health", null).statusCode()).isEqualTo(200);
    assertThat(get(app, "/ready", null).statusCode()).isIn(200, 503);
    assertThat(get(app, "/openapi.yaml", null).statusCode()).isEqualTo(200);
    assertThat(get(app, "/metrics", null).statusCode()).isEqualTo(200);
  }

  /**
   * {@code GET /metrics} answers without a token, like the probes, with the JVM's, Kafka Streams'
   * and the app's own series; the routes beside it still need a token. The scrape is kept in {@code
   * target/scrapes/streams.txt} (the names the dashboard and the alert rules may query).
   */
  private static final java.util.regex.Pattern COUNTED_PENDING =
      java.util.regex.Pattern.compile("commands_total\\{status=\"PENDING\"} [1-9]");

  private static final java.util.regex.Pattern COUNTED_REFUSED_ANSWER =
      java.util.regex.Pattern.compile(
          "origin=\"iot.command.events\",reason=\"INVALID_REQUEST\"} [1-9]");

  @Test
  void theMetricsAreOpenAndHoldTheStreamsAndTheAppsSeries() throws Exception {
    String device = "it-" + RUN + "-metered";
    HttpResponse<String> update =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    post(
                        APPS.get(0),
                        "/devices/" + device + "/shadow",
                        "{\"state\":{\"reported\":{\"on\":true}}}"),
                r -> r.statusCode() != 503);
    assertThat(update.statusCode()).as(update.body()).isEqualTo(200);
    assertThat(
            post(
                    APPS.get(0),
                    "/devices/" + device + "/shadow",
                    "{\"state\":{\"reported\":{\"on\":false}},\"version\":9}")
                .statusCode())
        .isEqualTo(409);
    assertThat(get(APPS.get(0), "/devices/" + device + "/shadow", null).statusCode())
        .isEqualTo(401);
    HttpResponse<String> command =
        post(APPS.get(0), "/devices/" + device + "/commands", "{\"name\":\"blink\"}");
    assertThat(command.statusCode()).as(command.body()).isEqualTo(202);
    // An answer to a command nobody issued: dead-lettered by the status fold.
    produce(
        Topics.COMMAND_EVENTS,
        device,
        CommandEvent.newBuilder()
            .setCommandId("never-issued-" + RUN)
            .setDeviceId(device)
            .setStatus(CommandStatus.SUCCEEDED)
            .setOccurredAt(Instant.now())
            .build());

    // Either instance may own the device: the one that applied the requests counted them.
    String all =
        await()
            .atMost(WAIT)
            .until(
                () -> scrape(APPS.get(0)) + scrape(APPS.get(1)),
                text ->
                    text.contains("shadow_updates_total{code=\"409\"")
                        // Known label values start at 0: these are counts, not the zeros (at
                        // least this test's own: the shared broker holds other tests' records).
                        && COUNTED_PENDING.matcher(text).find()
                        && COUNTED_REFUSED_ANSWER.matcher(text).find()
                        && text.contains("kafka_consumer_fetch_manager_records_lag_max{")
                        // A task's metrics, bound when Streams became RUNNING, not a minute later.
                        && text.contains("kafka_stream_processor_node_record_e2e_latency_avg{"));
    assertThat(all)
        .contains(
            "jvm_memory_used_bytes{",
            "jvm_gc_",
            "jvm_threads_live_threads",
            "jvm_classes_loaded_classes",
            "process_cpu_usage",
            "process_uptime_seconds",
            "kafka_stream_thread_commit_latency_avg{",
            "kafka_stream_thread_process_rate{",
            "kafka_producer_",
            "shadow_update_seconds_bucket{",
            "streams_restore_remaining_records 0",
            "streams_restored_records_total",
            "streams_state 1");
    HttpResponse<String> metrics = get(APPS.get(0), "/metrics", null);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    // One instance's scrape as Prometheus sees it: the one that applied the requests.
    Path kept = Path.of("target", "scrapes");
    Files.createDirectories(kept);
    for (int i = 0; i < APPS.size(); i++) {
      String text = scrape(APPS.get(i));
      Files.writeString(kept.resolve("streams-" + i + ".txt"), text);
      if (text.contains("shadow_updates_total{code=\"409\"")) {
        Files.writeString(kept.resolve("streams.txt"), text);
      }
    }
  }

  private static String scrape(StreamsApp app) throws Exception {
    HttpResponse<String> metrics = get(app, "/metrics", null);
    assertThat(metrics.statusCode()).isEqualTo(200);
    return metrics.body();
  }

  @Test
  void aTokenLimitedToSpeakersReadsTheirShadowsOnlyAndListsOnlyThem() throws Exception {
    String speaker = "speaker-" + RUN;
    String robot = "robot-" + RUN;
    for (String device : List.of(speaker, robot)) {
      HttpResponse<String> written =
          await()
              .atMost(WAIT)
              .until(
                  () ->
                      post(
                          APPS.get(0),
                          "/devices/" + device + "/shadow",
                          "{\"state\":{\"reported\":{\"on\":true}}}"),
                  r -> r.statusCode() != 503);
      assertThat(written.statusCode()).as(written.body()).isEqualTo(200);
      produce(
          Topics.DEVICE_PRESENCE,
          device,
          PresenceEvent.newBuilder()
              .setDeviceId(device)
              .setStatus(PresenceStatus.CONNECTED)
              .setBroker("b1")
              .setOccurredAt(Instant.now())
              .build());
    }
    String speakers = TOKENS.bearer("shadows:read devices:read", "speaker-*");

    // Through both instances: one owns the key, the other forwards the read with the token.
    for (StreamsApp app : APPS) {
      HttpResponse<String> read =
          await()
              .atMost(WAIT)
              .until(
                  () -> get(app, "/devices/" + speaker + "/shadow", speakers),
                  r -> r.statusCode() != 503);
      assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
      assertThat(json(read).at("/state/reported/on").asBoolean()).isTrue();
      HttpResponse<String> other = get(app, "/devices/" + robot + "/shadow", speakers);
      assertThat(other.statusCode()).isEqualTo(403);
      assertThat(json(other).get("message").asText()).contains(robot);
    }
    // Its scope is reading: a write or a command is 403, with the scope it lacks named.
    HttpResponse<String> command =
        post(APPS.get(0), "/devices/" + speaker + "/commands", "{\"name\":\"beep\"}", speakers);
    assertThat(command.statusCode()).isEqualTo(403);
    assertThat(command.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("insufficient_scope", "commands:write");
    assertThat(
            post(APPS.get(1), "/devices/" + speaker + "/shadow", "{\"state\":{}}", speakers)
                .statusCode())
        .isEqualTo(403);

    // The list (merged from both instances, each asked with the token) shows the speaker only.
    AtomicReference<List<String>> listed = new AtomicReference<>();
    await()
        .atMost(Duration.ofMinutes(4))
        .until(
            () -> {
              HttpResponse<String> answer = get(APPS.get(1), "/devices?limit=1000", speakers);
              List<String> ids = new ArrayList<>();
              json(answer).path("devices").forEach(node -> ids.add(node.get("deviceId").asText()));
              listed.set(ids);
              return ids.contains(speaker);
            });
    assertThat(listed.get()).allMatch(id -> id.startsWith("speaker-")).doesNotContain(robot);
    // An unlimited token sees both.
    await()
        .atMost(WAIT)
        .until(
            () -> get(APPS.get(1), "/devices?limit=1000").body(),
            body -> body.contains(speaker) && body.contains(robot));
  }

  @Test
  void aCommandStatusIsForbiddenToATokenForOtherDevices() throws Exception {
    String device = "robot-" + RUN + "-cmd";
    HttpResponse<String> issued =
        post(APPS.get(0), "/devices/" + device + "/commands", "{\"name\":\"reboot\"}");
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(202);
    String status = "/commands/" + json(issued).get("commandId").asText();
    await().atMost(WAIT).until(() -> get(APPS.get(1), status), r -> r.statusCode() == 200);

    assertThat(get(APPS.get(1), status, TOKENS.bearer("commands:write", "speaker-*")).statusCode())
        .isEqualTo(403);
    assertThat(get(APPS.get(0), status, TOKENS.bearer("commands:write", "robot-*")).statusCode())
        .isEqualTo(200);
    // The device's route checks the token against the path's device before reading anything.
    String byDevice = "/devices/" + device + status;
    assertThat(
            get(APPS.get(1), byDevice, TOKENS.bearer("commands:write", "speaker-*")).statusCode())
        .isEqualTo(403);
    HttpResponse<String> robots =
        await()
            .atMost(WAIT)
            .until(
                () -> get(APPS.get(1), byDevice, TOKENS.bearer("commands:write", "robot-*")),
                r -> r.statusCode() != 503);
    assertThat(robots.statusCode()).as(robots.body()).isEqualTo(200);
  }

  private static StreamsApp notOwnerOf(String device) {
    HostInfo owner =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    APPS.get(0)
                        .streams()
                        .queryMetadataForKey(
                            ShadowTopology.SHADOW_STORE, device, Serdes.String().serializer())
                        .activeHost(),
                host -> host != null && host.port() > 0);
    return APPS.stream().filter(app -> !app.hostInfo().equals(owner)).findFirst().orElseThrow();
  }

  private static <V extends org.apache.avro.specific.SpecificRecord> void produce(
      TopicDefinition<V> topic, String key, V value) throws Exception {
    Map<String, Object> props =
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<String, V> producer =
        new KafkaProducer<>(
            props,
            new StringSerializer(),
            RegistrySerdes.valueSerde(topic, RegistryConfig.of(registry.apicurioApiUrl()))
                .serializer())) {
      producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
    }
  }

  private static void createTopics() throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      // The build's shared broker may have them already, from another module's tests.
      TopicSetup.createMissing(admin, Topics.all(1), (short) 1);
    }
  }

  /**
   * Registers the schemas of the records the app and the test write, so that the first request of a
   * test does not wait for the registry to create them (tens of seconds on a loaded machine).
   */
  private static void registerSchemas() {
    RegistryConfig config = RegistryConfig.of(registry.apicurioApiUrl());
    Instant now = Instant.now();
    serialize(
        Topics.SHADOW_REQUESTS,
        org.iotbackbone.schemas.ShadowRequest.newBuilder()
            .setRequestId("warm-up")
            .setDeviceId("warm-up")
            .setOperation(org.iotbackbone.schemas.ShadowOperation.GET)
            .setSource(org.iotbackbone.schemas.RequestSource.CLOUD)
            .setRequestedAt(now)
            .build(),
        config);
    serialize(
        Topics.COMMANDS,
        org.iotbackbone.schemas.Command.newBuilder()
            .setCommandId("warm-up")
            .setDeviceId("warm-up")
            .setName("warm-up")
            .setPayload("{}")
            .setCreatedAt(now)
            .setExpiresAt(now)
            .build(),
        config);
    serialize(
        Topics.SHADOW_RESPONSES,
        org.iotbackbone.schemas.ShadowResponse.newBuilder()
            .setDeviceId("warm-up")
            .setOperation(org.iotbackbone.schemas.ShadowOperation.GET)
            .setType(org.iotbackbone.schemas.ShadowResponseType.ACCEPTED)
            .setPayload("{}")
            .setCreatedAt(now)
            .build(),
        config);
    serialize(
        Topics.SHADOW_STATE,
        org.iotbackbone.schemas.DeviceShadow.newBuilder()
            .setDeviceId("warm-up")
            .setRevision(1)
            .setUpdatedAt(now)
            .build(),
        config);
  }

  private static <V extends org.apache.avro.specific.SpecificRecord> void serialize(
      TopicDefinition<V> topic, V value, RegistryConfig config) {
    try (var serde = RegistrySerdes.valueSerde(topic, config)) {
      serde.serializer().serialize(topic.name(), value);
    }
  }

  private static HttpResponse<String> get(StreamsApp app, String path) throws Exception {
    return get(app, path, TOKENS.allScopes());
  }

  private static HttpResponse<String> get(StreamsApp app, String path, String authorization)
      throws Exception {
    return send(HttpRequest.newBuilder(uri(app, path)).GET(), authorization);
  }

  private static HttpResponse<String> post(StreamsApp app, String path, String body)
      throws Exception {
    return post(app, path, body, TOKENS.allScopes());
  }

  private static HttpResponse<String> post(
      StreamsApp app, String path, String body, String authorization) throws Exception {
    return send(
        HttpRequest.newBuilder(uri(app, path)).POST(HttpRequest.BodyPublishers.ofString(body)),
        authorization);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request, String authorization)
      throws Exception {
    request.timeout(Duration.ofSeconds(120));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(StreamsApp app, String path) {
    return URI.create("http://127.0.0.1:" + app.hostInfo().port() + path);
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return Json.parse(response.body());
  }
}
