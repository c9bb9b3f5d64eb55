package org.iotbackbone.ingestbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.servers.Distribution;
import org.iotbackbone.servers.junit.DistributionContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bridge's distribution ({@code target/dist/bin/ingest-bridge}), run as an operator would. */
class DistributionIT extends DistributionContract {

  DistributionIT() {
    super("ingest-bridge");
  }

  @Test
  void withoutBrokersItStopsAtOnceNamingTheKey() {
    Distribution.Run run =
        distribution().run(List.of(), List.of(), Map.of("IOT_BRIDGE_HTTP_PORT", "0"), RUN_TIMEOUT);

    assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
    assertThat(run.output()).contains("mqtt.brokers").contains("IOT_BRIDGE_MQTT_BROKERS");
  }

  @Test
  void aBrokerCertificateWithoutItsKeyStopsAtOnceNamingTheKey(@TempDir Path dir) {
    Path certificate = dir.resolve("bridge.crt");
    DevicePki.create(dir.resolve("ca"))
        .issueService("ingest-bridge.backend")
        .write(certificate, dir.resolve("bridge.key"));
    Map<String, String> env =
        Map.of(
            "IOT_BRIDGE_HTTP_PORT", "0",
            "IOT_BRIDGE_MQTT_BROKERS", "edge=127.0.0.1:8883",
            "IOT_BRIDGE_BOOTSTRAP_SERVERS", "127.0.0.1:9092",
            "IOT_BRIDGE_SCHEMA_REGISTRY_URL", "http://127.0.0.1:8080/apis/registry/v3",
            "IOT_BRIDGE_MQTT_TLS_CERTIFICATE_FILE", certificate.toString());

    Distribution.Run run = distribution().run(List.of(), List.of(), env, RUN_TIMEOUT);

    assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
    assertThat(run.output()).contains("mqtt.tls.key.file");
  }
}
