package org.iotbackbone.simulator.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * The streams app's REST API as the simulator calls it (commands, jobs): one HTTP client, the API's
 * base URL, and the caller's token on every request.
 */
final class RestApi {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;
  private final String authorization;

  /**
   * @param authorization the {@code Authorization} header of every call ({@code Bearer <token>}),
   *     or null for an API without authentication
   */
  RestApi(String restUrl, String authorization) {
    this.base = URI.create(restUrl.endsWith("/") ? restUrl : restUrl + "/");
    this.authorization = authorization;
  }

  HttpClient http() {
    return http;
  }

  /** The API's base URL, ending in a slash (for messages). */
  URI base() {
    return base;
  }

  /** A request to a path below the base, with the token and a 10 s timeout. */
  HttpRequest.Builder request(String path) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request;
  }
}
