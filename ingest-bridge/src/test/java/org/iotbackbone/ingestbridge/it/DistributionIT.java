package org.iotbackbone.ingestbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.iotbackbone.servers.Distribution;
import org.iotbackbone.servers.junit.DistributionContract;
import org.junit.jupiter.api.Test;

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
}
