package org.iotbackbone.streamsapp.bench;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.iotbackbone.schemas.topics.TopicSetup;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.ServerOptions;
import org.iotbackbone.streamsapp.StreamsApp;
import org.iotbackbone.streamsapp.StreamsAppConfig;
import org.iotbackbone.streamsapp.internal.auth.TestTokens;
import org.iotbackbone.streamsapp.internal.auth.TokenVerifier;

/**
 * What bearer tokens cost the REST API (not a test; streams-app/README.md gives the command,
 * docs/benchmarks.md the figures): two instances of the real app on one Kafka and registry, one
 * with {@code http.auth.enabled=false} and one verifying an ES256 token from a key file, answer
 * {@code GET /devices/{id}/shadow} for shadows they hold, from {@code clients} threads, in rounds
 * that alternate the sides so that the machine's drift hits all alike. Three sides: without tokens;
 * with one token reused by every request (as a client reuses its token until it expires: verified
 * once, then a hit of the verified-token cache); and with a new token on every request (each one
 * verified, the cost without a cache). Printed per side: requests/s, p50/p99/p99.9 latency and CPU
 * time of this JVM (client and server) per request; and the cost of one verification and of one
 * cache hit alone, single-threaded.
 *
 * <p>Run: {@code ./mvnw -Pbench -pl streams-app -am test-compile -DskipTests
 * -Dbench.main=org.iotbackbone.streamsapp.bench.RestAuthBenchmark -Dbench.args="REQUESTS CLIENTS
 * ROUNDS"} (say {@code 20000 8 3}: requests per side per round).
 */
public final class RestAuthBenchmark {

  private static final int DEVICES = 100;

