package org.iotbackbone.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.iotbackbone.schemas.config.ConfigTable;
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
    Files.writeString(file, "# mine\nname=mine\ndevices=7\nevents.per.second=70\n");
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
        "devices|0|configuration devices: Value must be at least 1",
        "devices|ten|configuration devices: Not a number of type INT",
        "event.payload.bytes|10|configuration event.payload.bytes: Value must be at least 64",
        "keep.alive.seconds|0|configuration keep.alive.seconds: Value must be at least 1",
        "device.prefix|a b|configuration device.prefix: must match [A-Za-z0-9_-]{1,20}",
        "colour|red|Unknown setting 'colour' in test",
        "events.per-second|1|Unknown setting 'events.per-second' in test",
        "transport|ws|transport"
      })
  void aBadValueIsRefusedNamingTheKey(String key, String value, String message) {
    assertThatThrownBy(() -> Scenario.of(Map.of(key, value), "test"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void theTransportIsTlsUnlessChosenAndTravelsWithASlice() {
    assertThat(Scenario.of(Map.of(), "test").transport()).isEqualTo(Scenario.Transport.TLS);
    Scenario mixed = Scenario.of(Map.of("transport", "mixed", "devices", "4"), "test");

    assertThat(mixed.transport()).isEqualTo(Scenario.Transport.MIXED);
    assertThat(mixed.slice(1, 2).transport()).isEqualTo(Scenario.Transport.MIXED);
    assertThat(mixed.describe()).containsEntry("transport", "mixed");
    assertThat(Scenario.of(Map.of("transport", "wss"), "test").transport())
        .isEqualTo(Scenario.Transport.WSS);
  }

  @Test
  void aRecordOutOfRangeIsRefusedToo() throws Exception {
    Scenario demo = Scenario.load("demo");
    assertThatThrownBy(
            () ->
                new Scenario(
                    demo.name(),
                    0,
                    demo.connectPerSecond(),
                    demo.duration(),
                    demo.eventsPerSecond(),
                    demo.eventPayloadBytes(),
                    demo.keepAliveSeconds(),
                    demo.shadowUpdatesPerSecond(),
                    demo.commandsPerSecond(),
                    demo.devicePrefix(),
                    demo.drain(),
                    demo.transport()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("devices");
  }

  @Test
  void fileUnderEnvironmentUnderChanges(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mine.properties");
    Files.writeString(file, "devices=7\nevents.per.second=70\ndrain.seconds=3\n");
    Map<String, String> env =
        Map.of("IOT_SIM_DEVICES", "8", "IOT_SIM_EVENTS_PER_SECOND", "80", "IOT_SIM_KAFKA_X_Y", "z");

    Map<String, Object> settings =
        Scenario.settings(file.toString(), env, Map.of("events.per.second", "90"));
    Scenario scenario = Scenario.of(settings, "test");

    assertThat(scenario.devices()).isEqualTo(8);
    assertThat(scenario.eventsPerSecond()).isEqualTo(90);
    assertThat(scenario.drain()).hasSeconds(3);
    assertThat(settings).containsEntry("kafka.x.y", "z");
  }

  @Test
  void anUnknownVariableIsRefused() {
    assertThatThrownBy(() -> Scenario.settings("demo", Map.of("IOT_SIM_DEVICE", "1"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IOT_SIM_DEVICE");
  }

  @Test
  void everyKeyIsARowOfTheReadmeTable() {
    String table =
        ConfigTable.markdown(Scenario.configDef(), Optional.of(Scenario.environmentRule()));
    assertThat(table)
        .contains("| `connect.per.second` | `IOT_SIM_CONNECT_PER_SECOND` | int | `500` |")
        .contains("| `kafka.*` | `IOT_SIM_KAFKA_*` |");
  }

  @Test
  void theDefaultsAreTheDeclaredOnes() {
    assertThat(Scenario.defaults())
        .containsEntry("devices", "1000")
        .containsEntry("connect.per.second", "500")
        .containsOnlyKeys(Scenario.configDef().names());
    assertThat(Scenario.of(Map.of(), "nothing").describe()).isEqualTo(Scenario.defaults());
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
                    "devices", "10001", "events.per.second", "9999", "commands.per.second", "2"));
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
