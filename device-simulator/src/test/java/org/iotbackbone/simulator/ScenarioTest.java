package org.iotbackbone.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        "transport|ws|transport",
        "job.rate.per.minute|0|configuration job.rate.per.minute: Value must be at least 1",
        "job.rate.per.minute|1001|configuration job.rate.per.minute: Value must be no more than",
        "job.rate.increment.factor|1.05|job.rate.increment.factor: must be 0 (a constant rate)",
        "job.rate.increment.factor|6|job.rate.increment.factor: must be 0 (a constant rate)",
        "job.abort.failure.type|CRASHED|job.abort.failure.type",
        "job.abort.threshold.percent|101|job.abort.threshold.percent: Value must be no more",
        "job.abort.min.executed|0|job.abort.min.executed: Value must be at least 1",
        "job.timeout.minutes|10081|job.timeout.minutes: Value must be no more than 10080",
        "job.failure.percent|-1|job.failure.percent: Value must be at least 0",
        "job.silent.percent|x|job.silent.percent: Not a number of type DOUBLE",
        "job.firmware|2.4.0-beta|job.firmware: must match",
        "job.enabled|yes|job.enabled",
        "warmup.seconds|-1|configuration warmup.seconds: Value must be at least 0",
        "warmup.seconds|60|configuration warmup.seconds: must be less than duration.seconds (60)",
        "connect.max.in.flight|0|configuration connect.max.in.flight: Value must be at least 1",
        "connect.timeout.seconds|0|configuration connect.timeout.seconds: Value must be at least 1"
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
                    demo.connectMaxInFlight(),
                    demo.connectTimeout(),
                    demo.duration(),
                    demo.warmUp(),
                    demo.eventsPerSecond(),
                    demo.eventPayloadBytes(),
                    demo.keepAliveSeconds(),
                    demo.shadowUpdatesPerSecond(),
                    demo.commandsPerSecond(),
                    demo.devicePrefix(),
                    demo.drain(),
                    demo.transport(),
                    demo.rollout()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("devices");
  }

  @Test
  void theFirmwareRolloutCreatesAStagedJobThatAborts() throws Exception {
    Rollout rollout = Scenario.load("firmware-rollout").rollout();

    assertThat(rollout.enabled()).isTrue();
    assertThat(rollout.listsTargets()).isFalse();
    assertThat(rollout.targetFilter()).isEqualTo("model = sim-speaker and firmware < 2.4.0");
    assertThat(rollout.incrementFactor()).isEqualTo(2.0);
    assertThat(rollout.abortFailureType()).isEqualTo("FAILED");
    // Failing more often than the threshold: the run shows an abort.
    assertThat(rollout.failurePercent()).isGreaterThan(rollout.abortThresholdPercent());
    assertThat(rollout.timeoutMinutes()).isEqualTo(1);
    assertThat(Scenario.load("demo").rollout().enabled()).isFalse();
  }

  @Test
  void aJobListsAtMostTenThousandDevicesAFilterAny() {
    Map<String, String> listed = Map.of("job.enabled", "true", "devices", "10001");
    assertThatThrownBy(() -> Scenario.of(listed, "test"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("job.target.filter")
        .hasMessageContaining("a job lists at most 10000 devices, and the run has 10001");

    Map<String, String> filtered = new java.util.HashMap<>(listed);
    filtered.put("job.target.filter", "model = sim-speaker");
    assertThat(Scenario.of(filtered, "test").devices()).isEqualTo(10001);
    // Without a job, the limit is none of the run's business.
    assertThat(Scenario.of(Map.of("devices", "10001"), "test").devices()).isEqualTo(10001);
  }

  @Test
  void theRolloutTravelsWithASliceAndItsKeys() throws Exception {
    Scenario rollout = Scenario.load("firmware-rollout");

    assertThat(rollout.slice(1, 2).rollout()).isEqualTo(rollout.rollout());
    assertThat(Scenario.of(rollout.describe(), "again")).isEqualTo(rollout);
  }

  @Test
  void aRolloutRecordOutOfRangeIsRefused() {
    Rollout none = Scenario.of(Map.of(), "test").rollout();
    assertThatThrownBy(
            () -> new Rollout(true, "", 1000, 0.5, 100, "FAILED", 10, 100, 1, 5000, 0, 0, "2.4.0"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("job.rate.increment.factor");
    assertThat(none.enabled()).isFalse();
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
                    "devices", "10001",
                    "events.per.second", "9999",
                    "commands.per.second", "2",
                    "connect.max.in.flight", "1000",
                    "connect.timeout.seconds", "45"));
    int devices = 0;
    int events = 0;
    int commands = 0;
    int inFlight = 0;
    for (int i = 0; i < 3; i++) {
      Scenario part = whole.slice(i, 3);
      assertThat(whole.firstDevice(i, 3)).isEqualTo(devices);
      devices += part.devices();
      events += part.eventsPerSecond();
      commands += part.commandsPerSecond();
      inFlight += part.connectMaxInFlight();
      assertThat(part.duration()).isEqualTo(whole.duration());
      assertThat(part.connectTimeout()).isEqualTo(Duration.ofSeconds(45));
    }
    assertThat(devices).isEqualTo(10001);
    assertThat(inFlight).isEqualTo(1000);
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
