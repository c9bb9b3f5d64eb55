package org.iotbackbone.ingestbridge.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy in front of the real schema registry that answers 503 Service Unavailable while it
 * is told to: the registry's hiccup (a restart, an overloaded node behind a load balancer), made on
 * demand. Otherwise every request goes to the registry as it came.
 */
final class RegistryProxy implements AutoCloseable {

  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "host",
          "content-length",
          "connection",
          "transfer-encoding",
          "expect",
          "upgrade",
          "keep-alive",
          "http2-settings",
          "te");

  private final HttpServer server;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final URI target;
  private volatile boolean failing;
  private final AtomicInteger refused = new AtomicInteger();

  /** A proxy to the registry whose Apicurio API is at {@code apicurioApiUrl}. */
  RegistryProxy(String apicurioApiUrl) throws IOException {
    this.target = URI.create(apicurioApiUrl);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", this::handle);
    server.start();
  }

  /** The Apicurio API through the proxy. */
  String apicurioApiUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + target.getPath();
  }

  /** While true, every request is answered 503. */
  void failing(boolean failing) {
    this.failing = failing;
  }

  /** Requests answered 503 so far. */
  int refused() {
    return refused.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (failing) {
        refused.incrementAndGet();
        reply(
            exchange,
            503,
            Map.of("Content-Type", List.of("application/json")),
            "{\"error_code\":503,\"message\":\"registry hiccup (test)\"}"
                .getBytes(StandardCharsets.UTF_8));
        return;
      }
      URI uri =
          URI.create(
              target.getScheme()
                  + "://"
                  + target.getAuthority()
                  + exchange.getRequestURI().toString());
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(30))
              .method(
                  exchange.getRequestMethod(),
                  body.length == 0
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      exchange
          .getRequestHeaders()
          .forEach(
              (name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                  values.forEach(value -> request.header(name, value));
                }
              });
      HttpResponse<byte[]> response;
      try {
        response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      reply(exchange, response.statusCode(), response.headers().map(), response.body());
    }
  }

  private static void reply(
      HttpExchange exchange, int status, Map<String, List<String>> headers, byte[] body)
      throws IOException {
    headers.forEach(
        (name, values) -> {
          if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
            exchange.getResponseHeaders().put(name, values);
          }
        });
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
