package org.iotbackbone.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registration command against the JDK's HTTP server standing in for the registry's Confluent
 * API: the calls it makes, in which order, and how it takes a registry that is not ready, one that
 * refuses, and one that is not there.
 */
class RegisterSchemasTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(20);

  private FakeRegistry registry;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void start() throws IOException {
    registry = new FakeRegistry();
  }

  @AfterEach
  void stop() {
    registry.server.stop(0);
  }

  @Test
  void everySubjectGetsBackwardThenItsSchema() {
    assertThat(run(registry.url())).as(err.toString()).isZero();

    assertThat(registry.schemas.keySet())
        .containsExactlyInAnyOrderElementsOf(
            Topics.all().stream().map(TopicDefinition::valueSubject).toList());
    for (TopicDefinition<?> topic : Topics.all()) {
      String subject = topic.valueSubject();
      assertThat(registry.compatibility.get(subject)).as(subject).isEqualTo("BACKWARD");
      assertThat(registry.schemas.get(subject)).as(subject).isEqualTo(topic.valueSchema());
      // The level first, so that the schema itself is checked against it.
      assertThat(registry.calls)
          .containsSubsequence("PUT /config/" + subject, "POST /subjects/" + subject + "/versions");
    }
  }

  @Test
  void aRegistryThatIsNotReadyYetIsAskedAgain() {
    registry.unavailableFor.set(3);

    assertThat(run(registry.url())).as(err.toString()).isZero();

    assertThat(registry.schemas).hasSize(Topics.all().size());
    assertThat(out.toString()).contains("registry not ready, retrying");
  }

  @Test
  void anIncompatibleSchemaEndsAtOnceWithExitCode1() {
    String refused = Topics.SHADOW_STATE.valueSubject();
    registry.refusing.add(refused);

    assertThat(run(registry.url())).isEqualTo(1);

    assertThat(err.toString()).contains("incompatible").contains(refused);
    assertThat(registry.calls.stream().filter(c -> c.endsWith(refused + "/versions"))).hasSize(1);
  }

  @Test
  void runningTwiceChangesNothing() {
    assertThat(run(registry.url())).isZero();
    Map<String, Schema> first = new LinkedHashMap<>(registry.schemas);

    assertThat(run(registry.url())).isZero();

    assertThat(registry.schemas).isEqualTo(first);
    assertThat(registry.versions.get()).isEqualTo(Topics.all().size());
  }

  @Test
  void waitingEndsWhenEverySubjectHasTheSchema() throws Exception {
    AtomicInteger exit = new AtomicInteger(-1);
    Thread waiter =
        new Thread(() -> exit.set(run("--wait", "--timeout-seconds", "60", registry.url())));
    waiter.start();
    while (registry.lookups.get() < 3) {
      Thread.sleep(5);
    }
    assertThat(waiter.isAlive()).as("still waiting while nothing is registered").isTrue();

    assertThat(
            RegisterSchemas.run(
                new String[] {registry.url()},
                Map.of(),
                POLL,
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream())))
        .isZero();
    waiter.join(30_000);

    assertThat(exit.get()).as(err.toString()).isZero();
    assertThat(registry.versions.get())
        .as("waiting registers nothing")
        .isEqualTo(Topics.all().size());
  }

  @Test
  void waitingGivesUpAtTheDeadlineNamingWhatIsMissing() {
    assertThat(run("--wait", "--timeout-seconds", "1", registry.url())).isEqualTo(1);

    assertThat(out.toString()).contains("waiting for " + Topics.all().get(0).valueSubject());
    assertThat(err.toString())
        .contains(
            "gave up after PT1S waiting for "
                + Topics.all().get(0).valueSubject()
                + " to have this build's schema");
    assertThat(registry.schemas).isEmpty();
  }

  @Test
  void aRegistryThatIsNotThereFailsAtTheDeadline() {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused.
    assertThat(run("--timeout-seconds", "1", "http://127.0.0.1:9/apis/ccompat/v7")).isEqualTo(1);

    assertThat(err.toString())
        .contains("gave up after PT1S registering " + Topics.all().get(0).valueSubject())
        .contains("cause");
  }

  @Test
  void aBadCommandLineIsExitCode2() {
    assertThat(run()).isEqualTo(2);
    assertThat(run("not-a-url")).isEqualTo(2);
    assertThat(run("--timeout-seconds", "soon", registry.url())).isEqualTo(2);
    assertThat(run("--timeout-seconds", "-5", registry.url())).isEqualTo(2);
    assertThat(run(registry.url(), "--timeout-seconds")).isEqualTo(2);
    assertThat(run(registry.url(), registry.url())).isEqualTo(2);
    assertThat(run("--frobnicate", registry.url())).isEqualTo(2);
    assertThat(err.toString()).contains("usage: RegisterSchemas");
    assertThat(registry.calls).isEmpty();
  }

  @Test
  void theRegistrysLoginComesFromTheEnvironment() {
    assertThat(
            run(
                Map.of("IOT_REGISTER_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "job:secret"),
                registry.url()))
        .isZero();
    assertThat(registry.authorizations)
        .isNotEmpty()
        .allMatch(
            header ->
                header.equals(
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString("job:secret".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void badRegistrySettingsAreExitCode2NamingTheSetting() {
    assertThat(
            run(
                Map.of("IOT_REGISTER_SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION", "/nonexistent.p12"),
                registry.url()))
        .isEqualTo(2);
    assertThat(
            run(
                Map.of("IOT_REGISTER_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "no-colon"),
                registry.url()))
        .isEqualTo(2);
    assertThat(run(Map.of(), "http://127.0.0.1:9/apis/registry/v3")).isEqualTo(2);
    assertThat(err.toString())
        .contains("schema.registry.ssl.truststore.location")
        .contains("schema.registry.basic.auth.user.info must be user:password")
        .doesNotContain("no-colon")
        .contains("not Apicurio's own");
    assertThat(registry.calls).isEmpty();
  }

  private int run(String... args) {
    return run(Map.of(), args);
  }

  private int run(Map<String, String> environment, String... args) {
    return RegisterSchemas.run(
        args,
        environment,
        POLL,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /** The part of the Confluent API the command uses, in memory. */
  private static final class FakeRegistry {
    final HttpServer server;
    final Map<String, String> compatibility = new LinkedHashMap<>();
    final Map<String, Schema> schemas = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    final List<String> authorizations = new ArrayList<>();
    final Set<String> refusing = new HashSet<>();
    final AtomicInteger unavailableFor = new AtomicInteger();
    final AtomicInteger versions = new AtomicInteger();
    final AtomicInteger lookups = new AtomicInteger();

    FakeRegistry() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/apis/ccompat/v7/", this::handle);
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v7";
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
      String path =
          URLDecoder.decode(
              exchange.getRequestURI().getRawPath().substring("/apis/ccompat/v7".length()),
              StandardCharsets.UTF_8);
      String method = exchange.getRequestMethod();
      calls.add(method + " " + path);
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization != null) {
        authorizations.add(authorization);
      }
      JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
      if (unavailableFor.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        answer(exchange, 503, "{\"error_code\":50301,\"message\":\"starting\"}");
        return;
      }
      String[] parts = path.split("/");
      if (method.equals("PUT") && parts.length == 3 && parts[1].equals("config")) {
        String level = body.path("compatibility").asText();
        compatibility.put(parts[2], level);
        answer(exchange, 200, "{\"compatibility\":\"" + level + "\"}");
      } else if (method.equals("POST") && parts.length == 4 && parts[3].equals("versions")) {
        String subject = parts[2];
        if (refusing.contains(subject)) {
          answer(exchange, 409, "{\"error_code\":409,\"message\":\"incompatible\"}");
          return;
        }
        Schema schema = new Schema.Parser().parse(body.path("schema").asText());
        if (!schema.equals(schemas.get(subject))) {
          schemas.put(subject, schema);
          versions.incrementAndGet();
        }
        answer(
            exchange,
            200,
            "{\"id\":" + (100 + List.copyOf(schemas.keySet()).indexOf(subject)) + "}");
      } else if (method.equals("POST") && parts.length == 3 && parts[1].equals("subjects")) {
        lookups.incrementAndGet();
        Schema schema = new Schema.Parser().parse(body.path("schema").asText());
        if (schema.equals(schemas.get(parts[2]))) {
          answer(exchange, 200, "{\"subject\":\"" + parts[2] + "\",\"version\":1,\"id\":1}");
        } else {
          answer(exchange, 404, "{\"error_code\":40401,\"message\":\"not found\"}");
        }
      } else {
        answer(exchange, 404, "{\"error_code\":404,\"message\":\"no such route\"}");
      }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    }
  }
}
