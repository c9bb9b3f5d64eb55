package org.iotbackbone.localstack.internal.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests to the streams app's REST API: its routes with good and bad ids, random paths and
 * queries, every method, headers (many, long, odd), bodies (valid, bad JSON, deep JSON, random
 * bytes, over the body limit). Accounted for means a defined answer: a 2xx or 4xx with a JSON body
 * (the error's {@code code} equal to the status), a 503 (overloaded or starting), or the 504 that
 * {@code openapi.yaml} documents for a shadow update whose answer did not come within the app's
 * request timeout (the update may still be applied: the shadow request's own accounting follows
 * it); the server closing the connection is a refusal. Another 5xx, a body that is not JSON, or no
 * answer within {@link #TIMEOUT} (a hang) fails the input.
 */
final class RestDoor {

  static final String DOOR = "rest";
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int WORKERS = 4;
  private static final String[] METHODS = {
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FUZZ"
  };
  private static final Set<String> RESTRICTED =
      Set.of(
          "connection",
          "content-length",
          "expect",
          "host",
          "upgrade",
          "date",
          "from",
          "referer",
          "via",
          "warning");

  private final URI base;
  private final Optional<String> authorization;
  private final String runId;
  private final long seed;
  private final Ledger ledger;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /**
   * @param authorization the {@code Authorization} header the stack's API takes (its all-scopes
   *     token), sent with nine inputs in ten so that the fuzzing reaches past the token check; the
   *     tenth goes without one or with a garbage one, its answer judged as any other's
   */
  RestDoor(String restUrl, Optional<String> authorization, String runId, long seed, Ledger ledger) {
    this.base =
        URI.create(restUrl.endsWith("/") ? restUrl.substring(0, restUrl.length() - 1) : restUrl);
    this.authorization = authorization;
    this.runId = runId;
    this.seed = seed;
    this.ledger = ledger;
  }

  void run(int count) throws InterruptedException {
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
    AtomicInteger next = new AtomicInteger();
    for (int w = 0; w < WORKERS; w++) {
      workers.execute(
          () -> {
            for (int n = next.getAndIncrement(); n < count; n = next.getAndIncrement()) {
              one(n);
            }
          });
    }
    workers.shutdown();
    workers.awaitTermination(1, TimeUnit.DAYS);
  }

  private void one(long n) {
    Random random = Inputs.forInput(seed, DOOR, n);
    ledger.input(DOOR);
    String method =
        random.nextInt(3) == 0
            ? METHODS[random.nextInt(METHODS.length)]
            : random.nextBoolean() ? "GET" : "POST";
    String path = path(random, n);
    URI uri;
    try {
      uri = URI.create(base + path);
    } catch (IllegalArgumentException e) {
      ledger.outcome(
          DOOR,
          "rest#" + n + " " + method + " " + path,
          "not sendable (the URI library refused the path)");
      return;
    }
    byte[] body = method.equals("GET") || method.equals("HEAD") ? new byte[0] : body(random);
    String contentType = contentType(random);
    int headers = random.nextInt(10) < 8 ? random.nextInt(3) : random.nextInt(100);
    HttpRequest.Builder request;
    try {
      request = HttpRequest.newBuilder(uri).timeout(TIMEOUT);
      if (contentType != null) {
        request.header("Content-Type", contentType);
      }
      // Drawn apart from the input's own random, so that a seed makes the same inputs as before.
      if (n % 10 != 9) {
        if (authorization.isPresent()) {
          request.header("Authorization", authorization.get());
        }
      } else if (n % 20 == 19) {
        request.header(
            "Authorization", "Bearer " + Inputs.idChars(new Random(seed ^ n), 1 + (int) (n % 300)));
      }
      for (int i = 0; i < headers; i++) {
        String name = "X-" + Inputs.idChars(random, 1 + random.nextInt(30));
        if (!RESTRICTED.contains(name.toLowerCase())) {
          request.header(name, headerValue(random));
        }
      }
      request.method(
          method,
          body.length == 0 && random.nextBoolean()
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
    } catch (IllegalArgumentException e) {
      ledger.outcome(
          DOOR,
          "rest#" + n + " " + method + " " + path,
          "not sendable (the HTTP client refused the request)");
      return;
    }
    String description =
        "rest#"
            + n
            + " "
            + method
            + " "
            + Ledger.abbreviate(path)
            + " body "
            + body.length
            + " bytes, "
            + headers
            + " headers, content type "
            + contentType;
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      ledger.fail(DOOR, n, "hang", "no answer in " + TIMEOUT.toSeconds() + " s: " + description);
      return;
    } catch (IOException e) {
      ledger.outcome(
          DOOR,
          description,
          "refused (connection closed by the server"
              + (body.length > 64 * 1024
                  ? ", body over the limit)"
                  : ": " + e.getClass().getSimpleName() + ")"));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    judge(n, method, path, response, description);
  }

  /** A route whose 504 the API documents: {@code POST /devices/{id}/shadow[s/{name}]}. */
  static boolean isShadowUpdate(String method, String path) {
    return method.equals("POST") && path.matches("/devices/[^/]+/(shadow|shadows/[^/]+)");
  }

  private void judge(
      long n, String method, String path, HttpResponse<byte[]> response, String description) {
    int status = response.statusCode();
    if (status >= 500 && status != 503 && !(status == 504 && isShadowUpdate(method, path))) {
      ledger.fail(
          DOOR,
          n,
          "server-error",
          "status " + status + " " + preview(response.body()) + ": " + description);
      return;
    }
    if (status < 200 || (status >= 300 && status < 400)) {
      ledger.fail(DOOR, n, "undefined-status", "status " + status + ": " + description);
      return;
    }
    boolean yaml = status == 200 && path.startsWith("/openapi.yaml");
    if (!method.equals("HEAD") && !yaml) {
      JsonNode json;
      try {
        json = JSON.readTree(response.body());
      } catch (IOException e) {
        json = null;
      }
      if (json == null || json.isMissingNode()) {
        ledger.fail(
            DOOR,
            n,
            "json-body",
            "status " + status + " body not JSON " + preview(response.body()) + ": " + description);
        return;
      }
      if (status >= 400 && json.path("code").asInt() != status) {
        ledger.fail(
            DOOR,
            n,
            "error-body",
            "status "
                + status
                + " with error body "
                + preview(response.body())
                + ": "
                + description);
        return;
      }
    }
    ledger.outcome(DOOR, description, "status " + status);
  }

  private static String preview(byte[] body) {
    return "'" + Ledger.abbreviate(new String(body, StandardCharsets.UTF_8)) + "'";
  }

  private String path(Random random, long n) {
    String id = id(random, n);
    return switch (random.nextInt(14)) {
      case 0, 1, 2 -> "/devices/" + id + "/shadow";
      case 3, 4 ->
          "/devices/"
              + id
              + "/shadows/"
              + (random.nextInt(4) == 0 ? encoded(random) : "s" + random.nextInt(3));
      case 5, 6 -> "/devices/" + id + "/commands";
      case 7 ->
          "/commands/"
              + (random.nextBoolean()
                  ? encoded(random)
                  : java.util.UUID.nameUUIDFromBytes(Inputs.bytes(random, 8)));
      case 8 -> "/devices" + query(random);
      case 9 ->
          new String[] {
                "/health",
                "/ready",
                "/openapi.yaml",
                "/",
                "",
                "/devices/",
                "/commands",
                "/commands/"
              }
              [random.nextInt(8)];
      case 10 ->
          "/devices/"
              + id
              + "/shadow"
              + new String[] {"/", "/x", "s", "/../../health", "?x=1", "#frag"}[random.nextInt(6)];
      case 11 -> "/" + encoded(random) + "/" + encoded(random);
      case 12 -> "/devices/" + id + "/shadow" + query(random);
      default -> "/" + "a/".repeat(random.nextInt(500)) + "b";
    };
  }

  /** A device id: this run's own (unique per input), or one that breaks the rule. */
  private String id(Random random, long n) {
    return switch (random.nextInt(8)) {
      case 0 -> encoded(random);
      case 1 -> Inputs.idChars(random, 65 + random.nextInt(300));
      case 2 ->
          new String[] {"..", ".", "%2F", "%00", "%20", "-", "_", "%2e%2e", "a%2Fb"}
              [random.nextInt(9)];
      default -> runId + "-r" + n;
    };
  }

  private static String encoded(Random random) {
    String text =
        random.nextBoolean()
            ? Inputs.text(random, 1 + random.nextInt(40))
            : new String(Inputs.bytes(random, 1 + random.nextInt(20)), StandardCharsets.ISO_8859_1);
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String query(Random random) {
    String[] queries = {
      "",
      "?connected=true",
      "?connected=maybe",
      "?limit=0",
      "?limit=-1",
      "?limit=99999999999",
      "?limit=abc",
      "?local",
      "?limit=5&connected=false",
      "?&&&",
      "?a=%ZZ",
      "?limit=1e3"
    };
    String q = queries[random.nextInt(queries.length)];
    return q.contains("%ZZ") ? "?" + encoded(random) + "=" + encoded(random) : q;
  }

  private static String contentType(Random random) {
    String[] types = {
      "application/json",
      "application/json; charset=utf-8",
      "text/plain",
      "application/xml",
      "application/json; charset=latin1",
      "*/*",
      "",
      "multipart/form-data; boundary=x"
    };
    return random.nextInt(5) == 0 ? null : types[random.nextInt(types.length)];
  }

  private static String headerValue(Random random) {
    int length = random.nextInt(20) == 0 ? 4000 + random.nextInt(4000) : random.nextInt(60);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append((char) (0x20 + random.nextInt(0x5f)));
    }
    return out.toString().trim();
  }

  private static byte[] body(Random random) {
    return switch (random.nextInt(12)) {
      case 0 -> new byte[0];
      case 1 -> Inputs.utf8(Inputs.badJson(random));
      case 2 ->
          Inputs.utf8(
              Inputs.deepJson(random, 1 + random.nextInt(random.nextBoolean() ? 20 : 3000)));
      case 3 -> Inputs.bytes(random, Inputs.size(random, 64 * 1024));
      case 4 -> Inputs.notUtf8(random);
      case 5 ->
          Inputs.utf8(
              "{\"name\":"
                  + Inputs.scalar(random)
                  + ",\"ttlSeconds\":"
                  + Inputs.scalar(random)
                  + "}");
      case 6 ->
          Inputs.utf8(
              "{\"name\":\"reboot\",\"payload\":"
                  + Inputs.shadowDocument(random)
                  + ",\"commandId\":"
                  + Inputs.scalar(random)
                  + "}");
      case 7 ->
          Inputs.utf8(
              "{\"name\":\""
                  + Inputs.idChars(random, 1 + random.nextInt(300))
                  + "\",\"ttlSeconds\":"
                  + (random.nextInt(1000) - 10)
                  + "}");
      case 8 ->
          Inputs.utf8(
              "x"
                  .repeat(
                      64 * 1024 + 1 + random.nextInt(random.nextInt(10) == 0 ? 1_000_000 : 1000)));
      default -> Inputs.utf8(Inputs.shadowDocument(random));
    };
  }
}
