package org.iotbackbone.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

class ScenarioTest {

  static final java.util.List<String> BUILT_IN = Scenario.BUILT_IN;

  @ParameterizedTest
  @FieldSource("BUILT_IN")
  void everyBuiltInScenarioLoads(String name) throws Exception {
    assertThat(Scenario.load(name).name()).isEqualTo(name);
  }

  @Test
  void aFileSetsSomeKeysAndTheRestAreDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mine.properties");
    Files.writeString(file, "# mine\nname=mine\ndevices=7\nevents.per-second=70\n");
    Scenario scenario = Scenario.load(file.toString());
    assertThat(scenario.devices()).isEqualTo(7);
    assertThat(scenario.eventsPerSecond()).isEqualTo(70);
    assertThat(scenario.connectPerSecond()).isEqualTo(500);
  }

  @Test
  void changesApplyOverAScenario() throws Exception {
    Scenario scenario = Scenario.load("shadow-churn").with(Map.of("devices", "3"));
    assertThat(scenario.devices()).isEqualTo(3);
    assertThat(scenario.shadowUpdatesPerSecond()).isEqualTo(1000);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "devices|0|devices must be from 1",
        "devices|ten|devices in test must be a whole number",
        "event.payload-bytes|10|event.payload-bytes must be from 64",
        "keep-alive.seconds|0|keep-alive.seconds must be from 1",
        "device.prefix|a b|device.prefix must be 1 to 20",
        "colour|red|unknown key 'colour'"
      })
  void aBadValueIsRefusedNamingTheKey(String key, String value, String message) {
    assertThatThrownBy(() -> Scenario.of(Map.of(key, value), "test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void anUnknownScenarioSaysWhichAreKnown() {
    assertThatThrownBy(() -> Scenario.load("no-such")).hasMessageContaining("steady-telemetry");
  }

  @Test
  void slicesAddUpToTheWholeAndTheirDevicesDoNotOverlap() throws Exception {
    Scenario whole =
        Scenario.load("steady-telemetry")
            .with(
                Map.of(
                    "devices", "10001", "events.per-second", "9999", "commands.per-second", "2"));
    int devices = 0;
    int events = 0;
    int commands = 0;
    for (int i = 0; i < 3; i++) {
      Scenario part = whole.slice(i, 3);
      assertThat(whole.firstDevice(i, 3)).isEqualTo(devices);
      devices += part.devices();
      events += part.eventsPerSecond();
      commands += part.commandsPerSecond();
      assertThat(part.duration()).isEqualTo(whole.duration());
    }
    assertThat(devices).isEqualTo(10001);
    assertThat(events).isEqualTo(9999);
    assertThat(commands).isEqualTo(2);
  }

  @Test
  void aFleetSmallerThanItsProcessesIsRefused() throws Exception {
    Scenario two = Scenario.load("demo").with(Map.of("devices", "2"));
    assertThatThrownBy(() -> two.slice(0, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 devices cannot be split over 3 processes");
  }

  @ParameterizedTest
  @CsvSource({
    "100, 20000, 1",
    "19000, 20000, 1",
    "19001, 20000, 2",
    "50000, 20000, 3",
    "10, 500, 1"
  })
  void processesFollowTheOpenFileLimit(int devices, long openFiles, int processes) {
    assertThat(Simulation.processesFor(devices, openFiles)).isEqualTo(processes);
  }
}
