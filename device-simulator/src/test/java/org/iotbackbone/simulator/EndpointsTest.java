package org.iotbackbone.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.iotbackbone.pki.DevicePki;
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
        .hasMessageContaining("MQTT_URL in test: unknown scheme 'http' in http://h:1");
    var badList = new java.util.HashMap<>(good);
    badList.put("MQTT_URLS", "tcp://h:1,h:2");
    assertThatThrownBy(() -> Endpoints.fromVariables(badList, "test"))
        .hasMessageContaining(
            "MQTT_URLS in test must be ssl://host:port or tcp://host:port (comma-separated),"
                + " not h:2");
  }

  /** What ./iot up writes for a secure stack, with a device CA of this test's. */
  private static Map<String, String> secure(Path dir) {
    DevicePki pki = DevicePki.openOrCreate(dir.resolve("pki"));
    Map<String, String> variables = new HashMap<>();
    variables.put("MQTT_URL", "ssl://h:8883");
    variables.put("MQTT_WS_URL", "wss://h:8443/mqtt");
    variables.put("MQTT_SECRET_URL", "ssl://h:8884");
    variables.put("DEVICE_CA_FILE", pki.caCertificate().toString());
    variables.put("DEVICE_PKI_DIR", pki.dir().toString());
    variables.put("KAFKA_BOOTSTRAP", "h:2");
    variables.put("REGISTRY_URL", "http://h:3/apis/ccompat/v7");
    variables.put("REST_URL", "http://h:4");
    return variables;
  }

  @Test
  void readsTheSecureEndpoints(@TempDir Path dir) {
    Endpoints endpoints = Endpoints.fromVariables(secure(dir), "test");

    assertThat(endpoints.mqttTls()).isTrue();
    assertThat(endpoints.mqttUrls()).isEqualTo("ssl://h:8883");
    assertThat(endpoints.mqttWebSockets()).containsExactly(URI.create("wss://h:8443/mqtt"));
    assertThat(endpoints.mqttSecretUrl()).hasValue(URI.create("ssl://h:8884"));
    assertThat(endpoints.deviceCaFile()).hasValue(dir.resolve("pki").resolve("ca.crt"));
    assertThat(endpoints.devicePkiDir()).hasValue(dir.resolve("pki"));
    // Insecure: tcp:// and no CA.
    Map<String, String> insecure = secure(dir);
    insecure.keySet().removeAll(List.of("MQTT_WS_URL", "MQTT_SECRET_URL", "DEVICE_CA_FILE"));
    insecure.put("MQTT_URL", "tcp://h:1883");
    assertThat(Endpoints.fromVariables(insecure, "test").mqttTls()).isFalse();
  }

  @Test
  void aBadSecureEndpointIsRefusedNamingItsVariable(@TempDir Path dir) throws Exception {
    Map<String, String> unknownScheme = secure(dir);
    unknownScheme.put("MQTT_URLS", "ssl://h:1,mqtts://h:2");
    assertThatThrownBy(() -> Endpoints.fromVariables(unknownScheme, "test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MQTT_URLS in test: unknown scheme 'mqtts' in mqtts://h:2");

    Map<String, String> mixed = secure(dir);
    mixed.put("MQTT_URLS", "ssl://h:1,tcp://h:2");
    assertThatThrownBy(() -> Endpoints.fromVariables(mixed, "test"))
        .hasMessageContaining("MQTT_URLS in test mixes ssl:// and tcp://");

    Map<String, String> noCa = secure(dir);
    noCa.remove("DEVICE_CA_FILE");
    assertThatThrownBy(() -> Endpoints.fromVariables(noCa, "test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DEVICE_CA_FILE is not set in test: MQTT_URL is secure");

    Map<String, String> wsOnlyNoCa = secure(dir);
    wsOnlyNoCa.remove("DEVICE_CA_FILE");
    wsOnlyNoCa.remove("MQTT_SECRET_URL");
    wsOnlyNoCa.put("MQTT_URL", "tcp://h:1");
    assertThatThrownBy(() -> Endpoints.fromVariables(wsOnlyNoCa, "test"))
        .hasMessageContaining("DEVICE_CA_FILE is not set in test: MQTT_WS_URL is secure");

    Map<String, String> missingCa = secure(dir);
    missingCa.put("DEVICE_CA_FILE", dir.resolve("nope.pem").toString());
    assertThatThrownBy(() -> Endpoints.fromVariables(missingCa, "test"))
        .hasMessageContaining("DEVICE_CA_FILE in test names no readable file")
        .hasMessageContaining("nope.pem");

    Path notPem = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
    Map<String, String> garbageCa = secure(dir);
    garbageCa.put("DEVICE_CA_FILE", notPem.toString());
    assertThatThrownBy(() -> Endpoints.fromVariables(garbageCa, "test"))
        .hasMessageContaining("DEVICE_CA_FILE in test holds no usable CA certificate");

    Map<String, String> missingPki = secure(dir);
    missingPki.put("DEVICE_PKI_DIR", dir.resolve("no-such-ca").toString());
    assertThatThrownBy(() -> Endpoints.fromVariables(missingPki, "test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DEVICE_PKI_DIR in test: no device CA at")
        .hasMessageContaining("no-such-ca");

    Files.createDirectories(dir.resolve("empty"));
    Map<String, String> emptyPki = secure(dir);
    emptyPki.put("DEVICE_PKI_DIR", dir.resolve("empty").toString());
    assertThatThrownBy(() -> Endpoints.fromVariables(emptyPki, "test"))
        .hasMessageContaining("DEVICE_PKI_DIR in test: the device CA at")
        .hasMessageContaining("is incomplete");

    Map<String, String> badWs = secure(dir);
    badWs.put("MQTT_WS_URL", "ws://h:8080/mqtt");
    assertThatThrownBy(() -> Endpoints.fromVariables(badWs, "test"))
        .hasMessageContaining("MQTT_WS_URL in test must be wss://host:port/path");

    Map<String, String> badSecret = secure(dir);
    badSecret.put("MQTT_SECRET_URL", "tcp://h:1");
    assertThatThrownBy(() -> Endpoints.fromVariables(badSecret, "test"))
        .hasMessageContaining("MQTT_SECRET_URL in test must be ssl://host:port");
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
