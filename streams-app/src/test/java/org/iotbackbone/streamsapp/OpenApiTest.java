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
 * <p>The API is started on an ephemeral port without Kafka (routes that need the app answer 503
 * until it is attached, which is enough to tell a route from a 404 or a 405).
 */
@Timeout(30)
class OpenApiTest {

  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final Map<String, String> SAMPLE_PARAMETERS =
      Map.of("deviceId", "lamp-1", "shadowName", "night", "commandId", "c-1");

  private final HttpClient http = HttpClient.newHttpClient();
  private HttpApi api;

  @BeforeEach
  void start() throws IOException {
    api =
        new HttpApi("127.0.0.1", 0, org.iotbackbone.streamsapp.internal.rest.TestHttpLimits.SMALL);
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
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
            .method(method, HttpRequest.BodyPublishers.ofString("{}"))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String specFromClassPath() throws IOException {
    try (InputStream in = StreamsApp.class.getResourceAsStream("/openapi.yaml")) {
      assertThat(in).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
