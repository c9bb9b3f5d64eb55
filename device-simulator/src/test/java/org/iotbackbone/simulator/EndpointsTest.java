package org.iotbackbone.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointsTest {

  @Test
  void readsTheFileUpWrites(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("endpoints.env");
    Files.writeString(
        file,
        "# comment\nMQTT_URL=tcp://127.0.0.1:1883\nexport KAFKA_BOOTSTRAP=\"127.0.0.1:9092\"\n"
            + "REGISTRY_URL=http://127.0.0.1:8080/apis/ccompat/v7\n"
            + "REST_URL='http://127.0.0.1:8081'\n"
            + "REST_TOKEN=eyJ.a.b\n");
    Endpoints endpoints = Endpoints.fromEnvFile(file);
    assertThat(endpoints.restToken()).isEqualTo("eyJ.a.b");
    assertThat(endpoints.restAuthorization()).hasValue("Bearer eyJ.a.b");
    assertThat(endpoints.mqttBrokers())
        .containsExactly(InetSocketAddress.createUnresolved("127.0.0.1", 1883));
    assertThat(endpoints.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
    assertThat(endpoints.restUrl()).isEqualTo("http://127.0.0.1:8081");
  }

  @Test
  void aMissingOrMalformedVariableIsNamed() {
    Map<String, String> good =
        Map.of(
            "MQTT_URL", "tcp://h:1",
            "KAFKA_BOOTSTRAP", "h:2",
            "REGISTRY_URL", "http://h:3/apis/ccompat/v7",
            "REST_URL", "http://h:4");
    assertThat(Endpoints.fromVariables(good, "test").mqttBrokers().get(0).getPort()).isEqualTo(1);
    // No token: an API without authentication; no header is sent.
    assertThat(Endpoints.fromVariables(good, "test").restAuthorization()).isEmpty();
    var noKafka = new java.util.HashMap<>(good);
    noKafka.remove("KAFKA_BOOTSTRAP");
    assertThatThrownBy(() -> Endpoints.fromVariables(noKafka, "test"))
        .hasMessageContaining("KAFKA_BOOTSTRAP is not set in test");
    var badMqtt = new java.util.HashMap<>(good);
    badMqtt.put("MQTT_URL", "http://h:1");
    assertThatThrownBy(() -> Endpoints.fromVariables(badMqtt, "test"))
        .hasMessageContaining("MQTT_URL in test must be tcp://host:port");
    var badList = new java.util.HashMap<>(good);
    badList.put("MQTT_URLS", "tcp://h:1,h:2");
    assertThatThrownBy(() -> Endpoints.fromVariables(badList, "test"))
        .hasMessageContaining(
            "MQTT_URLS in test must be tcp://host:port (comma-separated), not h:2");
  }

  @Test
  void severalBrokersComeFromMqttUrlsInTheirOrder() {
    Map<String, String> variables =
        Map.of(
            "MQTT_URL", "tcp://h:1",
            "MQTT_URLS", "tcp://h:1, tcp://h:5",
            "KAFKA_BOOTSTRAP", "h:2",
            "REGISTRY_URL", "http://h:3/apis/ccompat/v7",
            "REST_URL", "http://h:4");
    Endpoints endpoints = Endpoints.fromVariables(variables, "test");
    assertThat(endpoints.mqttBrokers())
        .containsExactly(
            InetSocketAddress.createUnresolved("h", 1), InetSocketAddress.createUnresolved("h", 5));
    assertThat(endpoints.mqttUrls()).isEqualTo("tcp://h:1,tcp://h:5");
  }

  @Test
  void theRegistryClientSettingsComeFromTheFileTheVariableNames(@TempDir Path dir)
      throws Exception {
    Path trust = Files.writeString(dir.resolve("ca.pem"), "");
    Path client =
        Files.writeString(
            dir.resolve("registry.properties"),
            "schema.registry.basic.auth.user.info=sim:secret\n"
                + "schema.registry.ssl.truststore.location="
                + trust
                + "\nschema.registry.ssl.truststore.type=PEM\n");
    Map<String, String> variables =
        new java.util.HashMap<>(
            Map.of(
                "MQTT_URL", "tcp://h:1",
                "KAFKA_BOOTSTRAP", "h:2",
                "REGISTRY_URL", "https://h:3/apis/ccompat/v7",
                "REST_URL", "http://h:4",
                "REGISTRY_CLIENT_CONFIG", client.toString()));
    var registry = Endpoints.fromVariables(variables, "test").registry();
    assertThat(registry.url()).isEqualTo("https://h:3/apis/ccompat/v7");
    assertThat(registry.username()).isEqualTo("sim");
    assertThat(registry.trustStore().location()).isEqualTo(trust);
    // Without the file: an open registry.
    variables.remove("REGISTRY_CLIENT_CONFIG");
    assertThat(Endpoints.fromVariables(variables, "test").registry().basicAuthUserInfo()).isNull();

    Files.writeString(client, "schema.registry.basic.auth.usr=sim:secret\n");
    variables.put("REGISTRY_CLIENT_CONFIG", client.toString());
    assertThatThrownBy(() -> Endpoints.fromVariables(variables, "test"))
        .hasMessageContaining("REGISTRY_CLIENT_CONFIG in test")
        .hasMessageContaining("schema.registry.basic.auth.usr");
  }
}
