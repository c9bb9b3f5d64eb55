package org.iotbackbone.localstack;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.iotbackbone.capacity.CapacityCommand;
import org.iotbackbone.localstack.internal.LocalPrometheus;
import org.iotbackbone.localstack.internal.SimulatorRun;
import org.iotbackbone.localstack.internal.chaos.ChaosReport;
import org.iotbackbone.localstack.internal.chaos.ChaosRun;
import org.iotbackbone.localstack.internal.chaos.Fault;
import org.iotbackbone.servers.Distribution;
import org.iotbackbone.simulator.Scenario;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./iot}: the platform on this machine. */
@Command(
    name = "iot",
    mixinStandardHelpOptions = true,
    description = "The IoT backbone on this machine, in the background, on loopback.",
    subcommands = {
      IotMain.Up.class,
      IotMain.Down.class,
      IotMain.Status.class,
      IotMain.Logs.class,
      IotMain.Demo.class,
      IotMain.Simulate.class,
      TokenCommand.class,
      DevicesCommand.class,
      IotMain.Chaos.class,
      IotMain.Fuzz.class,
      CapacityCommand.class
    })
public final class IotMain implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // The command's own output is its progress lines; the libraries' logs go to the parts' logs.
    for (String name : new String[] {org.slf4j.Logger.ROOT_LOGGER_NAME, "org.iotbackbone"}) {
      ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.WARN);
    }
    // The registry client's event loop warns of blocked threads while a cold JVM warms up.
    ((Logger) LoggerFactory.getLogger("io.vertx")).setLevel(Level.ERROR);
    System.exit(commandLine().execute(args));
  }

  /**
   * The {@code ./iot} command line: a {@link CommandFailure} (bad state an operator must repair,
   * such as a corrupt CA) is one line on stderr and exit status 1; anything else is a bug and keeps
   * its stack trace.
   */
  public static CommandLine commandLine() {
    CommandLine iot = new CommandLine(new IotMain());
    iot.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (!(e instanceof CommandFailure)) {
            throw e;
          }
          commandLine
              .getErr()
              .println(commandLine.getCommandSpec().qualifiedName() + ": " + e.getMessage());
          commandLine.getErr().flush();
          return 1;
        });
    return iot;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Where the stack lives, shared by the subcommands. */
  static final class Home {
    @Option(
        names = "--home",
        description = "The stack's directory (default: ${DEFAULT-VALUE}).",
        defaultValue = ".iot")
    Path home;

    @Option(
        names = "--partitions",
        description = "Partitions of each topic (default: ${DEFAULT-VALUE}).",
        defaultValue = "3")
    int partitions;

    @Option(
        names = "--full-jit",
        description =
            "Run servers and parts with the full JIT and G1, for measuring (slower start).")
    boolean fullJit;

    @Option(
        names = "--brokers",
        description =
            "MQTT broker processes behind the bridge (default: ${DEFAULT-VALUE}); one holds at"
                + " most its open-file limit in connections, so larger fleets need several.",
        defaultValue = "1")
    int brokers;

    @Option(
        names = "--insecure",
        description =
            "Kafka on PLAINTEXT with no principals or ACLs, and MQTT on a plain anonymous"
                + " listener (the devices/%%c/# ACL only), as before identities existed; by"
                + " default every part logs in to Kafka as its own principal (SCRAM) with the"
                + " least ACLs it needs, .iot/principals/ holds each principal's client file, and"
                + " the brokers take devices over TLS and secure WebSockets by certificates of"
                + " the stack's device CA (.iot/pki/).")
    boolean insecure;

    Platform platform() {
      return platform(false);
    }

    Platform platform(boolean monitoring) {
      try {
        return new Platform(
            home,
            new Platform.Options(
                    partitions, !fullJit, Duration.ofMinutes(5), "local", brokers, !insecure)
                .withMonitoring(monitoring));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            new CommandLine(new IotMain()), "--" + e.getMessage());
      }
    }
  }

  private static void say(String line) {
    System.out.println("iot: " + line);
  }

  @Command(name = "up", description = "Start everything, wait until healthy, write endpoints.env.")
  static final class Up implements Callable<Integer> {
    @Mixin Home home;

    @Option(
        names = "--monitoring",
        description =
            "Also run Prometheus (Debian's prometheus package) on a free loopback port, scraping"
                + " every part endpoints.env lists (METRICS_*_URLS) with the alert rules of"
                + " strimzi/base/monitoring loaded; prints its URL and writes PROMETHEUS_URL into"
                + " endpoints.env. `down` stops it.")
    boolean monitoring;

    @Override
    public Integer call() throws Exception {
      if (monitoring && LocalPrometheus.binary().isEmpty()) {
        // A configuration error, before anything starts.
        System.err.println("iot: " + LocalPrometheus.MISSING);
        return 2;
      }
      home.platform(monitoring).up(IotMain::say);
      return 0;
    }
  }

  @Command(name = "down", description = "Stop everything `up` started and delete its data.")
  static final class Down implements Callable<Integer> {
    @Mixin Home home;

    @Override
    public Integer call() throws Exception {
      Platform platform = home.platform();
      if (platform.parts().isEmpty()) {
        say("nothing runs");
        return 0;
      }
      platform.down(IotMain::say);
      return 0;
    }
  }

  @Command(
      name = "status",
      description = "What runs, where, and its health. Exit 1 when unhealthy.")
  static final class Status implements Callable<Integer> {
    @Mixin Home home;

    @Override
    public Integer call() {
      Platform platform = home.platform();
      Map<String, Map<String, String>> parts = platform.parts();
      if (parts.isEmpty()) {
        say("nothing runs (./iot up starts it)");
        return 1;
      }
      boolean healthy = true;
      for (Map.Entry<String, Optional<String>> entry : platform.status().entrySet()) {
        Map<String, String> part = parts.get(entry.getKey());
        healthy &= entry.getValue().isEmpty();
        System.out.printf(
            "%-16s pid %-8s %-10s %-28s %s%n",
            entry.getKey(),
            part.get("pid"),
            entry.getValue().isEmpty() ? "healthy" : "UNHEALTHY",
            part.getOrDefault("health", ""),
            entry.getValue().orElse(""));
      }
      Path endpoints = platform.home().resolve("endpoints.env");
      if (Files.exists(endpoints)) {
        System.out.println("endpoints: " + endpoints);
      }
      return healthy ? 0 : 1;
    }
  }

  @Command(name = "logs", description = "Print a part's log (the last lines; -f follows it).")
  static final class Logs implements Callable<Integer> {
    @Mixin Home home;

    @Parameters(
        paramLabel = "PART",
        description =
            "mqtt (mqtt-2, ... with --brokers), kafka, schema-registry, cassandra, streams-app,"
                + " ingest-bridge, connect")
    String part;

    @Option(names = "-n", description = "Lines (default: ${DEFAULT-VALUE}).", defaultValue = "100")
    int lines;

    @Option(
        names = {"-f", "--follow"},
        description = "Keep printing what is appended.")
    boolean follow;

    @Override
    public Integer call() throws Exception {
      Platform platform = home.platform();
      Optional<Path> log = platform.logOf(part);
      if (log.isEmpty()) {
        System.err.println(
            "iot: no part '" + part + "'; running parts: " + platform.parts().keySet());
        return 2;
      }
      List<String> all = Files.readAllLines(log.get(), StandardCharsets.UTF_8);
      all.subList(Math.max(0, all.size() - lines), all.size()).forEach(System.out::println);
      if (follow) {
        try (RandomAccessFile file = new RandomAccessFile(log.get().toFile(), "r")) {
          file.seek(file.length());
          while (true) {
            String line = file.readLine();
            if (line == null) {
              Thread.sleep(200);
            } else {
              System.out.println(line);
            }
          }
        }
      }
      return 0;
    }
  }

  @Command(
      name = "demo",
      description = "`up`, then simulated devices with a live line, until Ctrl-C.")
  static final class Demo implements Callable<Integer> {
    @Mixin Home home;

    @Option(
        names = "--devices",
        description = "Simulated devices (default: ${DEFAULT-VALUE}).",
        defaultValue = "1000")
    int devices;

    @Option(
        names = "--events-per-second",
        description = "Events per second over all devices (default: ${DEFAULT-VALUE}).",
        defaultValue = "100")
    int eventsPerSecond;

    @Override
    public Integer call() throws Exception {
      Platform platform = home.platform();
      platform.up(IotMain::say);
      Path endpointsFile = platform.home().resolve("endpoints.env");
      // The run id is chosen here, so that the hints below can name a device before it exists.
      String runId = UUID.randomUUID().toString().replace("-", "").substring(0, 6);
      String device = Scenario.load("demo").devicePrefix() + "-" + runId + "-0";
      say("simulating " + devices + " devices; Ctrl-C stops them");
      say("meanwhile, in another terminal:");
      System.out.println("  . " + endpointsFile);
      // The API wants a bearer token; endpoints.env has one with every scope.
      String auth = " -H \"Authorization: Bearer $REST_TOKEN\"";
      System.out.println("  curl -s" + auth + " $REST_URL/devices/" + device + "/shadow");
      System.out.println(
          "  curl -s"
              + auth
              + " -XPOST -H 'Content-Type: application/json' -d '{\"name\":\"reboot\"}'"
              + " $REST_URL/devices/"
              + device
              + "/commands");
      System.out.println("  curl -s" + auth + " $REST_URL/commands/COMMAND_ID");
      List<String> arguments =
          new java.util.ArrayList<>(
              List.of(
                  "--endpoints",
                  endpointsFile.toString(),
                  "--scenario",
                  "demo",
                  "--set",
                  "devices=" + devices,
                  "--set",
                  "events.per.second=" + eventsPerSecond,
                  "--run-id",
                  runId));
      if (org.iotbackbone.simulator.Endpoints.readEnvFile(endpointsFile)
          .containsKey(org.iotbackbone.simulator.Endpoints.MQTT_WS_URL)) {
        // A secure stack: half the devices over MQTT/TLS, half over secure WebSockets, each with
        // a certificate the simulator issues from the stack's CA (DEVICE_PKI_DIR).
        arguments.addAll(List.of("--set", "transport=mixed"));
        say(
            "devices over mutual TLS and secure WebSockets, certificates of "
                + platform.devicePki());
      }
      int status = SimulatorRun.run(arguments);
      say("the platform keeps running: ./iot status, ./iot down");
      return status;
    }
  }

  /**
   * {@code simulate}: the simulator's distribution with the arguments as given ({@code ./iot
   * simulate --help} lists them).
   */
  @Command(
      name = "simulate",
      description =
          "Simulated devices against the platform (device-simulator; --help for its" + " options).")
  static final class Simulate implements Callable<Integer> {
    @CommandLine.Unmatched List<String> arguments = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
      return SimulatorRun.run(arguments);
    }
  }

  /**
   * {@code chaos}: a platform of its own (not the one {@code up} started), the simulator against
   * it, and one fault at a time into each part; the report, and exit code 1 on any loss.
   */
  @Command(
      name = "chaos",
      description =
          "Start a platform of its own, inject one fault at a time into each part while simulated"
              + " devices run, check that nothing acknowledged was lost, write an HTML report."
              + " Exit code 0: every promise kept; 1: a loss or a part that did not recover.")
  static final class Chaos implements Callable<Integer> {
    @Option(
        names = "--home",
        description = "Where the chaos platform and the report live (default: ${DEFAULT-VALUE}).",
        defaultValue = ".iot/chaos")
    Path home;

    @Option(
        names = "--fault",
        description =
            "A fault KIND[=AMOUNT]:PART[/PART]:SECONDS: kill or pause a part; partition, loss"
                + " (=percent) or delay (=ms) a part's network or the path between two parts"
                + " (kafka/ingest-bridge). Parts: mqtt, kafka, schema-registry, cassandra,"
                + " ingest-bridge, streams-app, connect. Repeat for several. Default: every part"
                + " killed, then frozen, then (as root, with iproute2) cut off, then the paths"
                + " between them cut and made lossy.")
    List<String> faults = new java.util.ArrayList<>();

    @Option(
        names = "--short",
        description =
            "CI's short run: the bridge killed, Kafka frozen, the bridge cut off from Kafka.")
    boolean shortRun;

    @Option(
        names = "--devices",
        description = "Simulated devices in each run (default: ${DEFAULT-VALUE}).",
        defaultValue = "30")
    int devices;

    @Override
    public Integer call() throws Exception {
      boolean network = ChaosRun.networkUnavailableReason().isEmpty();
      if (faults.isEmpty() && !network) {
        say("no network faults: " + ChaosRun.networkUnavailableReason().get());
      }
      List<Fault> plan;
      try {
        plan =
            !faults.isEmpty()
                ? faults.stream().map(Fault::parse).toList()
                : shortRun ? ChaosRun.shortPlan(network) : ChaosRun.fullPlan(network);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(new CommandLine(new IotMain()), e.getMessage());
      }
      ChaosReport report =
          ChaosRun.run(
              home.resolve(
                  LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))),
              Distribution.repositoryRoot(IotMain.class),
              ChaosRun.Options.of(plan, devices),
              IotMain::say);
      System.out.print(report.text());
      say("report: " + report.page());
      return report.passed() ? 0 : 1;
    }
  }

  /**
   * {@code fuzz}: randomized inputs through the platform's doors against the stack {@code up}
   * started (or any, by its endpoints file); exit code 1 on any input not accounted for, a part
   * that died, or a normal device that no longer gets through. Fully qualified names keep this
   * command's edit of the file to this class and its line in the list above.
   */
  @Command(
      name = "fuzz",
      description =
          "Randomized inputs against the running stack through MQTT, raw MQTT packets, REST and"
              + " Kafka; checks that each is accounted for (a record, a dead letter with a reason,"
              + " or a refusal), that every part still runs and a normal device still gets"
              + " through. Prints the seed and count first, so that a failure replays. Exit code"
              + " 0: passed; 1: failed; 2: no stack.")
  static final class Fuzz implements Callable<Integer> {
    @Option(names = "--seed", description = "The seed (default: a random one, printed).")
    Long seed;

    @Option(
        names = "--count",
        description = "Inputs over all doors (default: ${DEFAULT-VALUE}).",
        defaultValue = "100000")
    int count;

    @Option(
        names = "--home",
        description = "The stack's directory (default: ${DEFAULT-VALUE}).",
        defaultValue = ".iot")
    Path home;

    @Option(
        names = "--endpoints",
        description =
            "An endpoints file of another stack (default: HOME/endpoints.env); its parts'"
                + " health is then not checked.")
    Path endpoints;

    @Option(
        names = "--no-acl",
        description = "The brokers do not apply the devices/%%c/# ACL (./iot up's do).")
    boolean noAcl;

    @Option(
        names = "--report",
        description = "Where the JSON summary goes (default: HOME/fuzz-SEED.json).")
    Path report;

    @Override
    public Integer call() throws Exception {
      long s = seed != null ? seed : new java.security.SecureRandom().nextLong();
      if (count < 1) {
        throw new CommandLine.ParameterException(
            new CommandLine(new IotMain()), "--count must be at least 1");
      }
      say(
          "fuzz seed "
              + s
              + " count "
              + count
              + " (replay: ./iot fuzz --seed "
              + s
              + " --count "
              + count
              + ")");
      Path file = endpoints != null ? endpoints : home.resolve("endpoints.env");
      if (!Files.exists(file)) {
        System.err.println("iot: no " + file + ": ./iot up first, or --endpoints FILE");
        return 2;
      }
      Platform platform = new Platform(home, Platform.Options.defaults());
      java.util.function.Supplier<Map<String, Optional<String>>> parts =
          endpoints == null ? platform::status : Map::of;
      org.iotbackbone.localstack.internal.fuzz.FuzzReport result =
          org.iotbackbone.localstack.internal.fuzz.FuzzRun.run(
              new org.iotbackbone.localstack.internal.fuzz.FuzzRun.Target(
                  org.iotbackbone.simulator.Endpoints.fromVariables(
                      org.iotbackbone.simulator.Endpoints.readEnvFile(file), file.toString()),
                  org.iotbackbone.localstack.internal.DeviceEndpoints.fromEnvFile(file),
                  !noAcl,
                  parts),
              s,
              count,
              IotMain::say);
      System.out.print(result.text());
      Path json = report != null ? report : home.resolve("fuzz-" + s + ".json");
      Files.createDirectories(json.toAbsolutePath().getParent());
      Files.writeString(json, result.json());
      say("report: " + json);
      return result.passed() ? 0 : 1;
    }
  }
}
