package org.iotbackbone.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.iotbackbone.pki.DevicePki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

  /** Runs the command line; returns the exit code and what it wrote on standard error. */
  private static Map.Entry<Integer, String> run(String... args) {
    var err = new java.io.StringWriter();
    CommandLine line = SimulatorMain.commandLine();
    line.setErr(new java.io.PrintWriter(err));
    int status = line.execute(args);
    return Map.entry(status, err.toString());
  }

  private static Path endpoints(Path dir, String... lines) throws Exception {
    return Files.writeString(
        dir.resolve("endpoints.env"),
        String.join("\n", lines)
            + "\nKAFKA_BOOTSTRAP=127.0.0.1:1\nREGISTRY_URL=http://127.0.0.1:1/apis/ccompat/v7\n"
            + "REST_URL=http://127.0.0.1:1\n");
  }

  @Test
  void badSecureEndpointsEndItWithExitCodeTwoNamingTheVariable(@TempDir Path dir) throws Exception {
    DevicePki pki = DevicePki.create(dir.resolve("pki"));
    String ca = "DEVICE_CA_FILE=" + pki.caCertificate();

    var unknownScheme = run("--endpoints=" + endpoints(dir, "MQTT_URL=mqtts://127.0.0.1:1", ca));
    assertThat(unknownScheme.getKey()).isEqualTo(2);
    assertThat(unknownScheme.getValue())
        .contains("simulate: MQTT_URL in " + dir.resolve("endpoints.env"))
        .contains("unknown scheme 'mqtts'")
        .doesNotContain("\tat ");

    var noCa = run("--endpoints=" + endpoints(dir, "MQTT_URL=ssl://127.0.0.1:1"));
    assertThat(noCa.getKey()).isEqualTo(2);
    assertThat(noCa.getValue()).contains("simulate: DEVICE_CA_FILE is not set in");

    var missingPki =
        run(
            "--endpoints="
                + endpoints(
                    dir,
                    "MQTT_URL=ssl://127.0.0.1:1",
                    ca,
                    "DEVICE_PKI_DIR=" + dir.resolve("no-such-ca")));
    assertThat(missingPki.getKey()).isEqualTo(2);
    assertThat(missingPki.getValue())
        .contains("simulate: DEVICE_PKI_DIR in")
        .contains("no-such-ca");

    // Secure, and no way to a certificate: refused before anything connects.
    var noCertificates =
        run("--endpoints=" + endpoints(dir, "MQTT_URL=ssl://127.0.0.1:1", ca), "--processes=1");
    assertThat(noCertificates.getKey()).isEqualTo(2);
    assertThat(noCertificates.getValue())
        .contains("every device needs a certificate: set DEVICE_PKI_DIR");

    // A directory of certificates that lacks a device's.
    var missingCertificate =
        run(
            "--endpoints=" + endpoints(dir, "MQTT_URL=ssl://127.0.0.1:1", ca),
            "--processes=1",
            "--run-id=r1",
            "--set=devices=2",
            "--device-certs=" + dir);
    assertThat(missingCertificate.getKey()).isEqualTo(2);
    assertThat(missingCertificate.getValue())
        .contains("has no sim-r1-0.crt (device ids are sim-r1-N");

    // WebSockets chosen, but the endpoints have none.
    var noWebSockets =
        run(
            "--endpoints=" + endpoints(dir, "MQTT_URL=ssl://127.0.0.1:1", ca),
            "--processes=1",
            "--set=transport=wss");
    assertThat(noWebSockets.getKey()).isEqualTo(2);
    assertThat(noWebSockets.getValue())
        .contains("transport wss needs the brokers' secure WebSockets URLs: MQTT_WS_URL");
  }

  @Test
  void theScenarioDefaultsToIotSimConfigElseSteadyTelemetry() {
    SimulatorMain main = new SimulatorMain();
    new CommandLine(main).parseArgs();

    assertThat(main.scenario)
        .isEqualTo(System.getenv().getOrDefault("IOT_SIM_CONFIG", "steady-telemetry"));
  }
}
