package org.iotbackbone.localstack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.pki.Pem;
import org.iotbackbone.servers.BrokerTls;
import org.iotbackbone.servers.MqttListener;
import org.iotbackbone.simulator.Endpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the stack hands devices and the bridge on secure brokers, and on plain ones. */
class SecureStackTest {

  @TempDir Path home;

  private static StackServers.BrokerAt secure(int base) {
    return new StackServers.BrokerAt(
        "127.0.0.1",
        Map.of(
            MqttListener.TLS, base,
            MqttListener.WSS, base + 1,
            MqttListener.SECRET, base + 2,
            MqttListener.BACKEND, base + 3));
  }

  private StackServers.MqttAt secureMqtt() {
    Path pki = new StackDir(home).pki();
    StackPki.forBrokers(pki);
    return new StackServers.MqttAt(
        List.of(secure(8000), secure(9000)), "iot-backend", "pw", Optional.of(pki));
  }

  @Test
  void devicesGetTheTlsListenersAndTheCaNeverTheBackEndOne() {
    Map<String, String> variables = EndpointsFile.mqttVariables(secureMqtt());
    assertThat(variables)
        .containsEntry(Endpoints.MQTT_URL, "ssl://127.0.0.1:8000")
        .containsEntry(Endpoints.MQTT_URLS, "ssl://127.0.0.1:8000,ssl://127.0.0.1:9000")
        .containsEntry(Endpoints.MQTT_WS_URL, "wss://127.0.0.1:8001/mqtt")
        .containsEntry(
            Endpoints.MQTT_WS_URLS, "wss://127.0.0.1:8001/mqtt,wss://127.0.0.1:9001/mqtt")
        .containsEntry(Endpoints.MQTT_SECRET_URL, "ssl://127.0.0.1:8002")
        .containsEntry(Endpoints.DEVICE_CA_FILE, home.resolve("pki/ca.crt").toString())
        .containsEntry(Endpoints.DEVICE_PKI_DIR, home.resolve("pki").toString());
    assertThat(Path.of(variables.get(Endpoints.DEVICE_CA_FILE))).exists();
    assertThat(String.join(" ", variables.values())).doesNotContain("8003", "9003");
  }

  @Test
  void insecureDevicesGetThePlainListenerAlone() {
    StackServers.MqttAt plain =
        new StackServers.MqttAt(
            List.of(
                StackServers.BrokerAt.plain(
                    java.net.InetSocketAddress.createUnresolved("127.0.0.1", 1883))),
            "iot-backend",
            "pw",
            Optional.empty());
    assertThat(EndpointsFile.mqttVariables(plain))
        .containsOnly(
            Map.entry(Endpoints.MQTT_URL, "tcp://127.0.0.1:1883"),
            Map.entry(Endpoints.MQTT_URLS, "tcp://127.0.0.1:1883"));
    assertThat(StackParts.bridgeBrokers(plain.brokers())).isEqualTo("edge=127.0.0.1:1883");
    assertThat(StackParts.bridgeMqttLogin(plain))
        .containsEntry("IOT_BRIDGE_MQTT_TLS_ENABLED", "false")
        .containsEntry("IOT_BRIDGE_MQTT_USERNAME", "iot-backend")
        .containsEntry("IOT_BRIDGE_MQTT_PASSWORD", "pw");
  }

