package org.iotbackbone.ingestbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.iotbackbone.ingestbridge.BridgeConfig;
import org.iotbackbone.ingestbridge.IngestBridge;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttBrokerKind;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.junit.SharedServers;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bridge's identity is its certificate: a bridge that presents a device's certificate on the
 * back-end listener gets none of the back end's rights, and says so on {@code /ready}, on both
 * brokers. HiveMQ refuses it at CONNECT. Mosquitto lets it connect and grants its subscriptions (it
 * checks read access per message, and delivers it nothing), but refuses the publish with which the
 * bridge probes its downlink rights ({@code BrokerConnection.PROBE_TOPIC}).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BackendIdentityIT {

  @ParameterizedTest
  @EnumSource(MqttBrokerKind.class)
  void aBridgeWithADeviceCertificateIsRefusedAndNotReady(MqttBrokerKind kind) throws Exception {
    MqttBroker broker = SecureEdge.shared(kind);
    KafkaBroker kafka = SharedServers.kafka();
    SchemaRegistry registry = SharedServers.schemaRegistry();
    TestBed.createTopics(kafka.bootstrapServers());
    Map<String, String> settings =
        TestBed.settings(
            kafka.bootstrapServers(),
            registry.apicurioApiUrl(),
            List.of(TestBed.endpoint("edge", broker)));
    String deviceId = TestBed.unique("imposter");
    settings.putAll(SecureEdge.tlsSettings(SecureEdge.pki().issueDevice(deviceId), deviceId));
    settings.put(BridgeConfig.DOWNLINK_ENABLED_CONFIG, "false");

    try (IngestBridge bridge = new IngestBridge(BridgeConfig.of(settings))) {
      bridge.start();

      // Not "not yet": it stays so while the bridge retries with its backoff (at most 1 s here).
      await()
          .during(Duration.ofSeconds(10))
          .atMost(Duration.ofSeconds(30))
          .until(() -> TestBed.get(bridge, "/ready").statusCode() == 503);
      HttpResponse<String> ready = TestBed.get(bridge, "/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body())
          .containsAnyOf(
              "broker edge not connected",
              "broker edge refused the bridge's downlink publishes (NOT_AUTHORIZED)");
      assertThat(bridge.isReady()).isFalse();
    }
  }
}
