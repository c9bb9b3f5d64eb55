package org.iotbackbone.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.schemas.config.EnvironmentRule;
import org.iotbackbone.schemas.config.KafkaClientSettings;
import org.iotbackbone.servers.launch.Launch;
import org.iotbackbone.simulator.internal.CommandSender;
import org.iotbackbone.simulator.internal.DeviceLinks;
import org.iotbackbone.simulator.internal.DeviceTls;
import org.iotbackbone.simulator.internal.Fleet;
import org.iotbackbone.simulator.internal.JobRun;
import org.iotbackbone.simulator.internal.Metrics;
import org.iotbackbone.simulator.internal.PartStatus;
import org.iotbackbone.simulator.internal.Parts;
import org.iotbackbone.simulator.internal.PipelineWatch;
import org.iotbackbone.simulator.internal.ProgressLine;
import org.iotbackbone.simulator.internal.RampEnd;

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

  /** How long the ramp waits for one more device to connect before the load starts without it. */
  private static final Duration STRAGGLER_PATIENCE = Duration.ofSeconds(30);

  /**
   * Open files a simulator process keeps for itself (its jars, Kafka's and the REST client's
   * sockets, epoll); each device holds one more, its connection.
   */
  private static final int FILES_KEPT = 1_000;

  /**
   * The JVM options of a part (a process that holds devices). Its live heap grows with the devices
   * held (about 8 KB each on plain TCP, 26 KB over mutual TLS) but its garbage comes in bursts (a
   * TLS handshake's), and G1, the default, grew the heap to 4 times the live data on the ramp and
   * kept it: 117 KB of resident memory per device held over mutual TLS (docs/benchmarks.md, "Held
   * idle devices"). The serial collector grows the old generation only as far as the live data
   * needs (10-20% free after a full collection) beside a small fixed young generation; on 2 cores
   * shared by several parts its single GC thread costs no speed.
   */
  static final List<String> PART_JVM_OPTIONS =
      List.of("-XX:+UseSerialGC", "-Xmn64m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20");

  private final Endpoints endpoints;
  private final Scenario scenario;
  private final List<String> sourceAddresses;
  private final int processes;
  private final Part part;
  // A part's: counted down when the parent says the whole fleet is up and the load starts.
  private final CountDownLatch loadStartedByParent = new CountDownLatch(1);
  private final String runId;
  private final KafkaClientSettings kafka;
  private final Path deviceCertificates;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Metrics live;

  /**
   * A simulation in as many processes as the fleet needs (see {@link #processesFor}).
   *
   * @param sourceAddresses local addresses the devices' connections start from, in turn (several
   *     lift the limit of about 28,000 connections from one address to one broker port); empty for
   *     the system's choice
   */
  public Simulation(Endpoints endpoints, Scenario scenario, List<String> sourceAddresses) {
    this(endpoints, scenario, sourceAddresses, 0);
  }

  /**
   * A simulation in {@code processes} processes: this one measures the pipeline and reports, and
   * each of the others (started with the same Java and class path) holds a share of the devices and
   * of the load. 1 runs everything here; 0 means as many as the fleet needs.
   */
  public Simulation(
      Endpoints endpoints, Scenario scenario, List<String> sourceAddresses, int processes) {
    this(
        endpoints,
        scenario,
        sourceAddresses,
        processes == 0 ? processesFor(scenario.devices(), openFileLimit()) : processes,
        null,
        UUID.randomUUID().toString().substring(0, 6),
        Map.of(),
        null);
  }

  private Simulation(
      Endpoints endpoints,
      Scenario scenario,
      List<String> sourceAddresses,
      int processes,
      Part part,
      String runId,
      Map<String, ?> kafkaSettings,
      Path deviceCertificates) {
    if (processes < 1 || processes > scenario.devices()) {
      throw new IllegalArgumentException(
          "processes must be from 1 to the number of devices ("
              + scenario.devices()
              + "), not "
              + processes);
    }
    this.endpoints = endpoints;
    this.scenario = scenario;
    this.sourceAddresses = List.copyOf(sourceAddresses);
    this.processes = processes;
    this.part = part;
    this.runId = runId;
    this.deviceCertificates = deviceCertificates;
    // The endpoints' client settings (a principal's SASL login, from endpoints.env) first; the
    // caller's kafka.* settings win.
    Map<String, Object> settings = new java.util.TreeMap<>();
    endpoints
        .kafkaClient()
        .forEach((key, value) -> settings.put(KafkaClientSettings.PREFIX + key, value));
    settings.putAll(kafkaSettings);
    this.kafka = KafkaClientSettings.of(endpoints.kafkaBootstrap(), settings);
  }

  /**
   * This simulation under a run id of the caller's instead of a random one: device ids are {@code
   * PREFIX-RUNID-N}, so that a caller can name a device before the run starts.
   *
   * @throws IllegalArgumentException unless the id is 1 to 12 letters or digits
   */
  public Simulation withRunId(String id) {
    if (id == null || !id.matches("[A-Za-z0-9]{1,12}")) {
      throw new IllegalArgumentException("a run id is 1 to 12 letters or digits, not " + id);
    }
    Map<String, Object> kafkaSettings = new java.util.TreeMap<>();
    kafka
        .overrides()
        .forEach((key, value) -> kafkaSettings.put(KafkaClientSettings.PREFIX + key, value));
    return new Simulation(
        endpoints,
        scenario,
        sourceAddresses,
        processes,
        part,
        id,
        kafkaSettings,
        deviceCertificates);
  }

  /**
   * This simulation with the operator's {@code kafka.*} settings (such as {@code
   * kafka.security.protocol}) handed to its Kafka client, the consumer that watches the pipeline.
   *
   * @throws org.apache.kafka.common.config.ConfigException naming a key a client may not be given
   */
  public Simulation withKafkaSettings(Map<String, ?> kafkaSettings) {
    return new Simulation(
        endpoints,
        scenario,
        sourceAddresses,
        processes,
        part,
        runId,
        kafkaSettings,
        deviceCertificates);
  }

  /**
   * This simulation with the devices' certificates read from {@code dir} ({@code ID.crt} and {@code
   * ID.key} for every device id, as {@code ./iot devices create --dir} writes them) instead of
   * issued from the endpoints' {@link Endpoints#DEVICE_PKI_DIR}.
   */
  public Simulation withDeviceCertificates(Path dir) {
    Map<String, Object> kafkaSettings = new java.util.TreeMap<>();
    kafka
        .overrides()
        .forEach((key, value) -> kafkaSettings.put(KafkaClientSettings.PREFIX + key, value));
    return new Simulation(
        endpoints, scenario, sourceAddresses, processes, part, runId, kafkaSettings, dir);
  }

  /**
   * Part {@code index} of {@code count} of the run {@code runId}, as a process started by another
   * simulation runs it: it holds its share of the devices and the load, and prints {@link
   * PartStatus} lines instead of a report.
   */
  public static Simulation part(
      Endpoints endpoints,
      Scenario scenario,
      List<String> sourceAddresses,
      int index,
      int count,
      String runId) {
    return new Simulation(
        endpoints, scenario, sourceAddresses, 1, new Part(index, count), runId, Map.of(), null);
  }

  /**
   * How many processes {@code devices} need when each may open {@code openFiles} files: one
   * connection is one file, and a process keeps about a thousand for itself.
   */
  public static int processesFor(int devices, long openFiles) {
    long perProcess = Math.max(1_000, openFiles - FILES_KEPT);
    return (int) Math.max(1, (devices + perProcess - 1) / perProcess);
  }

  /** How many processes this simulation runs its devices in (the coordinator not counted if 2+). */
  public int processes() {
    return processes;
  }

  /** The prefix of this run's device ids: {@code PREFIX-RUNID}. */
  public String devicePrefix() {
    return scenario.devicePrefix() + "-" + runId;
  }

  /** Ends the load now; {@link #run} drains and reports. */
  public void stop() {
    stopped.countDown();
  }

  /** A counter of the running simulation; 0 before {@link #run} starts. */
  public long liveTotal(Count count) {
    Metrics metrics = live;
    return metrics == null ? 0 : metrics.total(count);
  }

  /**
   * Runs the scenario; {@code progress} gets a line a second.
   *
   * @throws IllegalStateException for a {@link #part}, which runs with {@link #runAsPart}
   */
  public SimulationReport run(Consumer<String> progress) throws InterruptedException {
    if (part != null) {
      throw new IllegalStateException("part " + part + " runs with runAsPart");
    }
    Metrics metrics = new Metrics(scenario.warmUp());
    live = metrics;
    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    ProgressLine line = new ProgressLine(scenario, metrics);
    Runnable everySecond =
        () ->
            progress.accept(
                line.format(
                    metrics.sample((System.nanoTime() - start) / 1_000_000, 1.0), devicePrefix()));
    Security security = security(0, scenario.devices());
    JobRun job = scenario.rollout().enabled() ? jobRun(start) : null;
    try (PipelineWatch watch =
        new PipelineWatch(kafka, endpoints.registry(), devicePrefix(), metrics)) {
      watch.start(Duration.ofSeconds(60));
      Phases phases =
          processes > 1
              ? driveParts(metrics, everySecond, watch, security, job)
              : drive(scenario, 0, metrics, everySecond, watch::distinctEvents, security, job);
      metrics.sample((System.nanoTime() - start) / 1_000_000, 1.0);
      if (job != null) {
        job.close();
      }
      return new SimulationReport(
          scenario,
          devicePrefix(),
          startedAt,
          phases.ramp(),
          phases.load(),
          metrics,
          security.transport(),
          security.certificates(),
          job == null ? null : job.summary());
    } finally {
      if (job != null) {
        job.close();
      }
      security.close();
    }
  }

  /** The job of this rollout run, not yet created: its id is the run's device prefix + "-fw". */
  private JobRun jobRun(long start) {
    List<String> devices = new ArrayList<>();
    if (scenario.rollout().listsTargets()) {
      for (int i = 0; i < scenario.devices(); i++) {
        devices.add(devicePrefix() + "-" + i);
      }
    }
    String jobId = devicePrefix() + "-fw";
    return new JobRun(
        endpoints.restUrl(),
        endpoints.restAuthorization().orElse(null),
        jobId,
        JobRun.body(
            scenario.rollout(),
            jobId,
            devicePrefix(),
            devices,
            "device-simulator " + scenario.name() + " run " + devicePrefix()),
        start);
  }

  /**
   * Whether the devices are ready for the job: all connected and, when the job's targets are a
   * filter, their reported state in the shadows (each update accepted) so that the filter finds
   * them.
   */
  private boolean readyForTheJob(Metrics metrics) {
    return metrics.connected() >= scenario.devices()
        && (scenario.rollout().listsTargets()
            || metrics.total(Count.UPDATES_ACCEPTED) >= scenario.devices());
  }

  /** How long a run waits for its devices to be ready before it creates the job all the same. */
  private long jobPatienceNanos() {
    return TimeUnit.SECONDS.toNanos(60 + scenario.devices() / scenario.connectPerSecond());
  }

  /**
   * How devices {@code first} to {@code first + count - 1} connect: the scenario's transport on
   * these endpoints and, when secure, each device's certificate: read from the directory the caller
   * named, or issued now from the device CA ({@link Endpoints#DEVICE_PKI_DIR}) into a directory of
   * this run's that {@link Security#close()} deletes.
   *
   * @throws IllegalArgumentException naming what is missing: the WebSockets URLs of a transport
   *     over WebSockets, any source of certificates, a device's certificate in the directory
   */
  private Security security(int first, int count) {
    DeviceLinks links = new DeviceLinks(endpoints, scenario.transport());
    if (!links.secure()) {
      return new Security(links, null, null, "none (plain TCP, insecure)");
    }
    List<String> ids = new ArrayList<>(count);
    for (int i = first; i < first + count; i++) {
      ids.add(devicePrefix() + "-" + i);
    }
    Path caFile = endpoints.deviceCaFile().orElseThrow();
    if (deviceCertificates != null) {
      for (String id : ids) {
        for (String file : List.of(id + ".crt", id + ".key")) {
          if (!Files.isReadable(deviceCertificates.resolve(file))) {
            throw new IllegalArgumentException(
                "the device certificates' directory "
                    + deviceCertificates
                    + " has no "
                    + file
                    + " (device ids are "
                    + devicePrefix()
                    + "-N: --run-id names the run)");
          }
        }
      }
      return new Security(
          links,
          new DeviceTls(caFile, deviceCertificates),
          null,
          "mutual TLS, read from " + deviceCertificates);
    }
    Path pkiDir =
        endpoints
            .devicePkiDir()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the endpoints are secure ("
                            + links.describe()
                            + ") and every device needs a certificate: set "
                            + Endpoints.DEVICE_PKI_DIR
                            + " (the simulator issues them from that device CA) or name a"
                            + " directory of ID.crt and ID.key (--device-certs)"));
    long started = System.nanoTime();
    Path issued = DeviceTls.issue(DevicePki.open(pkiDir), ids);
    double seconds = (System.nanoTime() - started) / 1e9;
    // Issuing a quarter million keys leaves this JVM's heap grown by gigabytes of garbage (2.9 GB
    // in the run of 2026-12-07 00:22, docs/benchmarks.md), kept committed until a full collection:
    // memory the devices about to connect need. One full collection here gives it back (the
    // distribution's serial collector shrinks the heap to its live data after one).
    System.gc();
    return new Security(
        links,
        new DeviceTls(caFile, issued),
        issued,
        String.format(
            java.util.Locale.ROOT,
            "mutual TLS, %d issued from %s in %.1f s before the ramp (%.2f ms each)",
            count,
            pkiDir,
            seconds,
            seconds * 1000 / count));
  }

  /**
   * How this process's devices connect.
   *
   * @param tls null on plain TCP
   * @param issued the directory of the certificates this run issued, deleted at its end, or null
   * @param certificates where the certificates came from, for the report
   */
  private record Security(DeviceLinks links, DeviceTls tls, Path issued, String certificates)
      implements AutoCloseable {
    String transport() {
      return links.describe();
    }

    @Override
    public void close() {
      if (issued != null) {
        DeviceTls.deleteIssued(issued);
      }
    }
  }

  /**
   * Runs this {@link #part}: its devices and its share of the load, with a {@link PartStatus} line
   * a second on {@code out} and a last one when it has drained. It ends early when {@link #stop()}
   * is called or its standard input closes (the process that started it is gone).
   */
  public void runAsPart(PrintStream out) throws InterruptedException {
    if (part == null) {
      throw new IllegalStateException("not a part: use run");
    }
    Thread parentWatch =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  if (Parts.START_LOAD.equals(line)) {
                    loadStartedByParent.countDown();
                  }
                }
              } catch (IOException e) {
                // ended all the same
              }
              stop();
            },
            "simulator-parent-watch");
    parentWatch.setDaemon(true);
    parentWatch.start();
    Metrics metrics = new Metrics(scenario.warmUp());
    live = metrics;
    long start = System.nanoTime();
    Runnable everySecond =
        () -> {
          metrics.sample((System.nanoTime() - start) / 1_000_000, 1.0);
          out.println(PartStatus.of(metrics, false, 0, 0).toLine());
        };
    Scenario share = scenario.slice(part.index(), part.count());
    int first = scenario.firstDevice(part.index(), part.count());
    Phases phases;
    try (Security security = security(first, share.devices())) {
      phases = drive(share, first, metrics, everySecond, null, security, null);
    }
    metrics.sample((System.nanoTime() - start) / 1_000_000, 1.0);
    out.println(
        PartStatus.of(metrics, true, phases.ramp().toMillis(), phases.load().toMillis()).toLine());
    out.flush();
  }

  /**
   * Connects {@code share}'s devices (numbered from {@code firstDevice}), runs its load, drains.
   *
   * @param eventsArrived how many of the events sent arrived in Kafka, or null when another process
   *     watches the pipeline
   */
  private Phases drive(
      Scenario share,
      int firstDevice,
      Metrics metrics,
      Runnable everySecond,
      LongSupplier eventsArrived,
      Security security,
      JobRun job)
      throws InterruptedException {
    ScheduledExecutorService scheduler =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "simulator");
              t.setDaemon(true);
              return t;
            });
    var sampler = scheduler.scheduleAtFixedRate(everySecond, 1, 1, TimeUnit.SECONDS);
    Fleet fleet =
        new Fleet(
            devicePrefix(),
            firstDevice,
            share,
            security.links(),
            security.tls(),
            sourceAddresses,
            metrics,
            scheduler);
    try {
      long rampStart = System.nanoTime();
      connectAll(share, fleet, metrics);
      Duration ramp = Duration.ofNanos(System.nanoTime() - rampStart);
      long loadStart = System.nanoTime();
      if (job != null) {
        long patience = System.nanoTime() + jobPatienceNanos();
        while (!readyForTheJob(metrics)
            && System.nanoTime() < patience
            && !stopped.await(50, TimeUnit.MILLISECONDS)) {
          // the devices' states are on their way
        }
        if (stopped.getCount() > 0) {
          job.create();
          job.startPolling();
        }
      }
      runLoad(
          share,
          fleet,
          new CommandSender(
              endpoints.restUrl(), endpoints.restAuthorization().orElse(null), metrics),
          job == null ? () -> false : job::ended);
      Duration load = Duration.ofNanos(System.nanoTime() - loadStart);
      drain(metrics, eventsArrived);
      return new Phases(ramp, load);
    } finally {
      sampler.cancel(false);
      fleet.stop();
      scheduler.shutdownNow();
    }
  }

  /**
   * Starts the parts, adds up what they measure while they run, stops them when this simulation is
   * stopped, then waits for the events they sent to arrive in Kafka.
   */
  private Phases driveParts(
      Metrics metrics, Runnable everySecond, PipelineWatch watch, Security security, JobRun job)
      throws InterruptedException {
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "simulator");
              t.setDaemon(true);
              return t;
            });
    var sampler = scheduler.scheduleAtFixedRate(everySecond, 1, 1, TimeUnit.SECONDS);
    try (Parts parts =
        new Parts(
            partLaunches(security.tls() == null ? null : security.tls().certificates()), metrics)) {
      long patience = System.nanoTime() + jobPatienceNanos();
      boolean created = false;
      // The whole fleet's ramp end, over every part's devices, looked for once the ramp's schedule
      // has passed (as a part alone does): then every part starts its load.
      long scheduleEnd =
          System.nanoTime()
              + TimeUnit.SECONDS.toNanos(scenario.devices() / scenario.connectPerSecond());
      RampEnd rampEnd = new RampEnd(scenario.devices(), STRAGGLER_PATIENCE);
      boolean loadStarted = false;
      while (!parts.awaitEnd(Duration.ZERO)) {
        int connected = metrics.connected();
        if (!loadStarted
            && System.nanoTime() >= scheduleEnd
            && rampEnd.over(connected, System.nanoTime())) {
          announceLoad(connected, scenario.devices());
          parts.startLoad();
          loadStarted = true;
        }
        if (job != null && !created && (readyForTheJob(metrics) || System.nanoTime() > patience)) {
          // The parts hold the devices; this process alone creates and watches the job.
          job.create();
          job.startPolling();
          created = true;
        }
        if (stopped.await(200, TimeUnit.MILLISECONDS) || (created && job.ended())) {
          parts.stop();
          break;
        }
      }
      // A stopped part drains (up to the drain time) before its last status.
      parts.awaitEnd(scenario.drain().plusSeconds(60));
      parts.failures().forEach(failure -> System.err.println("simulator: " + failure));
      drain(metrics, watch::distinctEvents);
      return new Phases(parts.ramp(), parts.load());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the simulator's processes", e);
    } finally {
      sampler.cancel(false);
      scheduler.shutdownNow();
    }
  }

  /**
   * The launch of each part: this Java, this class path, {@link SimulatorMain} with {@link
   * #PART_JVM_OPTIONS}, and the devices' certificates of this run (a part reads its own devices'
   * from the directory).
   *
   * @param deviceCertificates the directory of the devices' certificates, or null on plain TCP
   */
  List<Launch> partLaunches(Path deviceCertificates) {
    List<Launch> launches = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      List<String> command = new ArrayList<>();
      command.add("--part=" + i + "/" + processes);
      command.add("--run-id=" + runId);
      command.add("--mqtt-url=" + endpoints.mqttUrls());
      command.add("--bootstrap-servers=" + endpoints.kafkaBootstrap());
      command.add("--schema-registry-url=" + endpoints.registryUrl());
      command.add("--rest-url=" + endpoints.restUrl());
      if (!endpoints.mqttWebSockets().isEmpty()) {
        command.add("--mqtt-ws-url=" + endpoints.mqttWebSocketUrls());
      }
      endpoints.deviceCaFile().ifPresent(file -> command.add("--device-ca-file=" + file));
      if (deviceCertificates != null) {
        command.add("--device-certs=" + deviceCertificates);
      }
      scenario.describe().forEach((key, value) -> command.add("--set=" + key + "=" + value));

      if (!sourceAddresses.isEmpty()) {
        command.add("--source-addresses=" + String.join(",", sourceAddresses));
      }
      // The Kafka client settings go by environment, not on the command line, where every user of
      // the machine could read a password (ps).
      EnvironmentRule rule = new EnvironmentRule(Scenario.ENV_PREFIX);
      Map<String, String> environment = new java.util.TreeMap<>();
      kafka
          .overrides()
          .forEach(
              (key, value) -> environment.put(rule.kafkaVariableOf(key), String.valueOf(value)));
      launches.add(
          Launch.java(SimulatorMain.class.getName())
              .env(environment)
              .jvmOptions(PART_JVM_OPTIONS)
              .jvmOptions(
                  List.of(
                      "-D" + SimulatorMain.LOGBACK_PROPERTY + "=" + SimulatorMain.LOGBACK_CONFIG))
              .args(command)
              // The token in the environment, not on the command line that ps shows.
              .env(
                  endpoints.restToken().isEmpty()
                      ? Map.of()
                      : Map.of(Endpoints.REST_TOKEN, endpoints.restToken())));
    }
    return launches;
  }

  /** The open files this process may have (its soft limit), or 20,000 if the JVM cannot tell. */
  private static long openFileLimit() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.UnixOperatingSystemMXBean unix
        ? unix.getMaxFileDescriptorCount()
        : 20_000;
  }

  private record Phases(Duration ramp, Duration load) {}

  /** Part {@code index} (from 0) of {@code count}. */
  private record Part(int index, int count) {
    @Override
    public String toString() {
      return index + "/" + count;
    }
  }

  /** Starts connects at the scenario's rate; returns when all are up, or stopped, or stuck. */
  private void connectAll(Scenario share, Fleet fleet, Metrics metrics)
      throws InterruptedException {
    long start = System.nanoTime();
    int started = 0;
    while (started < fleet.size() && stopped.getCount() > 0) {
      long due =
          Math.min(
              fleet.size(),
              (System.nanoTime() - start) * share.connectPerSecond() / 1_000_000_000L + 1);
      for (; started < due; started++) {
        fleet.connect(started);
      }
      stopped.await(TICK_MS, TimeUnit.MILLISECONDS);
    }
    if (part != null) {
      // A part's load starts when the parent says the whole fleet is up (Parts.startLoad), not
      // when its own share is: over a long ramp the first parts would end their load, and
      // disconnect their devices, before the last had connected.
      while (!loadStartedByParent.await(50, TimeUnit.MILLISECONDS) && stopped.getCount() > 0) {
        // waiting for the other parts' devices
      }
      return;
    }
    // The load starts when the whole fleet is up, or when stragglers stop coming (RampEnd).
    RampEnd rampEnd = new RampEnd(fleet.size(), STRAGGLER_PATIENCE);
    int connected = metrics.connected();
    while (!rampEnd.over(connected, System.nanoTime()) && stopped.getCount() > 0) {
      stopped.await(50, TimeUnit.MILLISECONDS);
      connected = metrics.connected();
    }
    if (stopped.getCount() > 0) {
      announceLoad(connected, fleet.size());
    }
  }

  /**
   * Says when the load starts without the whole fleet: the report's figures then hold fewer devices
   * than asked, and the reason (none more connected for the patience) is otherwise not written.
   */
  private static void announceLoad(int connected, int fleetSize) {
    if (connected < fleetSize) {
      System.err.printf(
          "simulator: the load starts with %,d of %,d devices connected: none more connected for"
              + " %d s%n",
          connected, fleetSize, STRAGGLER_PATIENCE.toSeconds());
    }
  }

  /** Runs the load for the scenario's duration, until stopped, or until {@code ended} says so. */
  private void runLoad(Scenario share, Fleet fleet, CommandSender commands, BooleanSupplier ended)
      throws InterruptedException {
    long start = System.nanoTime();
    long end = start + share.duration().toNanos();
    long events = 0;
    long updates = 0;
    long sentCommands = 0;
    while (System.nanoTime() < end && stopped.getCount() > 0 && !ended.getAsBoolean()) {
      long elapsed = System.nanoTime() - start;
      long dueEvents = elapsed * share.eventsPerSecond() / 1_000_000_000L;
      for (; events < dueEvents; events++) {
        if (fleet.sendEvent() == null) {
          break;
        }
      }
      long dueUpdates = elapsed * share.shadowUpdatesPerSecond() / 1_000_000_000L;
      for (; updates < dueUpdates; updates++) {
        if (!fleet.sendShadowUpdate()) {
          break;
        }
      }
      long dueCommands = elapsed * share.commandsPerSecond() / 1_000_000_000L;
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

  /**
   * Waits until every event sent arrived in Kafka (unless {@code eventsArrived} is null), every
   * update was answered and every command's status ended through REST (SUCCEEDED or otherwise), or
   * the drain time passed.
   */
  private void drain(Metrics metrics, LongSupplier eventsArrived) throws InterruptedException {
    long deadline = System.nanoTime() + scenario.drain().toNanos();
    while (System.nanoTime() < deadline) {
      boolean eventsIn =
          eventsArrived == null || eventsArrived.getAsLong() >= metrics.total(Count.EVENTS_SENT);
      boolean updatesAnswered =
          metrics.total(Count.UPDATES_ACCEPTED) + metrics.total(Count.UPDATES_REJECTED)
              >= metrics.total(Count.UPDATES_SENT);
      // Every command's status ended: SUCCEEDED (so received), or otherwise (an UNDELIVERED one
      // never is received).
      boolean commandsIn =
          metrics.total(Count.COMMANDS_COMPLETED) + metrics.total(Count.COMMANDS_NOT_COMPLETED)
              >= metrics.total(Count.COMMANDS_SENT);
      // The devices that took a job (and answer) have ended it: after an abort, those IN_PROGRESS
      // may still finish.
      boolean jobsEnded =
          metrics.total(Count.JOBS_STARTED) - metrics.total(Count.JOBS_SILENT)
              <= metrics.total(Count.JOBS_SUCCEEDED)
                  + metrics.total(Count.JOBS_FAILED)
                  + metrics.total(Count.JOBS_ABANDONED);
      if (eventsIn && updatesAnswered && commandsIn && jobsEnded) {
        // The changelog trails the answers by a commit interval.
        Thread.sleep(Math.min(2_000, scenario.drain().toMillis()));
        return;
      }
      Thread.sleep(100);
    }
  }
}