  @Test
  void theBridgeUsesTheBackEndListenersWithItsCertificateIssuedOnce() throws Exception {
    StackServers.MqttAt mqtt = secureMqtt();
    assertThat(StackParts.bridgeBrokers(mqtt.brokers()))
        .isEqualTo("edge-1=127.0.0.1:8003,edge-2=127.0.0.1:9003");
    Map<String, String> login = StackParts.bridgeMqttLogin(mqtt);
    Path certificate = home.resolve("pki/services/" + BrokerTls.DEFAULT_BACKEND_IDENTITY + ".crt");
    assertThat(login)
        .containsEntry("IOT_BRIDGE_MQTT_TLS_ENABLED", "true")
        .containsEntry("IOT_BRIDGE_MQTT_TLS_CA_FILE", home.resolve("pki/ca.crt").toString())
        .containsEntry("IOT_BRIDGE_MQTT_TLS_CERTIFICATE_FILE", certificate.toString())
        .containsEntry(
            "IOT_BRIDGE_MQTT_TLS_KEY_FILE",
            home.resolve("pki/services/" + BrokerTls.DEFAULT_BACKEND_IDENTITY + ".key").toString())
        .containsEntry("IOT_BRIDGE_MQTT_USERNAME", "")
        .containsEntry("IOT_BRIDGE_MQTT_PASSWORD", "");
    X509Certificate first = Pem.readCertificate(certificate);
    assertThat(first.getSubjectX500Principal().getName())
        .contains("CN=" + BrokerTls.DEFAULT_BACKEND_IDENTITY);

    StackParts.bridgeMqttLogin(mqtt);
    assertThat(Pem.readCertificate(certificate)).as("kept").isEqualTo(first);

    DevicePki.open(home.resolve("pki")).revoke(BrokerTls.DEFAULT_BACKEND_IDENTITY);
    StackParts.bridgeMqttLogin(mqtt);
    assertThat(Pem.readCertificate(certificate))
        .as("a revoked one is replaced")
        .isNotEqualTo(first);

    // A certificate of an earlier CA (pki/ deleted and made anew) is replaced too.
    X509Certificate second = Pem.readCertificate(certificate);
    Path services = home.resolve("services-kept");
    Files.move(home.resolve("pki/services"), services);
    try (var files = Files.walk(home.resolve("pki"))) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
    StackPki.forBrokers(home.resolve("pki"));
    Files.move(services, home.resolve("pki/services"));
    StackParts.bridgeMqttLogin(mqtt);
    assertThat(Pem.readCertificate(certificate)).isNotEqualTo(second);
  }

  @Test
  void mixedOrCaLessBrokersAreRefused() {
    assertThatThrownBy(
            () -> new StackServers.MqttAt(List.of(secure(8000)), "u", "p", Optional.<Path>empty()))
        .hasMessageContaining("device CA");
  }

  @Test
  void deviceEndpointsReadTheFileAndTheSimulatorReadsTheSameSecureEndpoints() {
    Map<String, String> variables = new LinkedHashMap<>(EndpointsFile.mqttVariables(secureMqtt()));
    variables.put(Endpoints.KAFKA_BOOTSTRAP, "127.0.0.1:9092");
    variables.put(Endpoints.REGISTRY_URL, "http://127.0.0.1:8081/apis/ccompat/v7");
    variables.put(Endpoints.REST_URL, "http://127.0.0.1:8080");
    DeviceEndpoints devices = DeviceEndpoints.fromVariables(variables, "test");
    assertThat(devices.secure()).isTrue();
    assertThat(devices.brokers())
        .extracting(a -> a.getHostString() + ":" + a.getPort())
        .containsExactly("127.0.0.1:8000", "127.0.0.1:9000");
    assertThat(devices.credentials("lamp-1").certificate().getSubjectX500Principal().getName())
        .isEqualTo("CN=lamp-1");
    assertThat(devices.sslConfig("lamp-1")).isPresent();
    Endpoints simulator = Endpoints.fromVariables(variables, "test");
    assertThat(simulator.mqttBrokers())
        .extracting(a -> a.getHostString() + ":" + a.getPort())
        .containsExactly("127.0.0.1:8000", "127.0.0.1:9000");

    variables.remove(Endpoints.DEVICE_CA_FILE);
    assertThatThrownBy(() -> DeviceEndpoints.fromVariables(variables, "test"))
        .hasMessageContaining(Endpoints.DEVICE_CA_FILE);
  }
}
