package org.iotbackbone.localstack.internal.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.iotbackbone.localstack.internal.StackParts;
import org.iotbackbone.servers.netlab.NetLab;
import org.iotbackbone.simulator.Count;
import org.iotbackbone.simulator.Scenario;
import org.iotbackbone.simulator.Simulation;
import org.iotbackbone.simulator.SimulationReport;

/**
 * The chaos suite: the whole platform, the simulator's {@code chaos} scenario against it, and one
 * fault at a time. Each fault gets a run of its own (its own devices): load for {@code warmup}, the
 * fault for its duration, its end, the wait until every part is healthy, load for {@code after},
 * the simulator's drain, then the {@link Ledger}'s checks.
 */
public final class ChaosRun {

  /**
   * @param faults injected one after another
   * @param devices simulated devices in every run
   * @param warmup load before each fault
   * @param after load after the platform has recovered
   * @param recoveryTimeout how long the parts may take to be healthy again
   * @param settle how long the ledger waits for what is still on its way (the sink, expiries)
   * @param drain how long the simulator waits for what its devices sent once the load has ended
   * @param settings how the platform is started
   */
  public record Options(
      List<Fault> faults,
      int devices,
      Duration warmup,
      Duration after,
      Duration recoveryTimeout,
      Duration settle,
      Duration drain,
      StackParts.Settings settings) {
    public Options {
      faults = List.copyOf(faults);
      if (faults.isEmpty()) {
        throw new IllegalArgumentException("no faults to inject");
      }
      if (devices < 1 || devices > 10_000) {
        throw new IllegalArgumentException("devices must be from 1 to 10000: " + devices);
      }
    }

    /**
     * {@code faults} with {@code devices} each, and the timings a run on one machine needs: 10 s of
     * load before and after, 3 minutes to recover (Cassandra's restart is the slowest), 90 s for
     * the sink and the commands' expiry to settle.
     */
    /** These options with shorter waits before and after each fault, for CI's short run. */
    public Options quick() {
      return new Options(
          faults,
          devices,
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          recoveryTimeout,
          Duration.ofSeconds(60),
          Duration.ofSeconds(10),
          settings);
    }

    public static Options of(List<Fault> faults, int devices) {
      return new Options(
          faults,
          devices,
          Duration.ofSeconds(10),
          Duration.ofSeconds(10),
          Duration.ofMinutes(3),
          Duration.ofSeconds(90),
          Duration.ofSeconds(20),
          new StackParts.Settings(
              3, true, Duration.ofMinutes(5), "chaos", 1, Map.of(), Map.of(), true));
    }
  }

  /** The parts a fault can be injected into: the servers, then the platform's own processes. */
  public static final List<String> PARTS =
      List.of(
          "mqtt",
          "kafka",
          "schema-registry",
          "cassandra",
          "ingest-bridge",
          "streams-app",
          "connect");

  /**
   * Every part killed and restarted, then every part frozen; with a network lab, then every part
   * cut off, and the paths the platform depends on cut or made lossy one at a time: what {@code
   * ./iot chaos} runs unless told otherwise.
   */
  public static List<Fault> fullPlan(boolean network) {
    List<Fault> plan = new ArrayList<>();
    for (String part : PARTS) {
      plan.add(new Fault(Fault.Kind.KILL, part, Duration.ofSeconds(10)));
    }
    for (String part : PARTS) {
      plan.add(new Fault(Fault.Kind.PAUSE, part, Duration.ofSeconds(20)));
    }
    if (network) {
      for (String part : PARTS) {
        plan.add(new Fault(Fault.Kind.PARTITION, part, Duration.ofSeconds(20)));
      }
      for (String path :
          List.of(
              "ingest-bridge/kafka",
              "ingest-bridge/mqtt",
              "ingest-bridge/schema-registry",
              "streams-app/kafka",
              "connect/cassandra",
              "connect/kafka")) {
        plan.add(new Fault(Fault.Kind.PARTITION, path, Duration.ofSeconds(20)));
        plan.add(new Fault(Fault.Kind.LOSS, path, Duration.ofSeconds(20), 30));
      }
    }
    return plan;
  }

  /**
   * CI's short run: the bridge killed (the uplink's at-least-once and the downlink's restart),
   * Kafka frozen (back-pressure without loss) and, with a network lab, the bridge cut off from
   * Kafka: a few minutes in all.
   */
  public static List<Fault> shortPlan(boolean network) {
    List<Fault> plan = new ArrayList<>();
    plan.add(new Fault(Fault.Kind.KILL, "ingest-bridge", Duration.ofSeconds(5)));
    plan.add(new Fault(Fault.Kind.PAUSE, "kafka", Duration.ofSeconds(15)));
    if (network) {
      plan.add(new Fault(Fault.Kind.PARTITION, "ingest-bridge/kafka", Duration.ofSeconds(15)));
    }
    return plan;
  }

  /**
   * Why the parts cannot run in a network lab here (not root, no iproute2, namespaces refused), so
   * that network faults cannot be injected; empty when they can.
   */
  public static Optional<String> networkUnavailableReason() {
    return NetLab.unavailableReason();
  }

  private ChaosRun() {}

