package org.iotbackbone.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulatorMainTest {

  @Test
  void theEndpointOptionsHaveTheServicesSettingNames() {
    SimulatorMain main = new SimulatorMain();
    new CommandLine(main)
        .parseArgs(
            "--bootstrap-servers=k:9092",
            "--schema-registry-url=http://r:8080/apis/registry/v3",
            "--set=devices=3",
            "--set=kafka.security.protocol=SSL");

    assertThat(main.kafkaBootstrap).isEqualTo("k:9092");
    assertThat(main.registryUrl).isEqualTo("http://r:8080/apis/registry/v3");
    assertThat(main.changes)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("devices", "3", "kafka.security.protocol", "SSL"));
  }

  @Test
  void aBadInputIsOneLineAndExitCodeTwoNotAStackTrace() {
    var err = new java.io.StringWriter();
    CommandLine line = SimulatorMain.commandLine();
    line.setErr(new java.io.PrintWriter(err));

    int status = line.execute("--endpoints=/nonexistent/endpoints.env", "--set=devices=0");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains("simulate: ").doesNotContain("\tat ");
  }

  @Test
  void theScenarioDefaultsToIotSimConfigElseSteadyTelemetry() {
    SimulatorMain main = new SimulatorMain();
    new CommandLine(main).parseArgs();

    assertThat(main.scenario)
        .isEqualTo(System.getenv().getOrDefault("IOT_SIM_CONFIG", "steady-telemetry"));
  }
}
