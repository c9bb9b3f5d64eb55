package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
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
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.iotbackbone.schemas.topics.TopicSetup;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.junit.SharedServers;
import org.iotbackbone.streamsapp.internal.auth.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The app as a deployment without an ingress runs it: tokens verified against the identity
 * provider's JWKS URL (a tiny HTTP server here), and the REST listener speaking TLS with a key
 * store made by the JDK's keytool. The token rules themselves are {@code ShadowApiIT}'s (key file).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RestAuthIT {

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String PASSWORD = "it-secret";
  private static final TestTokens IDP = new TestTokens("idp-key-1");
  private static final AtomicInteger JWKS_FETCHES = new AtomicInteger();
  private static Path dir;
  private static HttpServer jwks;
  private static StreamsApp app;
  private static HttpClient https;

  @BeforeAll
  static void start() throws Exception {
    KafkaBroker kafka = SharedServers.kafka();
    SchemaRegistry registry = SharedServers.schemaRegistry();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      TopicSetup.createMissing(admin, Topics.all(1), (short) 1);
    }
    dir = Files.createTempDirectory("rest-auth-it");
    jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    jwks.createContext(
        "/.well-known/jwks.json",
        exchange -> {
          JWKS_FETCHES.incrementAndGet();
          byte[] body = IDP.jwks().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    jwks.start();
    Path keyStore = keyStore(dir);

    Map<String, Object> settings = new HashMap<>();
    settings.put("bootstrap.servers", kafka.bootstrapServers());
    settings.put("schema.registry.url", registry.apicurioApiUrl());
    settings.put("application.id", "streams-app-auth-it-" + RUN);
    settings.put("state.dir", dir.resolve("state").toString());
    settings.put("http.host", "127.0.0.1");
    settings.put("http.port", "0");
    settings.put("num.standby.replicas", "0");
    settings.put("topics.replication.factor", "1");
    settings.put(
        "http.auth.jwks.url",
        "http://127.0.0.1:" + jwks.getAddress().getPort() + "/.well-known/jwks.json");
    settings.put("http.auth.issuer", TestTokens.ISSUER);
    settings.put("http.auth.audience", TestTokens.AUDIENCE);
    settings.put("http.tls.keystore.file", keyStore.toString());
    settings.put("http.tls.keystore.password", PASSWORD);
    app = new StreamsApp(new StreamsAppConfig(settings)).start(Duration.ofMinutes(5));
    https = HttpClient.newBuilder().sslContext(trusting(keyStore)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    if (jwks != null) {
      jwks.stop(0);
    }
    org.apache.kafka.common.utils.Utils.delete(dir.toFile());
  }

  @Test
  void aTokenOfTheProvidersKeyIsAcceptedOverTls() throws Exception {
    String path = "/devices/nobody-" + RUN + "/shadow";
    HttpResponse<String> read =
        await()
            .atMost(WAIT)
            .until(() -> get(path, IDP.bearer("shadows:read", null)), r -> r.statusCode() != 503);
    // Past the token checks, answered by the store: there is no such shadow.
    assertThat(read.statusCode()).as(read.body()).isEqualTo(404);
    assertThat(JWKS_FETCHES.get()).isPositive();

    HttpResponse<String> list = get("/devices?limit=5", IDP.bearer("devices:read", "nobody-*"));
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
  }

  @Test
  void tokensTheProviderDidNotSignAre401() throws Exception {
    String path = "/devices/lamp-" + RUN + "/shadow";
    HttpResponse<String> other =
        get(path, new TestTokens("idp-key-1").bearer("shadows:read", null));
    assertThat(other.statusCode()).isEqualTo(401);
    assertThat(other.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("invalid_token");
    HttpResponse<String> unknownKey =
        get(path, new TestTokens("idp-key-2").bearer("shadows:read", null));
    assertThat(unknownKey.statusCode()).isEqualTo(401);
    assertThat(get(path, null).statusCode()).isEqualTo(401);
    assertThat(get(path, IDP.bearer("devices:read", null)).statusCode()).isEqualTo(403);
    assertThat(get("/health", null).statusCode()).isEqualTo(200);
  }

  @Test
  void theListenerSpeaksOnlyTls() {
    URI plain = URI.create("http://127.0.0.1:" + app.hostInfo().port() + "/health");
    assertThatThrownBy(
            () ->
                HttpClient.newHttpClient()
                    .send(
                        HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.io.IOException.class);
    // And a client that does not trust the certificate refuses the server.
    URI secure = URI.create("https://127.0.0.1:" + app.hostInfo().port() + "/health");
    assertThatThrownBy(
            () ->
                HttpClient.newHttpClient()
                    .send(
                        HttpRequest.newBuilder(secure).timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
  }

  private static HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + app.hostInfo().port() + path))
            .timeout(Duration.ofSeconds(60));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return https.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A PKCS12 key store with a self-signed EC certificate for 127.0.0.1, made by keytool. */
  private static Path keyStore(Path dir) throws Exception {
    Path file = dir.resolve("rest.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "rest",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "san=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                file.toString(),
                "-storepass",
                PASSWORD)
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return file;
  }

  /** A client context trusting the key store's certificate only. */
  private static SSLContext trusting(Path keyStore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("rest", store.getCertificate("rest"));
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
