package org.iotbackbone.servers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP front on 127.0.0.1 for a schema registry (or any plain-HTTP server), passing every
 * request on: what a load balancer, ingress or reverse proxy does in front of a registry, for tests
 * of the clients.
 *
 * <ul>
 *   <li>{@link #failing(boolean)}: while set, it answers 503 instead, a registry's hiccup (a
 *       restart, an overloaded node behind the balancer) made on demand.
 *   <li>{@link #https}: it serves TLS and asks for HTTP basic credentials (401 with {@code
 *       WWW-Authenticate: Basic} without them). Its certificate is self-signed for 127.0.0.1 and
 *       localhost, made at start with the JDK's {@code keytool}; {@link #trustStorePem()} and
 *       {@link #trustStorePkcs12()} hold it for clients.
 * </ul>
 */
public final class RegistryFront implements AutoCloseable {

  /** The password of the PKCS12 files an HTTPS front writes. */
  public static final String STORE_PASSWORD = "gateway-store";

  private static final Set<String> PASSED_HEADERS = Set.of("content-type", "accept");

  private final URI upstream;
  private final String expectedAuthorization;
  private final Path dir;
  private final HttpClient client;
  private final ExecutorService executor;
  private final HttpServer server;
  private volatile boolean failing;
  private final AtomicInteger refused = new AtomicInteger();

  private RegistryFront(URI upstream, String user, String password, Path dir) throws Exception {
    this.upstream = upstream;
    this.expectedAuthorization =
        user == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.dir = dir;
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.executor = Executors.newFixedThreadPool(4);
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (dir == null) {
      this.server = HttpServer.create(address, 50);
    } else {
      makeCertificate();
      HttpsServer https = HttpsServer.create(address, 50);
      https.setHttpsConfigurator(new HttpsConfigurator(serverContext()));
      this.server = https;
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * A plain-HTTP front for {@code upstream} (an http URL; its scheme, host and port are used, the
   * request's path is kept) that lets everybody in.
   */
  public static RegistryFront plain(String upstream) throws Exception {
    return new RegistryFront(origin(upstream), null, null, null);
  }

  /**
   * An HTTPS front for {@code upstream} that lets in {@code user} with {@code password}, its
   * certificate files in {@code dir}.
   */
  public static RegistryFront https(String upstream, String user, String password, Path dir)
      throws Exception {
    Files.createDirectories(dir);
    return new RegistryFront(origin(upstream), user, password, dir);
  }

  private static URI origin(String url) {
    URI target = URI.create(url);
    return URI.create(target.getScheme() + "://" + target.getAuthority());
  }

  /**
   * The front's address for an upstream URL: the same path and query on {@code
   * http(s)://127.0.0.1:PORT}.
   */
  public String urlFor(String upstreamUrl) {
    URI uri = URI.create(upstreamUrl);
    return (dir == null ? "http" : "https")
        + "://127.0.0.1:"
        + server.getAddress().getPort()
        + uri.getRawPath()
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  /** While true, every request is answered 503 Service Unavailable. */
  public void failing(boolean failing) {
    this.failing = failing;
  }

  /** How many requests were answered 503 so far. */
  public int refused() {
    return refused.get();
  }

  /** The front's certificate, PEM: a trust store of type PEM. */
  public Path trustStorePem() {
    return dir.resolve("gateway.crt");
  }

  /** The front's certificate in a PKCS12 trust store, password {@link #STORE_PASSWORD}. */
  public Path trustStorePkcs12() {
    return dir.resolve("gateway-trust.p12");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (expectedAuthorization != null
          && !expectedAuthorization.equals(
              exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"registry\"");
        reply(
            exchange, 401, "application/json", "{\"error_code\":401,\"message\":\"Unauthorized\"}");
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (failing) {
        refused.incrementAndGet();
        reply(
            exchange,
            503,
            "application/json",
            "{\"error_code\":50301,\"message\":\"registry hiccup (test)\"}");
        return;
      }
      HttpRequest.Builder request =
          HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
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
                if (PASSED_HEADERS.contains(name.toLowerCase())) {
                  values.forEach(value -> request.header(name, value));
                }
              });
      HttpResponse<byte[]> response;
      try {
        response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        reply(exchange, 502, "text/plain", "upstream: " + e);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        reply(exchange, 503, "text/plain", "interrupted");
        return;
      }
      response
          .headers()
          .firstValue("Content-Type")
          .ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
      byte[] answer = response.body();
      exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    }
  }

  private static void reply(HttpExchange exchange, int status, String type, String text)
      throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** A key pair and self-signed certificate, its PEM, and a trust store holding it. */
  private void makeCertificate() throws Exception {
    Path keyStore = SelfSignedCertificate.keyStore(keyStore(), "gateway", STORE_PASSWORD);
    SelfSignedCertificate.pem(keyStore, "gateway", STORE_PASSWORD, trustStorePem());
    Files.deleteIfExists(trustStorePkcs12());
    SelfSignedCertificate.trustStore(keyStore, "gateway", STORE_PASSWORD, trustStorePkcs12());
  }

  private Path keyStore() {
    return dir.resolve("gateway.p12");
  }

  private SSLContext serverContext() throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore())) {
      keys.load(in, STORE_PASSWORD.toCharArray());
    }
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, STORE_PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(factory.getKeyManagers(), null, null);
    return context;
  }
}
