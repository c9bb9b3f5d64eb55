package org.iotbackbone.simulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.iotbackbone.simulator.internal.SourcePorts;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code simulate}: runs a scenario of simulated devices against a platform's endpoints and writes
 * a report. The endpoints come from the file {@code ./iot up} writes, or from options for a remote
 * cluster. The scenario's keys ({@link Scenario#configDef()}) come from the scenario, then {@code
 * IOT_SIM_*} environment variables, then {@code --set}; {@code kafka.*} among them (such as {@code
 * IOT_SIM_KAFKA_SECURITY_PROTOCOL}) go to the simulator's Kafka client.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Simulated devices against the platform: a scenario, measured, reported.")
public final class SimulatorMain implements Callable<Integer> {

  /** Logback's setting of its configuration, and the simulator's: warnings, on standard error. */
  static final String LOGBACK_PROPERTY = "logback.configurationFile";

  static final String LOGBACK_CONFIG = "simulator-logback.xml";

  /**
   * The registry client logs through java.util.logging, not SLF4J, and warns on standard error of
   * its shared Vert.x instance at every start, in the middle of the live line. Held here because
   * java.util.logging keeps only weak references to its loggers.
   */
  private static final java.util.logging.Logger REGISTRY_CLIENT_LOG =
      java.util.logging.Logger.getLogger("io.apicurio.registry.client.common");

  @Option(
      names = "--endpoints",
      description = "File of endpoint variables (default: ${DEFAULT-VALUE}).",
      defaultValue = ".iot/endpoints.env")
  Path endpointsFile;

  @Option(
      names = "--mqtt-url",
      description =
          "MQTT broker, ssl://host:port (TLS) or tcp://host:port (insecure); several,"
              + " comma-separated, spread the devices over them.")
  String mqttUrl;

  @Option(
      names = "--mqtt-ws-url",
      description =
          "MQTT over secure WebSockets, wss://host:port/mqtt; several, comma-separated (transport"
              + " wss or mixed).")
  String mqttWsUrl;

  @Option(
      names = "--device-ca-file",
      description = "PEM of the CA the devices check the broker's certificate against.")
  Path deviceCaFile;

  @Option(
      names = "--device-pki-dir",
      description =
          "The device CA's directory: the simulator issues each device a certificate from it.")
  Path devicePkiDir;

  @Option(
      names = "--device-certs",
      description =
          "A directory of ID.crt and ID.key for every device (ids PREFIX-RUNID-N, see --run-id),"
              + " instead of issuing them from the device CA.")
  Path deviceCerts;

  @Option(names = "--bootstrap-servers", description = "Kafka's bootstrap.servers.")
  String kafkaBootstrap;

  @Option(
      names = "--schema-registry-url",
      description =
          "The schema.registry.url: the registry's Confluent API (Apicurio's .../apis/ccompat/v7)"
              + " or Apicurio's own (.../apis/registry/v3).")
  String registryUrl;

  @Option(names = "--rest-url", description = "The streams app's REST API, http://host:port.")
  String restUrl;

  // No option: a token on the command line would be in every process listing. The environment's
  // REST_TOKEN wins over the endpoints file's, as the other variables' options do.

  @Option(
      names = "--scenario",
      description =
          "A built-in scenario (${COMPLETION-CANDIDATES}) or a scenario file (default:"
              + " IOT_SIM_CONFIG, else steady-telemetry).",
      // The shared rule's PREFIX_CONFIG names the settings file; for the simulator, the scenario.
      defaultValue = "${env:IOT_SIM_CONFIG:-steady-telemetry}",
      completionCandidates = BuiltIn.class)
  String scenario;

  @Option(
      names = "--set",
      description =
          "Change a key of the scenario, e.g. --set devices=100 --set duration.seconds=10, or set"
              + " a Kafka client setting, e.g. --set kafka.security.protocol=SSL.")
  Map<String, String> changes = new LinkedHashMap<>();

  @Option(
      names = "--source-addresses",
      split = ",",
      description = "Local addresses to connect from, in turn (e.g. 127.0.0.2,127.0.0.3).")
  List<String> sourceAddresses = List.of();

  @Option(names = "--report", description = "Directory of the report (default: .iot/reports/RUN).")
  Path reportDir;