  /**
   * Starts the platform in {@code home}, runs every fault, writes the report into {@code
   * home/report}, stops the platform; returns the outcomes.
   */
  public static ChaosReport run(
      Path home, Path repoRoot, Options options, Consumer<String> progress) throws Exception {
    boolean network = options.faults().stream().anyMatch(fault -> fault.kind().network());
    for (Fault fault : options.faults()) {
      for (String part : fault.parts()) {
        if (!PARTS.contains(part)) {
          throw new IllegalArgumentException(
              "no part '" + part + "' in " + fault.slug() + "; the parts: " + PARTS);
        }
      }
    }
    if (network && networkUnavailableReason().isPresent()) {
      throw new IllegalArgumentException(
          "network faults need a network lab, which cannot run here: "
              + networkUnavailableReason().get());
    }
    List<Outcome> outcomes = new ArrayList<>();
    Path reports = home.resolve("report");
    Optional<NetLab> lab =
        network
            ? Optional.of(NetLab.create("ch" + UUID.randomUUID().toString().substring(0, 6)))
            : Optional.empty();
    try (ChaosPlatform platform =
            ChaosPlatform.start(
                home.resolve("stack"), options.settings(), repoRoot, lab, progress);
        Ledger ledger =
            new Ledger(
                platform.endpoints().kafkaClientConfig(),
                platform.endpoints().registry(),
                platform.endpoints().restUrl(),
                platform.endpoints().restAuthorization(),
                platform.cqlContactPoint(),
                platform.cqlDatacenter(),
                platform.keyspace())) {
      int index = 0;
      for (Fault fault : options.faults()) {
        index++;
        progress.accept("fault " + index + "/" + options.faults().size() + ": " + fault.label());
        Outcome outcome = scenario(platform, ledger, fault, index, options, reports, progress);
        outcomes.add(outcome);
        outcome
            .checks()
            .forEach(
                check ->
                    progress.accept(
                        String.format(
                            "  %s %s: %s",
                            check.kept() ? "ok  " : "LOST", check.name(), check.detail())));
        if (outcome.recoveredAt() < 0) {
          progress.accept("  the platform did not recover; later faults are not run");
          break;
        }
      }
    }
    ChaosReport report = new ChaosReport(outcomes);
    report.write(reports);
    return report;
  }

  private static Outcome scenario(
      ChaosPlatform platform,
      Ledger ledger,
      Fault fault,
      int index,
      Options options,
      Path reports,
      Consumer<String> progress)
      throws Exception {
    // Letters and digits only, and a fixed width so that no run's prefix is another's.
    String runId =
        String.format(Locale.ROOT, "c%02d%s", index, UUID.randomUUID().toString().substring(0, 6))
            .replace("-", "0");
    Scenario scenario =
        Scenario.load("chaos")
            .with(
                Map.of(
                    Scenario.DEVICES_CONFIG,
                    Integer.toString(options.devices()),
                    Scenario.DRAIN_SECONDS_CONFIG,
                    Long.toString(options.drain().toSeconds()),
                    // Ended by stop() once the fault is over; the limit is a backstop.
                    Scenario.DURATION_SECONDS_CONFIG,
                    "3600"));
    Simulation simulation =
        new Simulation(platform.endpoints(), scenario, List.of()).withRunId(runId);
    long start = System.nanoTime();
    CompletableFuture<SimulationReport> running =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return simulation.run(line -> {});
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
              }
            });
    awaitConnected(simulation, options.devices(), Duration.ofSeconds(120));
    Thread.sleep(options.warmup().toMillis());
    double injectedAt = seconds(start);
    fault.inject(platform);
    Thread.sleep(fault.duration().toMillis());
    fault.heal(platform);
    double healedAt = seconds(start);
    Map<String, String> problems = platform.awaitHealthy(options.recoveryTimeout());
    double recoveredAt = problems.isEmpty() ? seconds(start) : -1;
    progress.accept(
        problems.isEmpty()
            ? String.format("  healthy again %.1f s after the fault ended", recoveredAt - healedAt)
            : "  not healthy within " + options.recoveryTimeout().toSeconds() + " s: " + problems);
    Thread.sleep(options.after().toMillis());
    simulation.stop();
    SimulationReport report;
    try {
      report = running.join();
    } catch (CompletionException e) {
      throw new IllegalStateException(
          "the simulation of " + fault.slug() + " failed", e.getCause());
    }
    writeQuietly(report, reports.resolve(runId), progress);
    List<Ledger.Check> checks = new ArrayList<>();
    try {
      checks.addAll(ledger.check(report, simulation.devicePrefix() + "-", options.settle()));
    } catch (RuntimeException e) {
      // A record of this run that cannot be read back (its schema unknown to the registry, say)
      // is a loss like a missing one: reported, and the next fault still runs.
      checks.add(new Ledger.Check("the run's records can be read back", false, e.toString()));
    }
    if (!problems.isEmpty()) {
      checks.add(new Ledger.Check("every part recovers", false, problems.toString()));
    }
    return new Outcome(
        fault,
        simulation.devicePrefix(),
        Instant.now().minusNanos(System.nanoTime() - start),
        injectedAt,
        healedAt,
        recoveredAt,
        report.summary(),
        checks);
  }

  private static void awaitConnected(Simulation simulation, int devices, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (simulation.liveTotal(Count.CONNECTS) < devices && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
  }

  private static void writeQuietly(SimulationReport report, Path dir, Consumer<String> progress) {
    try {
      report.write(dir);
    } catch (IOException e) {
      progress.accept("  cannot write the run's report into " + dir + ": " + e);
    }
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
