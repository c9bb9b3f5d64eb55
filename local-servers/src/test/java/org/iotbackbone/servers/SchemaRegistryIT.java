package org.iotbackbone.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.iotbackbone.servers.junit.SharedServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Apicurio Registry's Confluent-compatible API, as the schemas module and Confluent-framed serdes
 * use it: register, fetch by id, per-subject compatibility.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SchemaRegistryIT {

  private static final String CONFLUENT_JSON = "application/vnd.schemaregistry.v1+json";

  private static final String READING_V1 =
      "{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\"org.iotbackbone.test\","
          + "\"fields\":[{\"name\":\"deviceId\",\"type\":\"string\"}]}";

  /** V1 plus a field with a default: readers of V2 can read V1 data, so BACKWARD allows it. */
  private static final String READING_V2_WITH_DEFAULT =
      "{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\"org.iotbackbone.test\","
          + "\"fields\":[{\"name\":\"deviceId\",\"type\":\"string\"},"
          + "{\"name\":\"celsius\",\"type\":\"double\",\"default\":0.0}]}";

  /** V1 plus a field without a default: V1 data lacks it, so BACKWARD refuses it. */
  private static final String READING_V2_WITHOUT_DEFAULT =
      "{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\"org.iotbackbone.test\","
          + "\"fields\":[{\"name\":\"deviceId\",\"type\":\"string\"},"
          + "{\"name\":\"humidity\",\"type\":\"double\"}]}";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static SchemaRegistry registry;

  @BeforeAll
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  static void startRegistry() {
    registry = SharedServers.schemaRegistry();
  }

  @Test
  void servesBothApisOnLoopback() throws Exception {
    assertThat(registry.url()).startsWith("http://127.0.0.1:");
    assertThat(get(registry.url() + "/health/ready").status()).isEqualTo(200);
    Response info = get(registry.apicurioApiUrl() + "/system/info");
    assertThat(info.status()).isEqualTo(200);
    assertThat(info.body()).contains("\"version\":\"3.0.9\"");
    assertThat(get(registry.confluentApiUrl() + "/subjects").status()).isEqualTo(200);
  }

  @Test
  void registeredSchemaCanBeFetchedBackById() throws Exception {
    Response registered = register("fetch-by-id-value", READING_V1);
    assertThat(registered.status()).isEqualTo(200);
    long id = longField(registered.body(), "id");

    Response fetched = get(registry.confluentApiUrl() + "/schemas/ids/" + id);

    assertThat(fetched.status()).isEqualTo(200);
    assertThat(stringField(fetched.body(), "schema")).isEqualTo(READING_V1);
    assertThat(stringField(fetched.body(), "schemaType")).isEqualTo("AVRO");
    // Registering the same schema again is idempotent: same id, no new version.
    assertThat(longField(register("fetch-by-id-value", READING_V1).body(), "id")).isEqualTo(id);
    assertThat(get(registry.confluentApiUrl() + "/subjects/fetch-by-id-value/versions").body())
        .isEqualTo("[1]");
  }

  /**
   * Records in Kafka name their schema by id: a registry that came back from a crash without its
   * schemas would leave them unreadable. Its own registry, killed with SIGKILL right after a
   * registration.
   */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aSchemaRegisteredBeforeAKillNineIsThereAfterTheRestart() throws Exception {
    try (SchemaRegistry own = new SchemaRegistry()) {
      own.start();
      Response registered = register(own, "crash-value", READING_V1);
      long id = longField(registered.body(), "id");

      own.kill();
      own.start();

      Response fetched = get(own.confluentApiUrl() + "/schemas/ids/" + id);
      assertThat(fetched.status()).isEqualTo(200);
      assertThat(stringField(fetched.body(), "schema")).isEqualTo(READING_V1);
      // A second schema gets a new id, not one of the first's.
      long next = longField(register(own, "crash-value", READING_V2_WITH_DEFAULT).body(), "id");
      assertThat(next).isNotEqualTo(id);
    }
  }

  @Test
  void confluentIdIsApicuriosContentId() throws Exception {
    String schema = READING_V1.replace("Reading", "SharedReading");
    long firstId = longField(register("shared-a-value", schema).body(), "id");
    long secondId = longField(register("shared-b-value", schema).body(), "id");

    // One schema, two subjects: one id, as in Confluent's registry.
    assertThat(secondId).isEqualTo(firstId);
    String first = get(apicurioVersion("shared-a-value", 1)).body();
    String second = get(apicurioVersion("shared-b-value", 1)).body();
    assertThat(longField(first, "contentId")).isEqualTo(firstId);
    assertThat(longField(second, "contentId")).isEqualTo(firstId);
    // Apicurio's globalId numbers versions, not contents: it differs between the two subjects.
    assertThat(longField(second, "globalId")).isNotEqualTo(longField(first, "globalId"));
    assertThat(get(registry.confluentApiUrl() + "/schemas/ids/" + firstId + "/versions").body())
        .contains("\"subject\":\"shared-a-value\"", "\"subject\":\"shared-b-value\"");
  }

  @Test
  void backwardCompatibilityIsEnforcedOnRegistration() throws Exception {
    String subject = "compat-value";
    String compatibility = registry.confluentApiUrl() + "/compatibility/subjects/" + subject;
    Response first = register(subject, READING_V1);
    assertThat(first.status()).isEqualTo(200);
    // Unlike Confluent (BACKWARD), Apicurio's global default is NONE.
    assertThat(get(registry.confluentApiUrl() + "/config").body())
        .isEqualTo("{\"compatibilityLevel\":\"NONE\"}");

    Response config =
        put(registry.confluentApiUrl() + "/config/" + subject, "{\"compatibility\":\"BACKWARD\"}");

    assertThat(config.status()).isEqualTo(200);
    // Confluent answers {"compatibility":"BACKWARD"}; Apicurio names the field as in a GET.
    assertThat(config.body()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
    assertThat(get(registry.confluentApiUrl() + "/config/" + subject).body())
        .isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");

    Response incompatibleCheck =
        post(compatibility + "/versions/latest", schemaRequest(READING_V2_WITHOUT_DEFAULT));
    assertThat(incompatibleCheck.status()).isEqualTo(200);
    assertThat(incompatibleCheck.body()).isEqualTo("{\"is_compatible\":false}");
    Response refused = register(subject, READING_V2_WITHOUT_DEFAULT);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(longField(refused.body(), "error_code")).isEqualTo(409);
    assertThat(stringField(refused.body(), "message")).contains("Incompatible artifact");

    Response compatibleCheck =
        post(compatibility + "/versions/latest", schemaRequest(READING_V2_WITH_DEFAULT));
    assertThat(compatibleCheck.body()).isEqualTo("{\"is_compatible\":true}");
    Response accepted = register(subject, READING_V2_WITH_DEFAULT);
    assertThat(accepted.status()).isEqualTo(200);
    assertThat(longField(accepted.body(), "id")).isNotEqualTo(longField(first.body(), "id"));
    assertThat(get(registry.confluentApiUrl() + "/subjects/" + subject + "/versions").body())
        .isEqualTo("[1,2]");
  }

  private static Response register(String subject, String schema)
      throws IOException, InterruptedException {
    return register(registry, subject, schema);
  }

  private static Response register(SchemaRegistry at, String subject, String schema)
      throws IOException, InterruptedException {
    return post(at.confluentApiUrl() + "/subjects/" + subject + "/versions", schemaRequest(schema));
  }

  private static String apicurioVersion(String subject, int version) {
    // The Confluent API keeps subjects as artifacts of the default group.
    return registry.apicurioApiUrl()
        + "/groups/default/artifacts/"
        + subject
        + "/versions/"
        + version;
  }

  /** The body of a registration or compatibility request: the schema as a JSON string. */
  private static String schemaRequest(String schema) {
    return "{\"schema\":\"" + schema.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
  }

  private static Response get(String url) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  private static Response post(String url, String json) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", CONFLUENT_JSON)
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private static Response put(String url, String json) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", CONFLUENT_JSON)
            .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  private static Response send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.body());
  }

  private static long longField(String json, String name) {
    Matcher matcher = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
    assertThat(matcher.find()).as("field %s in %s", name, json).isTrue();
    return Long.parseLong(matcher.group(1));
  }

  /** A string field, unescaped; enough for the schemas above (quotes, no other escapes). */
  private static String stringField(String json, String name) {
    Matcher matcher = Pattern.compile("\"" + name + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
    assertThat(matcher.find()).as("field %s in %s", name, json).isTrue();
    return matcher.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
  }

  private record Response(int status, String body) {}
}
