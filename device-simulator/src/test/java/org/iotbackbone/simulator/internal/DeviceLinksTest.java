package org.iotbackbone.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.simulator.Endpoints;
import org.iotbackbone.simulator.Scenario.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceLinksTest {

  private static Endpoints endpoints(Path dir, String mqtt, String ws) {
    Map<String, String> variables = new HashMap<>();
    variables.put(Endpoints.MQTT_URLS, mqtt);
    if (ws != null) {
      variables.put(Endpoints.MQTT_WS_URLS, ws);
    }
    if (mqtt.startsWith("ssl") || ws != null) {
      variables.put(
          Endpoints.DEVICE_CA_FILE,
          DevicePki.openOrCreate(dir.resolve("pki")).caCertificate().toString());
    }
    variables.put(Endpoints.KAFKA_BOOTSTRAP, "k:1");
    variables.put(Endpoints.REGISTRY_URL, "http://r:1/apis/ccompat/v7");
    variables.put(Endpoints.REST_URL, "http://a:1");
    return Endpoints.fromVariables(variables, "test");
  }

  @Test
  void mixedSendsEvenDevicesOverTlsAndOddOverWebSocketsEachSpreadOverEveryBroker(
      @TempDir Path dir) {
    DeviceLinks links =
        new DeviceLinks(
            endpoints(dir, "ssl://a:8883,ssl://b:8883", "wss://a:8443/mqtt,wss://b:8443/mqtt"),
            Transport.MIXED);

    assertThat(links.secure()).isTrue();
    assertThat(links.describe()).isEqualTo("mixed");
    assertThat(links.link(0)).isEqualTo(new DeviceLinks.Link("a", 8883, true, null));
    assertThat(links.link(1)).isEqualTo(new DeviceLinks.Link("a", 8443, true, "mqtt"));
    assertThat(links.link(2)).isEqualTo(new DeviceLinks.Link("b", 8883, true, null));
    assertThat(links.link(3)).isEqualTo(new DeviceLinks.Link("b", 8443, true, "mqtt"));
  }

  @Test
  void tlsUsesTheDeviceUrlsAndWssTheWebSocketOnes(@TempDir Path dir) {
    Endpoints endpoints = endpoints(dir, "ssl://a:1,ssl://b:2", "wss://c:3/mqtt");

    assertThat(new DeviceLinks(endpoints, Transport.TLS).link(1))
        .isEqualTo(new DeviceLinks.Link("b", 2, true, null));
    assertThat(new DeviceLinks(endpoints, Transport.WSS).link(1))
        .isEqualTo(new DeviceLinks.Link("c", 3, true, "mqtt"));
  }

  @Test
  void insecureEndpointsArePlainTcp(@TempDir Path dir) {
    DeviceLinks links = new DeviceLinks(endpoints(dir, "tcp://a:1883", null), Transport.TLS);

    assertThat(links.secure()).isFalse();
    assertThat(links.describe()).isEqualTo("tcp");
    assertThat(links.link(0)).isEqualTo(new DeviceLinks.Link("a", 1883, false, null));
  }

  @Test
  void webSocketsWithoutTheirUrlsAreRefusedNamingTheVariable(@TempDir Path dir) {
    Endpoints endpoints = endpoints(dir, "ssl://a:1", null);

    for (Transport transport : new Transport[] {Transport.WSS, Transport.MIXED}) {
      assertThatThrownBy(() -> new DeviceLinks(endpoints, transport))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("transport " + transport.key())
          .hasMessageContaining("MQTT_WS_URL");
    }
  }
}
