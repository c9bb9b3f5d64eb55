package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.iotbackbone.streamsapp.internal.auth.TestTokens;
import org.iotbackbone.streamsapp.internal.ops.StreamsAppMetrics;
import org.iotbackbone.streamsapp.internal.rest.HttpApi;
import org.iotbackbone.streamsapp.internal.rest.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The OpenAPI description and the server agree: every route described is one the server answers,
 * every route the server answers is described, and the server serves the description itself.
 *
 * <p>The API is started on an ephemeral port without Kafka, with authentication on (routes that
 * need the app answer 401 without a token, 403 without their scope, and 503 with it until the app
 * is attached, which is enough to tell a route from a 404 or a 405).
 */
@Timeout(30)
class OpenApiTest {

  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final Map<String, String> SAMPLE_PARAMETERS =
      Map.of("deviceId", "lamp-1", "shadowName", "night", "commandId", "c-1", "jobId", "fw-1");

  private final HttpClient http = HttpClient.newHttpClient();
  private final TestTokens tokens = new TestTokens();
  private HttpApi api;

  @BeforeEach
  void start() throws IOException {
    api =
        new HttpApi(
            "127.0.0.1",
            0,
            org.iotbackbone.streamsapp.internal.rest.TestHttpLimits.SMALL,
            tokens.security(),
            new StreamsAppMetrics()::scrape);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void theDescribedRoutesAreTheServedRoutes() throws IOException {
    Set<Route> described = describedRoutes(specFromClassPath());
    Set<Route> served = Set.copyOf(api.routes());
    assertThat(described).as("routes described but not served").isSubsetOf(served);
    assertThat(served).as("routes served but not described").isSubsetOf(described);
  }

  @Test
  void theServerAnswersEveryDescribedRouteAndNoOtherMethod() throws Exception {
    for (Route route : describedRoutes(specFromClassPath())) {
      String path = samplePath(route.path());
      assertThat(send(route.method(), path).statusCode())
          .as("%s %s", route.method(), path)
          .isNotIn(404, 405);
      assertThat(send("DELETE", path).statusCode()).as("DELETE %s", path).isEqualTo(405);
    }
    assertThat(send("GET", "/devices/lamp-1/shadows").statusCode()).isEqualTo(404);
  }

  @Test
  void everyOperationDeclaresTheScopeTheServerChecks() throws IOException {
    JsonNode spec = new YAMLMapper().readTree(specFromClassPath());
    JsonNode scheme = spec.at("/components/securitySchemes/bearerAuth");
    assertThat(scheme.path("type").asText()).isEqualTo("http");
    assertThat(scheme.path("scheme").asText()).isEqualTo("bearer");
    Map<Route, String> checked = api.scopes();
    for (Route route : describedRoutes(specFromClassPath())) {
      JsonNode security =
          spec.path("paths")
              .path(route.path())
              .path(route.method().toLowerCase(Locale.ROOT))
              .path("security");
      assertThat(security.isArray()).as("%s declares its security", route).isTrue();
      if (checked.containsKey(route)) {
        assertThat(security.path(0).path("bearerAuth").path(0).asText())
            .as("the scope of %s", route)
            .isEqualTo(checked.get(route));
        assertThat(security.path(0).path("bearerAuth").size()).isEqualTo(1);
      } else {
        assertThat(security.size()).as("%s is open", route).isZero();
      }
    }
  }

  @Test
  void aRouteWithAScopeAnswers401WithoutAValidTokenAnd403WithoutTheScope() throws Exception {
    for (Map.Entry<Route, String> scoped : api.scopes().entrySet()) {
      String path = samplePath(scoped.getKey().path());
      String method = scoped.getKey().method();
      HttpResponse<String> none = send(method, path, null);
      assertThat(none.statusCode()).as("%s %s", method, path).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"iot\"");
      assertThat(none.body()).startsWith("{\"code\":401,\"message\":");

      HttpResponse<String> bad = send(method, path, "Bearer " + new TestTokens().token("x", null));
      assertThat(bad.statusCode()).isEqualTo(401);
      assertThat(bad.headers().firstValue("WWW-Authenticate").orElseThrow())
          .contains("error=\"invalid_token\"");

      String others =
          java.util.Arrays.stream(org.iotbackbone.streamsapp.internal.auth.Scope.values())
              .map(org.iotbackbone.streamsapp.internal.auth.Scope::value)
              .filter(scope -> !scope.equals(scoped.getValue()))
              .collect(java.util.stream.Collectors.joining(" "));
      HttpResponse<String> forbidden = send(method, path, tokens.bearer(others, null));
      assertThat(forbidden.statusCode()).as("%s %s", method, path).isEqualTo(403);
      assertThat(forbidden.headers().firstValue("WWW-Authenticate").orElseThrow())
          .contains("error=\"insufficient_scope\"", "scope=\"" + scoped.getValue() + "\"");
      assertThat(forbidden.body()).contains("\"code\":403");

      // With its scope: past the checks, to the app (not attached here: 503).
      HttpResponse<String> allowed = send(method, path, tokens.bearer(scoped.getValue(), null));
      assertThat(allowed.statusCode()).as("%s %s", method, path).isEqualTo(503);
    }
    for (String open : new String[] {"/health", "/ready", "/metrics", "/openapi.yaml"}) {
      assertThat(send("GET", open, null).statusCode()).as(open).isIn(200, 503);
      assertThat(send("GET", open, null).headers().firstValue("WWW-Authenticate")).isEmpty();
    }
  }

