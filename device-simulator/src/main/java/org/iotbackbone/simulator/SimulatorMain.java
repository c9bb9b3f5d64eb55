package org.iotbackbone.simulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code simulate}: runs a scenario of simulated devices against a platform's endpoints and writes
 * a report. The endpoints come from the file {@code ./iot up} writes, or from options for a remote
 * cluster.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Simulated devices against the platform: a scenario, measured, reported.")
public final class SimulatorMain implements Callable<Integer> {

  @Option(
      names = "--endpoints",
      description = "File of endpoint variables (default: ${DEFAULT-VALUE}).",
      defaultValue = ".iot/endpoints.env")
  Path endpointsFile;

  @Option(names = "--mqtt-url", description = "MQTT broker, tcp://host:port.")
  String mqttUrl;

  @Option(names = "--kafka-bootstrap", description = "Kafka bootstrap servers.")
  String kafkaBootstrap;

  @Option(names = "--registry-url", description = "Registry's Apicurio API (.../apis/registry/v3).")
  String registryUrl;

  @Option(names = "--rest-url", description = "The streams app's REST API, http://host:port.")
  String restUrl;

  @Option(
      names = "--scenario",
      description = "A built-in scenario (${COMPLETION-CANDIDATES}) or a scenario file.",
      defaultValue = "steady-telemetry",
      completionCandidates = BuiltIn.class)
  String scenario;

  @Option(
      names = "--set",
      description =
          "Change a key of the scenario, e.g. --set devices=100 --set duration.seconds=10.")
  Map<String, String> changes = new LinkedHashMap<>();

  @Option(
      names = "--source-addresses",
      split = ",",
      description = "Local addresses to connect from, in turn (e.g. 127.0.0.2,127.0.0.3).")
  List<String> sourceAddresses = List.of();

  @Option(names = "--report", description = "Directory of the report (default: .iot/reports/RUN).")
  Path reportDir;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SimulatorMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Scenario chosen = Scenario.load(scenario).with(changes);
    Simulation simulation = new Simulation(endpoints(), chosen, sourceAddresses);
    return run(simulation, reportDir);
  }

  /**
   * Runs a simulation in the foreground with a live line, and Ctrl-C ending the load: the run still
   * drains and writes its report before the JVM exits.
   */
  public static int run(Simulation simulation, Path reportDir) throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              simulation.stop();
              try {
                done.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "simulation-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      SimulationReport report = simulation.run(line -> System.out.print("\r" + line + "   "));
      System.out.println();
      Path dir =
          reportDir != null ? reportDir : Path.of(".iot", "reports", simulation.devicePrefix());
      Path page = report.write(dir);
      System.out.print(report.text());
      System.out.println("report: " + page.toAbsolutePath() + " (and summary.json beside it)");
      return 0;
    } finally {
      done.countDown();
    }
  }

  private Endpoints endpoints() throws Exception {
    Map<String, String> variables = new LinkedHashMap<>();
    if (Files.isRegularFile(endpointsFile)) {
      variables.putAll(Endpoints.readEnvFile(endpointsFile));
    }
    if (mqttUrl != null) {
      variables.put(Endpoints.MQTT_URL, mqttUrl);
    }
    if (kafkaBootstrap != null) {
      variables.put(Endpoints.KAFKA_BOOTSTRAP, kafkaBootstrap);
    }
    if (registryUrl != null) {
      variables.put(Endpoints.REGISTRY_APICURIO_URL, registryUrl);
    }
    if (restUrl != null) {
      variables.put(Endpoints.REST_URL, restUrl);
    }
    return Endpoints.fromVariables(
        variables, Files.isRegularFile(endpointsFile) ? endpointsFile + " and options" : "options");
  }

  /** The built-in scenarios, for picocli's help. */
  static final class BuiltIn extends java.util.ArrayList<String> {
    private static final long serialVersionUID = 1L;

    BuiltIn() {
      super(Scenario.BUILT_IN);
    }
  }
}
