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
}
