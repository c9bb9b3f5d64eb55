package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.RequestSource;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowRequest;
import org.iotbackbone.schemas.ShadowResponse;
import org.iotbackbone.schemas.ShadowResponseType;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.TopicSetup;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.RegistryFront;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.junit.SharedServers;
import org.iotbackbone.streamsapp.internal.auth.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A schema registry brownout (issue 16, hole 5): the app reaches the real registry through a real
 * HTTP front that answers 503 for a while, as a registry behind a load balancer does while it
 * restarts. Shadow requests sent meanwhile are neither dead-lettered nor lost: each is applied once
 * the registry answers again; a poison record is still dead-lettered with its reason; the failed
 * stream thread is replaced with a growing wait, not in a loop.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RegistryBrownoutIT {

  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final Duration BROWNOUT = Duration.ofSeconds(20);
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static KafkaBroker kafka;
  private static SchemaRegistry registry;
  private static RegistryFront front;
  private static StreamsApp app;
  private static Path stateDir;

  @BeforeAll
  static void start() throws Exception {
    kafka = SharedServers.kafka();
    registry = SharedServers.schemaRegistry();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      TopicSetup.createMissing(admin, Topics.all(1), (short) 1);
    }
    front = RegistryFront.plain(registry.url());
    stateDir = Files.createTempDirectory("streams-app-brownout");
    Map<String, Object> settings = new HashMap<>();
    settings.put("bootstrap.servers", kafka.bootstrapServers());
    settings.put("schema.registry.url", front.urlFor(registry.apicurioApiUrl()));
    settings.put("application.id", "streams-app-brownout-" + RUN);
    settings.put("state.dir", stateDir.toString());
    settings.put("http.host", "127.0.0.1");
    settings.put("http.port", "0");
    settings.put("commit.interval.ms", "50");
    settings.put("num.standby.replicas", "0");
    settings.put("topics.replication.factor", "1");
    settings.put("stream.thread.backoff.initial.ms", "250");
    settings.put("stream.thread.backoff.max.ms", "4000");
    settings.put("stream.thread.max.failures", "1000");
    settings.putAll(new TestTokens().settings(stateDir));
    app = new StreamsApp(new StreamsAppConfig(settings));
    app.start(Duration.ofMinutes(5));
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    if (front != null) {
      front.close();
    }
    if (stateDir != null) {
      org.apache.kafka.common.utils.Utils.delete(stateDir.toFile());
    }
  }

  @Test
  void noShadowRequestIsDeadLetteredOrLostAcrossA503Brownout() throws Exception {
    List<String> devices = List.of("bo-" + RUN + "-a", "bo-" + RUN + "-b", "bo-" + RUN + "-c");
    String poisoned = "bo-" + RUN + "-poison";
    int perDevice = 5;

    front.failing(true);
    Set<String> requestIds = new HashSet<>();
    RegistryConfig direct = RegistryConfig.of(registry.apicurioApiUrl());
    try (KafkaProducer<String, ShadowRequest> producer =
            new KafkaProducer<>(
                producerProps(),
                new StringSerializer(),
                RegistrySerdes.valueSerde(Topics.SHADOW_REQUESTS, direct).serializer());
        KafkaProducer<String, byte[]> raw =
            new KafkaProducer<>(
                producerProps(), new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 1; i <= perDevice; i++) {
        for (String device : devices) {
          ShadowRequest request = update(device, "{\"state\":{\"reported\":{\"n\":" + i + "}}}");
          requestIds.add(request.getRequestId());
          producer.send(new ProducerRecord<>(Topics.SHADOW_REQUESTS.name(), device, request));
        }
      }
      raw.send(
          new ProducerRecord<>(
              Topics.SHADOW_REQUESTS.name(),
              poisoned,
              "not avro at all".getBytes(StandardCharsets.UTF_8)));
      producer.flush();
      raw.flush();
    }

    // The app meets the brownout: its threads fail on the registry's 503 and are replaced.
    // The stream threads' own exceptions are the app's to handle, not the test's to fail on.
    await()
        .atMost(WAIT)
        .dontCatchUncaughtExceptions()
        .until(() -> front.refused() > 0 && app.replacedThreads() > 0);
    Thread.sleep(BROWNOUT.toMillis()); // the brownout lasts: time passing is the point here
    long replacedDuringBrownout = app.replacedThreads();
    front.failing(false);

    // Waits of 0.25, 0.5, 1, 2, 4, 4 ... s: a handful of replacements in 20 s, not hundreds.
    assertThat(replacedDuringBrownout).isBetween(1L, 12L);

    Map<String, ShadowResponse> accepted = new ConcurrentHashMap<>();
    List<DeadLetter> letters = new ArrayList<>();
    try (KafkaConsumer<String, ShadowResponse> responses =
            consumer(RegistrySerdes.valueSerde(Topics.SHADOW_RESPONSES, direct).deserializer());
        KafkaConsumer<String, DeadLetter> deadLetters =
            consumer(RegistrySerdes.valueSerde(Topics.DEAD_LETTER, direct).deserializer())) {
      responses.subscribe(List.of(Topics.SHADOW_RESPONSES.name()));
      deadLetters.subscribe(List.of(Topics.DEAD_LETTER.name()));
      await()
          .atMost(WAIT)
          .dontCatchUncaughtExceptions()
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                responses
                    .poll(Duration.ofMillis(200))
                    .forEach(
                        r -> {
                          ShadowResponse response = r.value();
                          if (response != null
                              && response.getType() == ShadowResponseType.ACCEPTED
                              && requestIds.contains(response.getRequestId())) {
                            accepted.put(response.getRequestId(), response);
                          }
                        });
                deadLetters
                    .poll(Duration.ofMillis(200))
                    .forEach(
                        r -> {
                          if (r.key() != null && r.key().startsWith("bo-" + RUN)) {
                            letters.add(r.value());
                          }
                        });
                return accepted.size() == requestIds.size() && !letters.isEmpty();
              });
      // Drain a little more: a late letter for a good request would show here.
      deadLetters
          .poll(Duration.ofSeconds(2))
          .forEach(
              r -> {
                if (r.key() != null && r.key().startsWith("bo-" + RUN)) {
                  letters.add(r.value());
                }
              });
    }
    // Every request applied once, in order: the last version of each device is perDevice.
    for (String device : devices) {
      assertThat(
              accepted.values().stream()
                  .filter(r -> r.getDeviceId().equals(device))
                  .mapToLong(ShadowResponse::getVersion)
                  .max())
          .hasValue(perDevice);
    }
    assertThat(letters)
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.getReasonCode()).isEqualTo(DeadLetterReason.DESERIALIZATION_FAILED);
              assertThat(letter.getMessage()).isNotBlank();
            });
  }

  @Test
  void anAppThatKeepsFailingStopsAndSaysItIsNotAlive() throws Exception {
    Path dir = Files.createTempDirectory("streams-app-brownout-limit");
    try (RegistryFront down = RegistryFront.plain(registry.url())) {
      // A request the app can only read through the registry, which answers 503 from the start.
      String device = "bo-" + RUN + "-limit";
      try (KafkaProducer<String, ShadowRequest> producer =
          new KafkaProducer<>(
              producerProps(),
              new StringSerializer(),
              RegistrySerdes.valueSerde(
                      Topics.SHADOW_REQUESTS, RegistryConfig.of(registry.apicurioApiUrl()))
                  .serializer())) {
        producer
            .send(
                new ProducerRecord<>(
                    Topics.SHADOW_REQUESTS.name(),
                    device,
                    update(device, "{\"state\":{\"reported\":{\"n\":1}}}")))
            .get();
      }
      down.failing(true);
      Map<String, Object> settings = new HashMap<>();
      settings.put("bootstrap.servers", kafka.bootstrapServers());
      settings.put("schema.registry.url", down.urlFor(registry.apicurioApiUrl()));
      settings.put("application.id", "streams-app-brownout-limit-" + RUN);
      settings.put("state.dir", dir.toString());
      settings.put("http.host", "127.0.0.1");
      settings.put("http.port", "0");
      settings.put("num.standby.replicas", "0");
      settings.put("topics.replication.factor", "1");
      settings.put("stream.thread.backoff.initial.ms", "100");
      settings.put("stream.thread.backoff.max.ms", "100");
      settings.put("stream.thread.max.failures", "1");
      settings.putAll(new TestTokens().settings(dir));
      try (StreamsApp failing = new StreamsApp(new StreamsAppConfig(settings))) {
        try {
          failing.start(Duration.ofMinutes(5));
        } catch (IllegalStateException e) {
          // It may reach its limit while it starts (ERROR instead of RUNNING): what is awaited.
        }
        // One failure is replaced, the next one in a row stops the client: /health says 503.
        await()
            .atMost(WAIT)
            .dontCatchUncaughtExceptions()
            .until(
                () ->
                    failing.streams().state() == org.apache.kafka.streams.KafkaStreams.State.ERROR);
        HttpResponse<String> health =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + failing.hostInfo().port() + "/health"))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
        assertThat(failing.replacedThreads()).isEqualTo(1);
      }
    } finally {
      org.apache.kafka.common.utils.Utils.delete(dir.toFile());
    }
  }

  private static ShadowRequest update(String device, String document) {
    return ShadowRequest.newBuilder()
        .setRequestId(UUID.randomUUID().toString())
        .setDeviceId(device)
        .setOperation(ShadowOperation.UPDATE)
        .setSource(RequestSource.DEVICE)
        .setDocument(document)
        .setBroker("brownout-it")
        .setRequestedAt(Instant.now())
        .build();
  }

  private static Map<String, Object> producerProps() {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        kafka.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG,
        "all");
  }

  private static <V> KafkaConsumer<String, V> consumer(Deserializer<V> values) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "brownout-it-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed"),
        new StringDeserializer(),
        values);
  }
}
