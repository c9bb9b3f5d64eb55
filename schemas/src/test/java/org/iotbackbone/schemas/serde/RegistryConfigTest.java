package org.iotbackbone.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.iotbackbone.schemas.config.CommonSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryConfigTest {

  @Test
  void theApiIsToldByTheUrlsPathOrSaidOutright() {
    assertThat(RegistryConfig.of("http://r:8080/apis/registry/v3").api())
        .isEqualTo(RegistryConfig.Api.APICURIO);
    assertThat(RegistryConfig.of("http://r:8080/apis/ccompat/v7").api())
        .isEqualTo(RegistryConfig.Api.CONFLUENT);
    assertThat(RegistryConfig.of("https://registry.example.com").api())
        .isEqualTo(RegistryConfig.Api.CONFLUENT);
    assertThat(
            settings(Map.of("schema.registry.url", "http://r/x", "schema.registry.api", "Apicurio"))
                .api())
        .isEqualTo(RegistryConfig.Api.APICURIO);
  }

  @Test
  void theSettingsBecomeTheConfigAndThePasswordIsNeverPrinted(@TempDir Path dir) throws Exception {
    Path store = Files.writeString(dir.resolve("ca.pem"), "not read here");
    RegistryConfig registry =
        settings(
            Map.of(
                "schema.registry.url", "https://r:8081",
                "schema.registry.auto.register", "false",
                "schema.registry.basic.auth.user.info", "svc:pa:ss",
                "schema.registry.ssl.truststore.location", store.toString(),
                "schema.registry.ssl.truststore.type", "pem"));
    assertThat(registry.autoRegister()).isFalse();
    assertThat(registry.username()).isEqualTo("svc");
    assertThat(registry.password()).isEqualTo("pa:ss");
    assertThat(registry.trustStore()).isEqualTo(new RegistryConfig.TrustStore(store, null, "PEM"));
    assertThat(registry.toString()).contains("svc").doesNotContain("pa:ss");
    // Without any: auto-register (Confluent's default), no login, the JVM's trust.
    RegistryConfig plain = settings(Map.of("schema.registry.url", "http://r:8081"));
    assertThat(plain.autoRegister()).isTrue();
    assertThat(plain.basicAuthUserInfo()).isNull();
    assertThat(plain.trustStore()).isNull();
  }

  @Test
  void badSettingsNameTheirKeyAndNotTheSecret() {
    assertThatThrownBy(
            () ->
                settings(
                    Map.of(
                        "schema.registry.url", "http://r",
                        "schema.registry.basic.auth.user.info", "secret-without-user")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.basic.auth.user.info")
        .hasMessageNotContaining("secret-without-user");
    assertThatThrownBy(
            () ->
                settings(
                    Map.of(
                        "schema.registry.url", "http://r",
                        "schema.registry.ssl.truststore.location", "/nonexistent/ca.p12")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.ssl.truststore.location");
    assertThatThrownBy(
            () ->
                settings(
                    Map.of(
                        "schema.registry.url", "http://r",
                        "schema.registry.ssl.truststore.type", "BKS")))
        .hasMessageContaining("schema.registry.ssl.truststore.type");
    assertThatThrownBy(
            () -> settings(Map.of("schema.registry.url", "http://r", "schema.registry.api", "v2")))
        .hasMessageContaining("schema.registry.api");
    assertThatThrownBy(() -> RegistryConfig.of("ftp://r")).hasMessageContaining("http(s)");
  }

  private static RegistryConfig settings(Map<String, String> values) {
    return CommonSettings.schemaRegistry(values, "the test");
  }
}
