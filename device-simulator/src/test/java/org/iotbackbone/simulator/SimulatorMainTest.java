package org.iotbackbone.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulatorMainTest {

  @Test
  void theEndpointsHaveTheServicesNamesAndTheOldOnesStillWork() {
    SimulatorMain main = new SimulatorMain();
    new CommandLine(main)
        .parseArgs(
            "--bootstrap-servers=k:9092",
            "--registry-url=http://r:8080/apis/registry/v3",
            "--set=devices=3",
            "--set=kafka.security.protocol=SSL");

    assertThat(main.kafkaBootstrap).isEqualTo("k:9092");
    assertThat(main.registryUrl).isEqualTo("http://r:8080/apis/registry/v3");
    assertThat(main.changes)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("devices", "3", "kafka.security.protocol", "SSL"));
  }

  @Test
  void theScenarioDefaultsToIotSimConfigElseSteadyTelemetry() {
    SimulatorMain main = new SimulatorMain();
    new CommandLine(main).parseArgs();

    assertThat(main.scenario)
        .isEqualTo(System.getenv().getOrDefault("IOT_SIM_CONFIG", "steady-telemetry"));
  }
}