  @Test
  void aTokenLimitedToOtherDevicesIsForbiddenOnTheirPaths() throws Exception {
    String speakers = tokens.bearer("shadows:read shadows:write commands:write", "speaker-*");
    assertThat(send("GET", "/devices/robot-1/shadow", speakers).statusCode()).isEqualTo(403);
    assertThat(send("POST", "/devices/robot-1/shadows/night", speakers).statusCode())
        .isEqualTo(403);
    assertThat(send("POST", "/devices/robot-1/commands", speakers).statusCode()).isEqualTo(403);
    assertThat(send("GET", "/devices/speaker-1/shadow", speakers).statusCode()).isEqualTo(503);
    // A bad id is still a 400, not hidden behind the device check.
    assertThat(send("GET", "/devices/bad%20id/shadow", speakers).statusCode()).isEqualTo(400);
  }

  @Test
  void aTokenLimitedToDevicesIsForbiddenTheJobsRoutesButItsDevicesJobs() throws Exception {
    String speakers = tokens.bearer("jobs:read jobs:write", "speaker-*");
    for (String[] route :
        new String[][] {
          {"POST", "/jobs"},
          {"GET", "/jobs"},
          {"GET", "/jobs/fw-1"},
          {"POST", "/jobs/fw-1/cancel"},
          {"GET", "/jobs/fw-1/executions"}
        }) {
      HttpResponse<String> answer = send(route[0], route[1], speakers);
      assertThat(answer.statusCode()).as("%s %s", route[0], route[1]).isEqualTo(403);
      assertThat(answer.body()).contains("without a devices claim");
    }
    assertThat(send("GET", "/devices/robot-1/jobs", speakers).statusCode()).isEqualTo(403);
    assertThat(send("GET", "/devices/speaker-1/jobs", speakers).statusCode()).isEqualTo(503);
  }

  @Test
  void theDescriptionIsServedAsYaml() throws Exception {
    HttpResponse<String> response = send("GET", "/openapi.yaml");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/yaml");
    assertThat(response.body()).isEqualTo(specFromClassPath());
    assertThat(describedRoutes(response.body())).contains(new Route("GET", "/openapi.yaml"));
  }

  /** Every (method, path) of the spec's {@code paths}. */
  private static Set<Route> describedRoutes(String spec) throws IOException {
    JsonNode paths = new YAMLMapper().readTree(spec).path("paths");
    assertThat(paths.isObject()).as("the spec has paths").isTrue();
    Set<Route> routes = new HashSet<>();
    for (Map.Entry<String, JsonNode> path : paths.properties()) {
      // A path item holds its operations and also shared fields such as "parameters".
      path.getValue()
          .fieldNames()
          .forEachRemaining(
              key -> {
                if (METHODS.contains(key)) {
                  routes.add(new Route(key.toUpperCase(Locale.ROOT), path.getKey()));
                }
              });
    }
    return routes;
  }

  private static String samplePath(String template) {
    String path = template;
    for (Map.Entry<String, String> parameter : SAMPLE_PARAMETERS.entrySet()) {
      path = path.replace("{" + parameter.getKey() + "}", parameter.getValue());
    }
    assertThat(path).as("a sample value for every parameter of " + template).doesNotContain("{");
    return path;
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return send(method, path, tokens.allScopes());
  }

  private HttpResponse<String> send(String method, String path, String authorization)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
            .method(method, HttpRequest.BodyPublishers.ofString("{}"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String specFromClassPath() throws IOException {
    try (InputStream in = StreamsApp.class.getResourceAsStream("/openapi.yaml")) {
      assertThat(in).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
