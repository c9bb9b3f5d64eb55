package org.iotbackbone.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.iotbackbone.servers.launch.Launch;
import org.junit.jupiter.api.Test;

/** How a simulation in several processes starts its parts (no process is started here). */
class SimulationPartsTest {

  private static final Endpoints ENDPOINTS =
      Endpoints.fromVariables(
          Map.of(
              "MQTT_URL", "tcp://127.0.0.1:1",
              "KAFKA_BOOTSTRAP", "127.0.0.1:2",
              "REGISTRY_URL", "http://127.0.0.1:3/apis/ccompat/v7",
              "REST_URL", "http://127.0.0.1:4"),
          "test");

  /**
   * A part's heap follows the devices it holds: with the default collector (G1) a part holding
   * 10,000 devices over mutual TLS kept 4 times its live heap (docs/benchmarks.md, "Held idle
   * devices").
   */
  @Test
  void everyPartRunsWithTheSerialCollectorAndASmallYoungGeneration() throws Exception {
    Scenario scenario = Scenario.load("connect-storm").with(Map.of("devices", "30"));
    Simulation simulation = new Simulation(ENDPOINTS, scenario, List.of(), 3);

    List<Launch> launches = simulation.partLaunches(Path.of("/certs"));

    assertThat(launches).hasSize(3);
    for (int i = 0; i < 3; i++) {
      List<String> command = launches.get(i).command();
      int main = command.indexOf(SimulatorMain.class.getName());
      assertThat(command.subList(0, main))
          .containsSubsequence(
              "-XX:+UseSerialGC", "-Xmn64m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20");
      assertThat(command.subList(main, command.size()))
          .contains("--part=" + i + "/3", "--device-certs=/certs");
    }
  }

  @Test
  void plainPartsGetNoCertificatesDirectory() {
    Simulation simulation =
        new Simulation(
            ENDPOINTS, Scenario.of(Map.of("devices", "2"), "test"), List.of("127.0.0.2"), 2);

    for (Launch launch : simulation.partLaunches(null)) {
      assertThat(launch.command())
          .noneMatch(arg -> arg.startsWith("--device-certs"))
          .contains("--source-addresses=127.0.0.2", "-XX:+UseSerialGC");
    }
  }
}
