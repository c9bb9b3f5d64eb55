package org.iotbackbone.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.iotbackbone.simulator.internal.CommandSender;
import org.iotbackbone.simulator.internal.Fleet;
import org.iotbackbone.simulator.internal.Metrics;
import org.iotbackbone.simulator.internal.Metrics.Count;
import org.iotbackbone.simulator.internal.PipelineWatch;
import org.iotbackbone.simulator.internal.ProgressLine;

/**
 * One run of a {@link Scenario} against running {@link Endpoints}: the devices connect on the
 * scenario's ramp, make its load for its duration, then the run waits (up to the scenario's drain
 * time) for what is still on its way and reports.
 *
 * <pre>{@code
 * Simulation simulation = new Simulation(endpoints, Scenario.load("steady-telemetry"), List.of());
 * SimulationReport report = simulation.run(System.out::println);
 * report.write(Path.of("target/sim-report"));
 * }</pre>
 *
 * <p>{@link #stop()} (from another thread, such as a Ctrl-C hook) ends the load early; the run
 * still drains and reports.
 */
public final class Simulation {

  /** The load's clock: every 5 ms it sends what is due. */
  private static final long TICK_MS = 5;

  private final Endpoints endpoints;
  private final Scenario scenario;
  private final List<String> sourceAddresses;
  private final String runId = UUID.randomUUID().toString().substring(0, 6);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Metrics live;

  /**
   * @param sourceAddresses local addresses the devices' connections start from, in turn (several
   *     lift the limit of about 28,000 connections from one address to one broker port); empty for
   *     the system's choice
   */
  public Simulation(Endpoints endpoints, Scenario scenario, List<String> sourceAddresses) {
    this.endpoints = endpoints;
    this.scenario = scenario;
    this.sourceAddresses = List.copyOf(sourceAddresses);
  }

  /** The prefix of this run's device ids: {@code PREFIX-RUNID}. */
  public String devicePrefix() {
    return scenario.devicePrefix() + "-" + runId;
  }

  /** Ends the load now; {@link #run} drains and reports. */
  public void stop() {
    stopped.countDown();
  }

  /**
   * A counter of the running simulation, by its name in the report ({@code deltas_received}, ...);
   * 0 before {@link #run} starts.
   */
  public long liveTotal(String counter) {
    Metrics metrics = live;
    return metrics == null
        ? 0
        : metrics.total(Count.valueOf(counter.toUpperCase(java.util.Locale.ROOT)));
  }

  /** Runs the scenario; {@code progress} gets a line a second. */
  public SimulationReport run(Consumer<String> progress) throws InterruptedException {
    Metrics metrics = new Metrics();
    live = metrics;
    ScheduledExecutorService scheduler =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "simulator");
              t.setDaemon(true);
              return t;
            });
    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    ProgressLine line = new ProgressLine(scenario, metrics);
    var sampler =
        scheduler.scheduleAtFixedRate(
            () ->
                progress.accept(
                    line.format(
                        metrics.sample((System.nanoTime() - start) / 1_000_000, 1.0),
                        devicePrefix())),
            1,
            1,
            TimeUnit.SECONDS);
    Fleet fleet =
        new Fleet(
            devicePrefix(),
            scenario.devices(),
            endpoints.mqttHost(),
            endpoints.mqttPort(),
            sourceAddresses,
            scenario.eventPayloadBytes(),
            metrics,
            scheduler);
    Duration ramp = Duration.ZERO;
    Duration load = Duration.ZERO;
    try (PipelineWatch watch =
        new PipelineWatch(
            endpoints.kafkaBootstrap(), endpoints.registryUrl(), devicePrefix(), metrics)) {
      watch.start(Duration.ofSeconds(60));
      long rampStart = System.nanoTime();
      connectAll(fleet, metrics);
      ramp = Duration.ofNanos(System.nanoTime() - rampStart);
      long loadStart = System.nanoTime();
      runLoad(fleet, new CommandSender(endpoints.restUrl(), metrics));
      load = Duration.ofNanos(System.nanoTime() - loadStart);
      drain(metrics, watch);
      sampler.cancel(false);
      metrics.sample((System.nanoTime() - start) / 1_000_000, 1.0);
    } finally {
      sampler.cancel(false);
      fleet.stop();
      scheduler.shutdownNow();
    }
    return new SimulationReport(scenario, devicePrefix(), startedAt, ramp, load, metrics);
  }

  /** Starts connects at the scenario's rate; returns when all are up, or stopped, or stuck. */
  private void connectAll(Fleet fleet, Metrics metrics) throws InterruptedException {
    long start = System.nanoTime();
    int started = 0;
    while (started < fleet.size() && stopped.getCount() > 0) {
      long due =
          Math.min(
              fleet.size(),
              (System.nanoTime() - start) * scenario.connectPerSecond() / 1_000_000_000L + 1);
      for (; started < due; started++) {
        fleet.connect(started);
      }
      stopped.await(TICK_MS, TimeUnit.MILLISECONDS);
    }
    // Wait for the stragglers, but not for ever: a fleet that cannot all connect still runs.
    long patience = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (metrics.connected() < fleet.size()
        && System.nanoTime() < patience
        && stopped.getCount() > 0) {
      stopped.await(50, TimeUnit.MILLISECONDS);
    }
  }

  private void runLoad(Fleet fleet, CommandSender commands) throws InterruptedException {
    long start = System.nanoTime();
    long end = start + scenario.duration().toNanos();
    long events = 0;
    long updates = 0;
    long sentCommands = 0;
    while (System.nanoTime() < end && stopped.getCount() > 0) {
      long elapsed = System.nanoTime() - start;
      long dueEvents = elapsed * scenario.eventsPerSecond() / 1_000_000_000L;
      for (; events < dueEvents; events++) {
        if (fleet.sendEvent() == null) {
          break;
        }
      }
      long dueUpdates = elapsed * scenario.shadowUpdatesPerSecond() / 1_000_000_000L;
      for (; updates < dueUpdates; updates++) {
        if (!fleet.sendShadowUpdate()) {
          break;
        }
      }
      long dueCommands = elapsed * scenario.commandsPerSecond() / 1_000_000_000L;
      for (; sentCommands < dueCommands; sentCommands++) {
        String device = fleet.randomConnected();
        if (device == null) {
          break;
        }
        commands.send(device);
      }
      stopped.await(TICK_MS, TimeUnit.MILLISECONDS);
    }
  }

  /** Waits until every event sent arrived in Kafka, or the drain time passed. */
  private void drain(Metrics metrics, PipelineWatch watch) throws InterruptedException {
    long deadline = System.nanoTime() + scenario.drain().toNanos();
    while (System.nanoTime() < deadline) {
      boolean eventsIn = watch.distinctEvents() >= metrics.total(Count.EVENTS_SENT);
      boolean updatesAnswered =
          metrics.total(Count.UPDATES_ACCEPTED) + metrics.total(Count.UPDATES_REJECTED)
              >= metrics.total(Count.UPDATES_SENT);
      boolean commandsIn =
          metrics.total(Count.COMMANDS_RECEIVED) >= metrics.total(Count.COMMANDS_SENT);
      if (eventsIn && updatesAnswered && commandsIn) {
        // The changelog trails the answers by a commit interval.
        Thread.sleep(Math.min(2_000, scenario.drain().toMillis()));
        return;
      }
      Thread.sleep(100);
    }
  }
}
