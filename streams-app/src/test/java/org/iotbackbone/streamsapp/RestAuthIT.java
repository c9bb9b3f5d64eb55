package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.HostInfo;
import org.iotbackbone.schemas.config.KeyStores;
import org.iotbackbone.schemas.topics.TopicSetup;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.SelfSignedCertificate;
import org.iotbackbone.servers.junit.SharedServers;
import org.iotbackbone.streamsapp.internal.auth.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The app as a deployment without an ingress runs it: two instances, tokens verified against the
 * identity provider's JWKS URL (a tiny HTTP server here), and the REST listeners speaking TLS with
 * a key store made by the JDK's keytool; a read reaching the instance that does not own its key is
 * forwarded over https with the caller's token, the forwarding client trusting the listeners'
 * certificate through {@code http.tls.truststore.file}. The token rules themselves are {@code
 * ShadowApiIT}'s (key file).
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
  private static final List<StreamsApp> APPS = new ArrayList<>();
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
    // One certificate for both listeners (it names 127.0.0.1, their advertised host).
    Path keyStore = SelfSignedCertificate.keyStore(dir.resolve("rest.p12"), "rest", PASSWORD);
    Path trustStore =
        SelfSignedCertificate.trustStore(keyStore, "rest", PASSWORD, dir.resolve("trust.p12"));

    for (int i = 0; i < 2; i++) {
      Map<String, Object> settings = new HashMap<>();
      settings.put("bootstrap.servers", kafka.bootstrapServers());
      settings.put("schema.registry.url", registry.apicurioApiUrl());
      settings.put("application.id", "streams-app-auth-it-" + RUN);
      settings.put("state.dir", dir.resolve("state-" + i).toString());
      settings.put("http.host", "127.0.0.1");
      settings.put("http.port", "0");
      settings.put("num.standby.replicas", "0");
      settings.put("topics.replication.factor", "1");
      settings.put("commit.interval.ms", "50");
      settings.put("http.request.timeout.ms", "60000");
      settings.put(
          "http.auth.jwks.url",
          "http://127.0.0.1:" + jwks.getAddress().getPort() + "/.well-known/jwks.json");
      settings.put("http.auth.issuer", TestTokens.ISSUER);
      settings.put("http.auth.audience", TestTokens.AUDIENCE);
      settings.put("http.tls.keystore.file", keyStore.toString());
      settings.put("http.tls.keystore.password", PASSWORD);
      settings.put("http.tls.truststore.file", trustStore.toString());
      settings.put("http.tls.truststore.password", PASSWORD);
      // One after the other: the second joins a running group (one rebalance, not racing ones).
      APPS.add(new StreamsApp(new StreamsAppConfig(settings)).start(Duration.ofMinutes(5)));
    }
    app = APPS.get(0);
    https =
        HttpClient.newBuilder()
            .sslContext(
                KeyStores.trusting(KeyStores.load(trustStore, PASSWORD.toCharArray(), "PKCS12")))
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    APPS.forEach(StreamsApp::close);
    if (jwks != null) {
      jwks.stop(0);
    }
    org.apache.kafka.common.utils.Utils.delete(dir.toFile());
  }

  @Test
  void aTokenOfTheProvidersKeyIsAcceptedOverTls() throws Exception {
    String path = "/devices/nobody-" + RUN + "/shadow";
    HttpResponse<String> read = get(path, IDP.bearer("shadows:read", null));
    // Past the token checks, answered by the store: there is no such shadow.
    assertThat(read.statusCode()).as(read.body()).isEqualTo(404);
    assertThat(JWKS_FETCHES.get()).isPositive();

    // A list asks every instance: one may still be taking its partitions (503, CI) after the key's
    // owner answered; send() waits that out as for the read above.
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

  @Test
  void aReadOnTheInstanceNotOwningTheShadowIsForwardedOverTlsWithTheCallersToken()
      throws Exception {
    String device = "tls-" + RUN + "-lamp";
    String path = "/devices/" + device + "/shadow";
    String writer = IDP.bearer("shadows:write", "tls-*");
    HttpResponse<String> update =
        send(app, path, writer, "{\"state\":{\"desired\":{\"color\":\"red\"}}}");
    assertThat(update.statusCode()).as(update.body()).isEqualTo(200);

    StreamsApp owner = ownerOf(device);
    StreamsApp notOwner = APPS.stream().filter(a -> a != owner).findFirst().orElseThrow();
    String reader = IDP.bearer("shadows:read", "tls-*");
    // The owner checks the forwarded token again: 200 here means it came along, over https to a
    // listener the forwarding client trusts by the configured trust store.
    HttpResponse<String> read =
        await()
            .atMost(WAIT)
            .until(() -> send(notOwner, path, reader, null), r -> r.statusCode() == 200);
    assertThat(read.body()).contains("\"color\":\"red\"");

    // Forwarding widens nothing: a token for other devices is refused before it is forwarded,
    // and a request claiming to be forwarded is checked like any other.
    assertThat(send(notOwner, path, IDP.bearer("shadows:read", "speaker-*"), null).statusCode())
        .isEqualTo(403);
    assertThat(send(notOwner, path, IDP.bearer("devices:read", null), null).statusCode())
        .isEqualTo(403);
    assertThat(forwardedTo(owner, path, null).statusCode()).isEqualTo(401);
    assertThat(forwardedTo(owner, path, IDP.bearer("shadows:read", "speaker-*")).statusCode())
        .isEqualTo(403);
    assertThat(forwardedTo(owner, path, reader).statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> get(String path, String authorization) throws Exception {
    return send(app, path, authorization, null);
  }

  /** A GET (body null) or POST of the body to an instance, over https; a 503 is waited out. */
  private static HttpResponse<String> send(
      StreamsApp to, String path, String authorization, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + to.hostInfo().port() + path))
            .timeout(Duration.ofSeconds(90));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (body != null) {
      request.POST(HttpRequest.BodyPublishers.ofString(body));
    }
    HttpRequest built = request.build();
    return RetryAfter.honoured(() -> https.send(built, HttpResponse.BodyHandlers.ofString()));
  }

  /** A GET as another instance forwards it (the forwarded header), straight to the owner. */
  private static HttpResponse<String> forwardedTo(StreamsApp owner, String path, String bearer)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + owner.hostInfo().port() + path))
            .header("X-Iot-Forwarded", "1")
            .timeout(Duration.ofSeconds(90));
    if (bearer != null) {
      request.header("Authorization", bearer);
    }
    return https.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static StreamsApp ownerOf(String device) {
    HostInfo owner =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    app.streams()
                        .queryMetadataForKey(
                            ShadowTopology.SHADOW_STORE, device, Serdes.String().serializer())
                        .activeHost(),
                host -> host != null && host.port() > 0);
    return APPS.stream().filter(a -> a.hostInfo().equals(owner)).findFirst().orElseThrow();
  }
}