  private RestAuthBenchmark() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    TestTokens tokens = new TestTokens();
    System.out.printf(
        "one token verification alone: %.1f us; a verified token's cache hit: %.1f us%n",
        verificationMicros(tokens, 0, 5_000),
        verificationMicros(tokens, TokenVerifier.CACHED_TOKENS, 200_000));
    ServerOptions servers =
        ServerOptions.builder().quickStart(false).startTimeout(Duration.ofMinutes(10)).build();
    try (KafkaBroker kafka = new KafkaBroker(servers);
        SchemaRegistry registry = new SchemaRegistry(servers)) {
      kafka.start();
      registry.start();
      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        TopicSetup.createMissing(admin, Topics.all(4), (short) 1);
      }
      Path dir = Files.createTempDirectory("rest-auth-bench");
      try (StreamsApp open = app(kafka, registry, dir.resolve("open"), null);
          StreamsApp secured = app(kafka, registry, dir.resolve("secured"), tokens)) {
        open.start(Duration.ofMinutes(5));
        secured.start(Duration.ofMinutes(5));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // One token for the whole run, as a client reuses its token until it expires.
        String bearer =
            "Bearer "
                + tokens.sign(
                    tokens
                        .claims("shadows:read shadows:write", null)
                        .expirationTime(
                            java.util.Date.from(java.time.Instant.now().plus(Duration.ofHours(2))))
                        .build());
        int warmUp = Math.min(requests, 5_000);
        // Signed before the rounds, so that signing costs them nothing; each used once.
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < warmUp + requests * rounds; i++) {
          fresh.add("Bearer " + tokens.token("shadows:read", null));
        }
        AtomicInteger nextFresh = new AtomicInteger();
        Side withoutTokens = new Side("without tokens", open, null, i -> null);
        Side withTokens = new Side("one token, cached", secured, bearer, i -> bearer);
        Side newTokens =
            new Side(
                "a new token each", secured, bearer, i -> fresh.get(nextFresh.getAndIncrement()));
        withoutTokens.writeShadows(http);
        withTokens.writeShadows(http);
        newTokens.writeShadows(http);
        for (Side side : List.of(withoutTokens, withTokens, newTokens)) {
          side.run(http, warmUp, clients); // warm-up, not counted
          side.reset();
        }
        for (int round = 0; round < rounds; round++) {
          withoutTokens.run(http, requests, clients);
          withTokens.run(http, requests, clients);
          newTokens.run(http, requests, clients);
        }
        System.out.printf(
            "%d requests per side per round, %d clients, %d rounds%n", requests, clients, rounds);
        withoutTokens.print();
        withTokens.print();
        newTokens.print();
      } finally {
        org.apache.kafka.common.utils.Utils.delete(dir.toFile());
      }
    }
  }

  private static double verificationMicros(TestTokens tokens, int cachedTokens, int count) {
    TokenVerifier verifier =
        new TokenVerifier(
            new ImmutableJWKSet<>(new JWKSet(tokens.publicJwk())),
            TestTokens.ISSUER,
            TestTokens.AUDIENCE,
            Duration.ofSeconds(60),
            Clock.systemUTC(),
            cachedTokens);
    String bearer = tokens.allScopes();
    for (int i = 0; i < count; i++) {
      verifier.verify(bearer); // warm-up
    }
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      verifier.verify(bearer);
    }
    return (System.nanoTime() - start) / 1e3 / count;
  }

  private static StreamsApp app(
      KafkaBroker kafka, SchemaRegistry registry, Path stateDir, TestTokens tokens)
      throws Exception {
    Files.createDirectories(stateDir);
    Map<String, Object> settings = new HashMap<>();
    settings.put(StreamsAppConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    settings.put(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.apicurioApiUrl());
    settings.put(
        StreamsAppConfig.APPLICATION_ID_CONFIG,
        "rest-auth-bench-" + UUID.randomUUID().toString().substring(0, 8));
    settings.put(StreamsAppConfig.STATE_DIR_CONFIG, stateDir.toString());
    settings.put(StreamsAppConfig.HTTP_HOST_CONFIG, "127.0.0.1");
    settings.put(StreamsAppConfig.HTTP_PORT_CONFIG, "0");
    settings.put(StreamsAppConfig.TOPICS_REPLICATION_FACTOR_CONFIG, "1");
    settings.put(StreamsAppConfig.NUM_STANDBY_REPLICAS_CONFIG, "0");
    settings.put(StreamsAppConfig.HTTP_THREADS_CONFIG, "18");
    settings.put(StreamsAppConfig.HTTP_REQUEST_TIMEOUT_MS_CONFIG, "60000");
    if (tokens == null) {
      settings.put(StreamsAppConfig.HTTP_AUTH_ENABLED_CONFIG, "false");
    } else {
      settings.putAll(tokens.settings(stateDir));
    }
    return new StreamsApp(new StreamsAppConfig(settings));
  }

  /** One app and how it is called, with the figures of its rounds. */
  private static final class Side {
    private final String name;
    private final StreamsApp app;
    private final String writer;
    private final IntFunction<String> authorization;
    private final String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 6) + "-";
    private final Histogram latency = new Histogram(60_000_000_000L, 3);
    private long requests;
    private long failures;
    private long nanos;
    private long cpuNanos;

    /**
     * @param writer the token of the writes that set the shadows up, null without tokens
     * @param authorization the token of read number i, null without tokens
     */
    Side(String name, StreamsApp app, String writer, IntFunction<String> authorization) {
      this.name = name;
      this.app = app;
      this.writer = writer;
      this.authorization = authorization;
    }

    void writeShadows(HttpClient http) throws Exception {
      for (int i = 0; i < DEVICES; i++) {
        HttpResponse<String> answer =
            http.send(
                request("/devices/" + prefix + i + "/shadow", writer)
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"state\":{\"reported\":{\"on\":true}}}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
          throw new IllegalStateException(name + ": " + answer.statusCode() + " " + answer.body());
        }
      }
    }

    void run(HttpClient http, int count, int clients) throws Exception {
      AtomicInteger next = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      Histogram[] histograms = new Histogram[clients];
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      long cpu = processCpuNanos();
      long start = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        Histogram mine = new Histogram(60_000_000_000L, 3);
        histograms[c] = mine;
        // A client of its own per thread: one connection each, as separate callers have.
        HttpClient own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        done.add(
            pool.submit(
                () -> {
                  int i;
                  while ((i = next.getAndIncrement()) < count) {
                    HttpRequest get =
                        request(
                                "/devices/" + prefix + (i % DEVICES) + "/shadow",
                                authorization.apply(i))
                            .GET()
                            .build();
                    long sent = System.nanoTime();
                    try {
                      HttpResponse<Void> answer =
                          own.send(get, HttpResponse.BodyHandlers.discarding());
                      if (answer.statusCode() != 200) {
                        failed.incrementAndGet();
                      }
                    } catch (Exception e) {
                      failed.incrementAndGet();
                    }
                    mine.recordValue(System.nanoTime() - sent);
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
      nanos += System.nanoTime() - start;
      cpuNanos += processCpuNanos() - cpu;
      pool.shutdown();
      for (Histogram histogram : histograms) {
        latency.add(histogram);
      }
      requests += count;
      failures += failed.get();
      System.out.printf(
          "  %s: %d requests in %.1f s, %d not 200%n", name, count, nanos / 1e9, failures);
    }

    void reset() {
      latency.reset();
      requests = 0;
      failures = 0;
      nanos = 0;
      cpuNanos = 0;
    }

    void print() {
      System.out.printf(
          "%-18s %,8.0f requests/s  p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  CPU %.0f us/request"
              + "  (%d requests, %d not 200)%n",
          name,
          requests / (nanos / 1e9),
          latency.getValueAtPercentile(50) / 1e6,
          latency.getValueAtPercentile(99) / 1e6,
          latency.getValueAtPercentile(99.9) / 1e6,
          cpuNanos / 1e3 / requests,
          requests,
          failures);
    }

    private HttpRequest.Builder request(String path, String authorization) {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.hostInfo().port() + path))
              .timeout(Duration.ofSeconds(10));
      if (authorization != null) {
        builder.header("Authorization", authorization);
      }
      return builder;
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