  @Option(
      names = "--processes",
      description =
          "Processes holding the devices: 1 runs them all in this one; 0 (the default) as many as"
              + " the devices need, at one open file each under this process's limit (ulimit -n).",
      defaultValue = "0")
  int processes;

  /** Set by the process that runs a fleet in parts: which part this process runs, as K/N. */
  @Option(names = "--part", hidden = true)
  String part;

  @Option(
      names = "--run-id",
      description =
          "The run's id, 1 to 12 letters or digits: device ids are PREFIX-RUNID-N (default: random)."
              + " The parts of one run share it.")
  String runId;

  public static void main(String[] args) {
    if (System.getProperty(LOGBACK_PROPERTY) == null) {
      System.setProperty(LOGBACK_PROPERTY, LOGBACK_CONFIG);
    }
    REGISTRY_CLIENT_LOG.setLevel(java.util.logging.Level.SEVERE);
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line of the simulator: a refused setting, scenario or endpoint ends it with exit
   * code 2 and one line naming what is wrong, not a stack trace.
   */
  static CommandLine commandLine() {
    CommandLine line = new CommandLine(new SimulatorMain());
    line.setExecutionExceptionHandler(
        (error, commandLine, parsed) -> {
          if (error instanceof IllegalArgumentException
              || error instanceof org.apache.kafka.common.config.ConfigException) {
            commandLine.getErr().println("simulate: " + error.getMessage());
            return 2;
          }
          throw error;
        });
    return line;
  }

  @Override
  public Integer call() throws Exception {
    Map<String, Object> settings = Scenario.settings(scenario, System.getenv(), changes);
    Scenario chosen = Scenario.of(settings, "scenario " + scenario);
    if (part != null) {
      return runPart(chosen);
    }
    SourcePorts.warning(chosen.devices(), sourceAddresses.size())
        .ifPresent(warning -> System.err.println("simulate: " + warning));
    Simulation simulation =
        new Simulation(endpoints(), chosen, sourceAddresses, processes).withKafkaSettings(settings);
    if (deviceCerts != null) {
      simulation = simulation.withDeviceCertificates(deviceCerts);
    }
    if (runId != null) {
      try {
        simulation = simulation.withRunId(runId);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--run-id: " + e.getMessage());
      }
    }
    return run(simulation, reportDir);
  }

  private int runPart(Scenario chosen) throws Exception {
    String[] kn = part.split("/", -1);
    if (kn.length != 2 || runId == null) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--part must be K/N and come with --run-id, not " + part);
    }
    Simulation partSimulation =
        Simulation.part(
            endpoints(),
            chosen,
            sourceAddresses,
            Integer.parseInt(kn[0]),
            Integer.parseInt(kn[1]),
            runId);
    Simulation simulation =
        deviceCerts == null ? partSimulation : partSimulation.withDeviceCertificates(deviceCerts);
    // A Ctrl-C (or SIGTERM from the process that started this one) ends the load; the part still
    // drains and prints its last status before the JVM exits.
    CountDownLatch done = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              simulation.stop();
              awaitQuietly(done);
            },
            "simulation-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      simulation.runAsPart(System.out);
      return 0;
    } finally {
      done.countDown();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
              awaitQuietly(done);
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
      variables.put(Endpoints.MQTT_URLS, mqttUrl);
    }
    if (mqttWsUrl != null) {
      variables.put(Endpoints.MQTT_WS_URLS, mqttWsUrl);
    }
    if (deviceCaFile != null) {
      variables.put(Endpoints.DEVICE_CA_FILE, deviceCaFile.toString());
    }
    if (devicePkiDir != null) {
      variables.put(Endpoints.DEVICE_PKI_DIR, devicePkiDir.toString());
    }
    if (kafkaBootstrap != null) {
      variables.put(Endpoints.KAFKA_BOOTSTRAP, kafkaBootstrap);
    }
    if (registryUrl != null) {
      variables.put(Endpoints.REGISTRY_URL, registryUrl);
    }
    if (restUrl != null) {
      variables.put(Endpoints.REST_URL, restUrl);
    }
    String restToken = System.getenv(Endpoints.REST_TOKEN);
    if (restToken != null && !restToken.isBlank()) {
      variables.put(Endpoints.REST_TOKEN, restToken);
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
