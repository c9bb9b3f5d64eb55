package org.iotbackbone.streamsapp;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.iotbackbone.streamsapp.internal.json.Json;

/** Calls a running app's REST API with a token, for the jobs ITs, and waits out a 503. */
final class JobsRest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final StreamsApp app;
  private final String authorization;

  /**
   * @param authorization the {@code Authorization} header, or null for none
   */
  JobsRest(StreamsApp app, String authorization) {
    this.app = app;
    this.authorization = authorization;
  }

  /** The same API with another {@code Authorization} header (null: none). */
  JobsRest as(String otherAuthorization) {
    return new JobsRest(app, otherAuthorization);
  }

  HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** The body of an answer, which must be JSON. */
  static JsonNode json(HttpResponse<String> response) throws Exception {
    return Json.parse(response.body());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    request.timeout(Duration.ofSeconds(60));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpRequest built = request.build();
    return RetryAfter.honoured(() -> HTTP.send(built, HttpResponse.BodyHandlers.ofString()));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + app.hostInfo().port() + path);
  }
}
