package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.iotbackbone.schemas.config.CommonSettings;
import org.iotbackbone.schemas.config.ConfigTable;
import org.iotbackbone.streamsapp.internal.auth.TestTokens;
import org.iotbackbone.streamsapp.internal.auth.Unauthorized;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamsAppConfigTest {

  /** The required keys, and authentication off: these tests are about other keys. */
  private static final Map<String, String> REQUIRED =
      Map.of(
          "IOT_STREAMS_BOOTSTRAP_SERVERS", "k1:9092,k2:9092",
          "IOT_STREAMS_SCHEMA_REGISTRY_URL", "http://registry:8080/apis/registry/v3",
          "IOT_STREAMS_HTTP_AUTH_ENABLED", "false");

  private static Map<String, String> withAuth() {
    Map<String, String> env = new java.util.HashMap<>(REQUIRED);
    env.remove("IOT_STREAMS_HTTP_AUTH_ENABLED");
    return env;
  }

  @Test
  void authenticationIsOnByDefaultAndEachMissingSettingIsNamed(@TempDir Path dir) {
    Map<String, String> env = withAuth();
    assertThatThrownBy(() -> StreamsAppConfig.load(null, env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.auth.issuer");
    env.put("IOT_STREAMS_HTTP_AUTH_ISSUER", TestTokens.ISSUER);
    assertThatThrownBy(() -> StreamsAppConfig.load(null, env))
        .hasMessageContaining("http.auth.audience");
    env.put("IOT_STREAMS_HTTP_AUTH_AUDIENCE", TestTokens.AUDIENCE);
    assertThatThrownBy(() -> StreamsAppConfig.load(null, env))
        .hasMessageContaining("http.auth.public.key.file")
        .hasMessageContaining("http.auth.jwks.url");
    env.put("IOT_STREAMS_HTTP_AUTH_JWKS_URL", "https://idp.example/jwks");
    TestTokens tokens = new TestTokens();
    env.put("IOT_STREAMS_HTTP_AUTH_PUBLIC_KEY_FILE", tokens.writePem(dir).toString());
    assertThatThrownBy(() -> StreamsAppConfig.load(null, env)).hasMessageContaining("exactly one");
    env.remove("IOT_STREAMS_HTTP_AUTH_JWKS_URL");
    StreamsAppConfig config = StreamsAppConfig.load(null, env);
    assertThat(config.httpSecurity().tlsEnabled()).isFalse();
    assertThat(config.httpSecurity().authenticator().apply(tokens.allScopes()).scopes()).hasSize(6);
    assertThatThrownBy(() -> config.httpSecurity().authenticator().apply(null))
        .isInstanceOf(Unauthorized.class);
  }

  @Test
  void aBadKeyFileOrJwksUrlIsNamed(@TempDir Path dir) throws Exception {
    Map<String, String> env = withAuth();
    env.put("IOT_STREAMS_HTTP_AUTH_ISSUER", "i");
    env.put("IOT_STREAMS_HTTP_AUTH_AUDIENCE", "a");
    env.put("IOT_STREAMS_HTTP_AUTH_PUBLIC_KEY_FILE", dir.resolve("missing.pem").toString());
    assertThatThrownBy(() -> StreamsAppConfig.load(null, env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.auth.public.key.file");
    env.put(
        "IOT_STREAMS_HTTP_AUTH_PUBLIC_KEY_FILE",
        Files.writeString(dir.resolve("junk.pem"), "junk").toString());
    assertThatThrownBy(() -> StreamsAppConfig.load(null, env))
        .hasMessageContaining("http.auth.public.key.file");
    env.remove("IOT_STREAMS_HTTP_AUTH_PUBLIC_KEY_FILE");
    env.put("IOT_STREAMS_HTTP_AUTH_JWKS_URL", "idp.example/jwks");
    assertThatThrownBy(() -> StreamsAppConfig.load(null, env))
        .hasMessageContaining("http.auth.jwks.url");
  }

  @Test
  void authenticationOffLetsEveryRequestThrough() {
    StreamsAppConfig config = StreamsAppConfig.load(null, REQUIRED);
    assertThat(config.httpSecurity().authenticator().apply(null).mayAccess("any")).isTrue();
  }

  @Test
  void aKeyStoreNeedsItsPasswordAndMustLoad(@TempDir Path dir) throws Exception {
    Map<String, String> env = new java.util.HashMap<>(REQUIRED);
    env.put("IOT_STREAMS_HTTP_TLS_KEYSTORE_FILE", dir.resolve("none.p12").toString());
    assertThatThrownBy(() -> StreamsAppConfig.load(null, env))
        .hasMessageContaining("http.tls.keystore.password");
    env.put("IOT_STREAMS_HTTP_TLS_KEYSTORE_PASSWORD", "secret");
    assertThatThrownBy(() -> StreamsAppConfig.load(null, env))
        .hasMessageContaining("http.tls.keystore.file");
  }

  @Test
  void aTrustStoreNeedsTlsOnTheListenerAndMustLoad(@TempDir Path dir) throws Exception {
    Map<String, String> env = new java.util.HashMap<>(REQUIRED);
    Path junk = Files.writeString(dir.resolve("trust.p12"), "not a key store");
    env.put("IOT_STREAMS_HTTP_TLS_TRUSTSTORE_FILE", junk.toString());
    // Without a key store the listeners speak plain HTTP: a trust store would do nothing.
    assertThatThrownBy(() -> StreamsAppConfig.load(null, env))
        .hasMessageContaining("http.tls.truststore.file")
        .hasMessageContaining("http.tls.keystore.file");

    java.security.KeyStore empty = java.security.KeyStore.getInstance("PKCS12");
    empty.load(null, null);
    Path keyStore = dir.resolve("empty.p12");
    try (java.io.OutputStream out = Files.newOutputStream(keyStore)) {
      empty.store(out, "secret".toCharArray());
    }
    Path emptyTrust = dir.resolve("empty-trust.p12");
    Files.copy(keyStore, emptyTrust);
    assertThatThrownBy(
            () ->
                org.iotbackbone.streamsapp.internal.rest.ServerTls.trusting(
                    emptyTrust, "secret".toCharArray(), "PKCS12"))
        .hasMessageContaining("no certificate");
    assertThatThrownBy(
            () -> org.iotbackbone.streamsapp.internal.rest.ServerTls.trusting(junk, null, "PKCS12"))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void theEnvironmentOverridesTheFileAndDefaultsFillTheRest(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("app.properties");
    Files.writeString(file, "shadow.max.depth=4\nhttp.port=9000\nkafka.replication.factor=3\n");
    Map<String, String> env = new java.util.HashMap<>(REQUIRED);
    env.put("IOT_STREAMS_HTTP_PORT", "9001");
    env.put("PATH", "/usr/bin");

    StreamsAppConfig config = StreamsAppConfig.load(file, env);
    assertThat(config.getInt(StreamsAppConfig.HTTP_PORT_CONFIG)).isEqualTo(9001);
    assertThat(config.shadowLimits())
        .isEqualTo(new ShadowLimits(4, 8192, 64, 10, Duration.ofSeconds(1)));
    assertThat(config.getList(StreamsAppConfig.BOOTSTRAP_SERVERS_CONFIG))
        .containsExactly("k1:9092", "k2:9092");
    assertThat(config.kafkaClients().overrides()).containsEntry("replication.factor", "3");
    assertThat(config.advertisedHost()).isEqualTo("localhost");
  }

  @Test
  void notRegisteringNeedsTheRegistrysConfluentApi() {
    Map<String, String> env = new java.util.HashMap<>(REQUIRED);
    env.put("IOT_STREAMS_SCHEMA_REGISTRY_AUTO_REGISTER", "false");
    assertThatThrownBy(() -> StreamsAppConfig.load(null, env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.auto.register")
        .hasMessageContaining("/apis/ccompat/v7");
    env.put("IOT_STREAMS_SCHEMA_REGISTRY_URL", "http://registry:8080/apis/ccompat/v7");
    assertThat(CommonSettings.schemaRegistry(StreamsAppConfig.load(null, env)).autoRegister())
        .isFalse();
  }

  @Test
  void aBadValueFailsNamingTheKey() {
    Map<String, String> env = new java.util.HashMap<>(REQUIRED);
    env.put("IOT_STREAMS_SHADOW_MAX_DEPTH", "zero");
    assertThatThrownBy(() -> StreamsAppConfig.load(null, env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("shadow.max.depth");
    env.put("IOT_STREAMS_SHADOW_MAX_DEPTH", "0");
    assertThatThrownBy(() -> StreamsAppConfig.load(null, env))
        .hasMessageContaining("shadow.max.depth");
  }

  @Test
  void thePerDeviceAndCommandLimitsAreDeclaredAndCheckedTogether() {
    Map<String, String> env = new java.util.HashMap<>(REQUIRED);
    env.put("IOT_STREAMS_SHADOW_MAX_NAMED", "3");
    env.put("IOT_STREAMS_SHADOW_MAX_DEVICE_BYTES", "65536");
    env.put("IOT_STREAMS_COMMAND_MAX_HISTORY", "8");
    StreamsAppConfig config = StreamsAppConfig.load(null, env);
    assertThat(config.shadowLimits().maxNamedShadows()).isEqualTo(3);
    assertThat(config.shadowLimits().maxDeviceBytes()).isEqualTo(65536);
    assertThat(config.commandLimits().maxHistory()).isEqualTo(8);
    assertThat(config.commandLimits().statusRetention()).isEqualTo(Duration.ofDays(7));

    // Over what the changelog takes (1 MiB with framing) is refused.
    env.put("IOT_STREAMS_SHADOW_MAX_DEVICE_BYTES", String.valueOf(1024 * 1024));
    assertThatThrownBy(() -> StreamsAppConfig.load(null, env))
        .hasMessageContaining("shadow.max.device.bytes");
    // Smaller than one shadow may be is refused too.
    env.put("IOT_STREAMS_SHADOW_MAX_DEVICE_BYTES", "4096");
    assertThatThrownBy(() -> StreamsAppConfig.load(null, env))
        .hasMessageContaining("shadow.max.device.bytes");
    env.remove("IOT_STREAMS_SHADOW_MAX_DEVICE_BYTES");
    env.put("IOT_STREAMS_STREAM_THREAD_BACKOFF_INITIAL_MS", "5000");
    env.put("IOT_STREAMS_STREAM_THREAD_BACKOFF_MAX_MS", "1000");
    assertThatThrownBy(() -> StreamsAppConfig.load(null, env))
        .hasMessageContaining("stream.thread.backoff.max.ms");
    // A longest wait past max.poll.interval.ms would throw the waiting member out of the group.
    env.put("IOT_STREAMS_STREAM_THREAD_BACKOFF_MAX_MS", "300000");
    assertThatThrownBy(() -> StreamsAppConfig.load(null, env))
        .hasMessageContaining("stream.thread.backoff.max.ms");
  }

  @Test
  void earlyCommandAnswersAreHeldForAGraceWithinBounds() {
    Map<String, String> env = new java.util.HashMap<>(REQUIRED);
    StreamsAppConfig defaults = StreamsAppConfig.load(null, env);
    assertThat(defaults.commandLimits().answerGrace()).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.commandLimits().maxHeldAnswers()).isEqualTo(10_000);

    env.put("IOT_STREAMS_COMMAND_ANSWER_GRACE_MS", "0");
    env.put("IOT_STREAMS_COMMAND_ANSWER_MAX_HELD", "50");
    StreamsAppConfig none = StreamsAppConfig.load(null, env);
    assertThat(none.commandLimits().answerGrace()).isZero();
    assertThat(none.commandLimits().maxHeldAnswers()).isEqualTo(50);

    // Longer than an hour would hold every answer of a lost command that long.
    env.put("IOT_STREAMS_COMMAND_ANSWER_GRACE_MS", "3600001");
    assertThatThrownBy(() -> StreamsAppConfig.load(null, env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("command.answer.grace.ms");
    env.put("IOT_STREAMS_COMMAND_ANSWER_GRACE_MS", "-1");
    assertThatThrownBy(() -> StreamsAppConfig.load(null, env))
        .hasMessageContaining("command.answer.grace.ms");
    env.remove("IOT_STREAMS_COMMAND_ANSWER_GRACE_MS");
    env.put("IOT_STREAMS_COMMAND_ANSWER_MAX_HELD", "-1");
    assertThatThrownBy(() -> StreamsAppConfig.load(null, env))
        .hasMessageContaining("command.answer.max.held");
  }

  @Test
  void anUnknownOrMissingKeyFailsNamingIt() {
    Map<String, String> env = new java.util.HashMap<>(REQUIRED);
    env.put("IOT_STREAMS_SHADOW_MAX_DEPHT", "5");
    assertThatThrownBy(() -> StreamsAppConfig.load(null, env))
        .hasMessageContaining("IOT_STREAMS_SHADOW_MAX_DEPHT");
    assertThatThrownBy(() -> StreamsAppConfig.load(null, Map.of()))
        .hasMessageContaining("bootstrap.servers");
    assertThatThrownBy(
            () ->
                new StreamsAppConfig(
                    Map.of("bootstrap.servers", "k:9092", "schema.registry.url", "registry:8080")))
        .hasMessageContaining("schema.registry.url");
  }

  @Test
  void kafkaSettingsFromTheEnvironmentReachEveryClient() {
    Map<String, String> env = new java.util.HashMap<>(REQUIRED);
    env.put("IOT_STREAMS_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
    env.put("IOT_STREAMS_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");

    StreamsAppConfig config = StreamsAppConfig.load(null, env);

    assertThat(config.kafkaClients().config(Map.of("linger.ms", 1)))
        .containsEntry("bootstrap.servers", "k1:9092,k2:9092")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("linger.ms", 1);
  }

  @Test
  void theOldStreamsPrefixIsNoLongerASetting() {
    Map<String, Object> settings = new java.util.HashMap<>();
    settings.put("bootstrap.servers", "k:9092");
    settings.put("schema.registry.url", "http://registry:8080/apis/registry/v3");
    settings.put("streams.replication.factor", "3");

    assertThatThrownBy(() -> new StreamsAppConfig(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("streams.replication.factor");
  }

  @Test
  void aBootstrapServerWithoutAPortIsRefused() {
    Map<String, String> env = new java.util.HashMap<>(REQUIRED);
    env.put("IOT_STREAMS_BOOTSTRAP_SERVERS", "k1");

    assertThatThrownBy(() -> StreamsAppConfig.load(null, env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bootstrap.servers");
  }

  @Test
  void everyKeyIsARowOfTheReadmeTable() {
    String table =
        ConfigTable.markdown(
            StreamsAppConfig.configDef(), Optional.of(StreamsAppConfig.environmentRule()));
    for (String key : StreamsAppConfig.configDef().names()) {
      assertThat(table).contains("| `" + key + "` | `IOT_STREAMS_");
    }
    assertThat(table).contains("| `kafka.*` | `IOT_STREAMS_KAFKA_*` |");
  }

  @Test
  void everyKeyIsDocumented() {
    StreamsAppConfig.DEFINITION
        .configKeys()
        .values()
        .forEach(key -> assertThat(key.documentation).as(key.name).isNotBlank());
  }
}
