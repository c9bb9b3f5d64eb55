package org.iotbackbone.servers;

import com.sun.net.httpserver.HttpExchange;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An HTTPS endpoint on 127.0.0.1 that asks for HTTP basic credentials and passes what it accepts on
 * to a plain-HTTP server: what an ingress or reverse proxy with TLS and a login does in front of a
 * schema registry, for tests of the clients' credentials and trust settings.
 *
 * <p>Its certificate is self-signed for 127.0.0.1 and localhost, made at start with the JDK's
 * {@code keytool}; {@link #trustStorePem()} and {@link #trustStorePkcs12()} hold it for clients. A
 * request without the credentials gets 401 with {@code WWW-Authenticate: Basic}.
 */
public final class HttpsGateway implements AutoCloseable {

  /** The password of the PKCS12 files the gateway writes. */
  public static final String STORE_PASSWORD = "gateway-store";

  private static final Set<String> PASSED_HEADERS = Set.of("content-type", "accept");

  private final URI upstream;
  private final String expectedAuthorization;
  private final Path dir;
  private final HttpClient client;
  private final ExecutorService executor;
  private final HttpsServer server;

  private HttpsGateway(URI upstream, String user, String password, Path dir) throws Exception {
    this.upstream = upstream;
    this.expectedAuthorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.dir = dir;
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    makeCertificate();
    this.executor = Executors.newFixedThreadPool(4);
    this.server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext()));
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Starts a gateway to {@code upstream} (an http URL's scheme, host and port; the request's path
   * is kept) that lets in {@code user} with {@code password}, its certificate files in {@code dir}.
   */
  public static HttpsGateway start(String upstream, String user, String password, Path dir)
      throws Exception {
    URI target = URI.create(upstream);
    Files.createDirectories(dir);
    return new HttpsGateway(
        URI.create(target.getScheme() + "://" + target.getAuthority()), user, password, dir);
  }

  /**
   * The gateway's address for an upstream URL: the same path and query on {@code
   * https://127.0.0.1:PORT}.
   */
  public String urlFor(String upstreamUrl) {
    URI uri = URI.create(upstreamUrl);
    return "https://127.0.0.1:"
        + server.getAddress().getPort()
        + uri.getRawPath()
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  /** The gateway's certificate, PEM: a trust store of type PEM. */
  public Path trustStorePem() {
    return dir.resolve("gateway.crt");
  }

  /** The gateway's certificate in a PKCS12 trust store, password {@link #STORE_PASSWORD}. */
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
      if (!expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"registry\"");
        reply(
            exchange, 401, "application/json", "{\"error_code\":401,\"message\":\"Unauthorized\"}");
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
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
  private void makeCertificate() throws IOException, InterruptedException {
    Path keyStore = dir.resolve("gateway.p12");
    Files.deleteIfExists(keyStore);
    Files.deleteIfExists(trustStorePem());
    Files.deleteIfExists(trustStorePkcs12());
    keytool(
        "-genkeypair",
        "-alias",
        "gateway",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2",
        "-keystore",
        keyStore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        STORE_PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "gateway",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-file",
        trustStorePem().toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "gateway",
        "-file",
        trustStorePem().toString(),
        "-keystore",
        trustStorePkcs12().toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        STORE_PASSWORD);
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + output);
    }
  }

  private SSLContext serverContext() throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve("gateway.p12"))) {
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
