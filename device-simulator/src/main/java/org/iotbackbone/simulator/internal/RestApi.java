package org.iotbackbone.simulator.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The streams app's REST API as the simulator calls it (commands, jobs): one HTTP client, the API's
 * base URL, and the caller's token on every request.
 */
final class RestApi {

  // The least wait before a shed request is sent again, whatever Retry-After says: a server that
  // answers 0 would otherwise get the same request back to back.
  private static final long MIN_RETRY_MILLIS = 100;

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

  /**
   * The wait a {@code 503} asks for before the same request is sent again: its {@code Retry-After}
   * in seconds (1 when absent or a date), at least {@value #MIN_RETRY_MILLIS} ms. The app answers
   * 503 when it took nothing (load shedding, a store being moved, its token keys unavailable), and
   * also when Kafka did not confirm its write in time, after which the record may still land: so a
   * request sent again is at most a duplicate (a command delivered twice, which at-least-once
   * delivery allows; a job's second create answered 409). A caller bounds how long it resends.
   */
  static long retryAfterMillis(Optional<String> retryAfter) {
    long seconds = 1;
    try {
      seconds = Math.max(0, Long.parseLong(retryAfter.orElse("1").trim()));
    } catch (NumberFormatException httpDate) {
      // An HTTP date: the app sends seconds; one second is as good a wait as any.
    }
    return Math.max(MIN_RETRY_MILLIS, TimeUnit.SECONDS.toMillis(seconds));
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
