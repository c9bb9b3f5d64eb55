package org.iotbackbone.ingestbridge.internal.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /metrics} (Prometheus text), {@code /health} (200 while the process works, 503 once it
 * stops) and {@code /ready} (200 when every broker connection is up and Kafka answers; 503 with
 * what is missing otherwise), on the JDK's HTTP server.
 */
public final class HttpEndpoints implements AutoCloseable {

  private final HttpServer server;

  public HttpEndpoints(
      int port,
      Supplier<String> metrics,
      BooleanSupplier healthy,
      Supplier<String> notReadyReason) {
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on http port " + port, e);
    }
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "http");
              t.setDaemon(true);
              return t;
            }));
    server.createContext(
        "/metrics", exchange -> respond(exchange, 200, "text/plain; version=0.0.4", metrics.get()));
    server.createContext(
        "/health",
        exchange -> {
          boolean ok = healthy.getAsBoolean();
          respond(exchange, ok ? 200 : 503, "text/plain", ok ? "UP\n" : "DOWN\n");
        });
    server.createContext(
        "/ready",
        exchange -> {
          String reason = notReadyReason.get();
          respond(
              exchange,
              reason == null ? 200 : 503,
              "text/plain",
              reason == null ? "READY\n" : reason + "\n");
        });
  }

  public void start() {
    server.start();
  }

  /** The port it listens on (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
