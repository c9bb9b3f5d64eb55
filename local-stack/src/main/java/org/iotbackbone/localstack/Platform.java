package org.iotbackbone.localstack;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.iotbackbone.localstack.internal.EndpointsFile;
import org.iotbackbone.localstack.internal.Health;
import org.iotbackbone.localstack.internal.LocalPrometheus;
import org.iotbackbone.localstack.internal.MonitoringFiles;
import org.iotbackbone.localstack.internal.PartStarts;
import org.iotbackbone.localstack.internal.ServerStarts;
import org.iotbackbone.localstack.internal.StackDir;
import org.iotbackbone.localstack.internal.StackParts;
import org.iotbackbone.localstack.internal.StackSecurity;
import org.iotbackbone.localstack.internal.StackServers;
import org.iotbackbone.localstack.internal.StackStop;
import org.iotbackbone.servers.DataDirs;
import org.iotbackbone.servers.Distribution;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.simulator.Endpoints;

/**
 * The whole platform on loopback, in the background: the servers (Kafka, the MQTT broker, the
 * registry, the CQL server), then the platform's own parts (the streams app and the bridge from
 * their distributions, a Kafka Connect worker with the ScyllaDB sink), each a process of its own
 * that outlives the command that started it. What runs is recorded in the stack's directory, so
 * that {@code down}, {@code status} and a second {@code up} find it.
 *
 * <p>This class says what happens when; the work is done by {@code internal}: {@code ServerStarts}
 * (the servers), {@code PartStarts} (topics, parts, connector, health), {@code EndpointsFile}
 * ({@code endpoints.env}) and {@code StackStop}.
 */
public final class Platform {

  /** The distributions whose services the stack runs; checked before anything starts. */
  private static final List<String> SERVICES = List.of("streams-app", "ingest-bridge");

  private final StackDir dir;
  private final Options options;
  private final Path repoRoot;

  /**
   * @param partitions of every topic the stack creates
   * @param quickStart the servers' and parts' JVMs trade peak speed for a quicker start (C1 only,
   *     serial collector); off for measuring
   * @param startTimeout how long a part may take to become healthy
   * @param instance names this stack's application ids, consumer groups and keyspace, so that a
   *     stack on shared servers (a test's) keeps out of others' way
   * @param brokers how many MQTT broker processes {@link #up} starts, all behind the one bridge: a
   *     broker process holds at most its open-file limit in connections (20,000 here), so a larger
   *     fleet needs several, as an edge tier of several brokers does
   * @param secure Kafka with SCRAM and ACLs, each part logging in as its own principal, their
   *     client files in {@code principals/}; false only for {@code ./iot up --insecure} (PLAINTEXT)
   * @param monitoring also a Prometheus that scrapes every part with the alert rules loaded ({@code
   *     ./iot up --monitoring}; {@code PROMETHEUS_URL} in {@code endpoints.env})
   */
  public record Options(
      int partitions,
      boolean quickStart,
      Duration startTimeout,
      String instance,
      int brokers,
      boolean secure,
      boolean monitoring) {

    /** Secure options. */
    public Options(
        int partitions, boolean quickStart, Duration startTimeout, String instance, int brokers) {
      this(partitions, quickStart, startTimeout, instance, brokers, true);
    }

    /** Options without monitoring. */
    public Options(
        int partitions,
        boolean quickStart,
        Duration startTimeout,
        String instance,
        int brokers,
        boolean secure) {
      this(partitions, quickStart, startTimeout, instance, brokers, secure, false);
    }

    /** The same options, with or without the stack's Prometheus. */
    public Options withMonitoring(boolean value) {
      return new Options(partitions, quickStart, startTimeout, instance, brokers, secure, value);
    }

    public Options {
      if (partitions < 1 || partitions > 1000) {
        throw new IllegalArgumentException("partitions must be from 1 to 1000, not " + partitions);
      }
      if (brokers < 1 || brokers > MAX_BROKERS) {
        throw new IllegalArgumentException(
            "brokers must be from 1 to " + MAX_BROKERS + ", not " + brokers);
      }
    }

    public static Options defaults() {
      return new Options(3, true, Duration.ofMinutes(5), "local", 1);
    }

    StackParts.Settings settings() {
      return new StackParts.Settings(
          partitions, quickStart, startTimeout, instance, brokers, secure);
    }
  }

  /** The most MQTT brokers {@link #up} starts: enough for 600,000 connections at 20,000 each. */
  public static final int MAX_BROKERS = 32;

  /**
   * Servers the platform's parts run on: started by {@link #up}, or given to {@link #upOn} (a test
   * build's shared servers). {@code kafkaSuperUserPassword} is that of the super user {@code admin}
   * of a Kafka with SCRAM and ACLs ({@code KafkaBroker.withScram}), the parts then logging in as
   * their principals; empty for a Kafka without security. The MQTT brokers are all secure, their
   * {@code BrokerTls} issued from the stack's device CA ({@code HOME/pki}, {@link #devicePki()}),
   * the bridge then logging in with the back end's certificate; or all plain, the bridge logging in
   * with {@code mqttUsername} and {@code mqttPassword}.
   */
  public record Servers(
      List<MqttBroker> mqttBrokers,
      String mqttUsername,
      String mqttPassword,
      String kafkaBootstrap,
      String registryConfluentUrl,
      String registryApicurioUrl,
      String cqlContactPoint,
      String cqlDatacenter,
      String kafkaSuperUserPassword) {

    StackServers addresses(Path pkiDir) {
      List<StackServers.BrokerAt> brokers =
          mqttBrokers.stream().map(StackServers.BrokerAt::of).toList();
      return new StackServers(
          new StackServers.MqttAt(
              brokers,
              mqttUsername,
              mqttPassword,
              brokers.get(0).secure() ? Optional.of(pkiDir) : Optional.empty()),
          kafkaBootstrap,
          new StackServers.RegistryAt(registryConfluentUrl, registryApicurioUrl),
          new StackServers.CqlAt(cqlContactPoint, cqlDatacenter));
    }
  }

  /** A stack in {@code home} that runs the services of this repository's distributions. */
  public Platform(Path home, Options options) {
    this(home, options, Distribution.repositoryRoot(Platform.class));
  }

  Platform(Path home, Options options, Path repoRoot) {
    this.dir = new StackDir(home);
    this.options = options;
    this.repoRoot = repoRoot;
  }

  /** The stack's directory. */
  public Path home() {
    return dir.root();
  }

  /**
   * The stack's device CA ({@code HOME/pki}, made on first use): the secure brokers trust it, and
   * {@code ./iot devices} issues from it.
   */
  public Path devicePki() {
    return dir.pki();
  }

  /**
   * Starts everything and waits until every part is healthy; writes {@code endpoints.env}. When the
   * stack is up already it starts nothing; when only part of it runs, it stops that part and starts
   * the whole again.
   */
  public Endpoints up(Consumer<String> progress) throws Exception {
    requireMonitoring();
    AutoCloseable lock = dir.lock();
    try {
      Map<String, Map<String, String>> parts = dir.parts();
      if (!parts.isEmpty()) {
        List<String> problems = problems(parts);
        if (problems.isEmpty() && Files.exists(dir.endpoints())) {
          progress.accept("already up (" + parts.size() + " parts); ./iot status tells more");
          if (options.monitoring() && !parts.containsKey(LocalPrometheus.PART)) {
            startMonitoring(progress);
          }
          return Endpoints.fromVariables(
              Endpoints.readEnvFile(dir.endpoints()), dir.endpoints().toString());
        }
        progress.accept("partly up (" + String.join("; ", problems) + "): starting it again");
        StackStop.stopAll(dir, progress);
      }
      requireDistributions();
      // Nothing runs now: what is left in data/ belongs to a stack that is gone (killed without
      // down, or a machine restart) and would confuse the new one.
      DataDirs.delete(dir.root().resolve("data"));
      long started = System.nanoTime();
      StackParts.Settings settings = options.settings();
      Endpoints endpoints =
          new PartStarts(dir, settings, repoRoot)
              .start(ServerStarts.start(dir, settings, repoRoot, progress), progress);
      progress.accept(
          String.format(
              "up in %.1f s; endpoints in %s",
              (System.nanoTime() - started) / 1e9, dir.endpoints()));
      mqttLines(Endpoints.readEnvFile(dir.endpoints())).forEach(progress);
      if (options.monitoring()) {
        startMonitoring(progress);
      }
      return endpoints;
    } finally {
      lock.close();
    }
  }

  /**
   * Starts the platform's own parts (not the servers) on servers that run already, as {@link #up}
   * does after starting its servers. {@link #down} stops what this started and leaves the servers.
   */
  public Endpoints upOn(Servers servers, Consumer<String> progress) throws Exception {
    requireMonitoring();
    AutoCloseable lock = dir.lock();
    try {
      requireDistributions();
      StackSecurity security =
          servers.kafkaSuperUserPassword().isEmpty()
              ? StackSecurity.insecure(dir.principals())
              : StackSecurity.secured(dir.principals(), servers.kafkaSuperUserPassword());
      Endpoints endpoints =
          new PartStarts(dir, options.settings(), repoRoot)
              .start(ServerStarts.of(servers.addresses(dir.pki()), security), progress);
      if (options.monitoring()) {
        startMonitoring(progress);
      }
      return endpoints;
    } finally {
      lock.close();
    }
  }

  /** Stops every recorded part, newest first, and deletes their data. */
  public void down(Consumer<String> progress) throws Exception {
    AutoCloseable lock = dir.lock();
    try {
      StackStop.stopAll(dir, progress);
    } finally {
      lock.close();
    }
  }

  /** Every recorded part with its health: empty when healthy. */
  public Map<String, Optional<String>> status() {
    Map<String, Optional<String>> status = new LinkedHashMap<>();
    dir.parts().forEach((name, part) -> status.put(name, Health.problem(part)));
    return status;
  }

  /** The records of the parts (process id, ports, log file). */
  public Map<String, Map<String, String>> parts() {
    return dir.parts();
  }

  /** The log file of a part, if it is recorded. */
  public Optional<Path> logOf(String part) {
    return Optional.ofNullable(dir.parts().get(part)).map(p -> Path.of(p.get("logFile")));
  }

  /** What {@code up} says of the devices' MQTT endpoints (from {@code endpoints.env}). */
  static List<String> mqttLines(Map<String, String> variables) {
    List<String> lines = new ArrayList<>();
    String urls = variables.getOrDefault(Endpoints.MQTT_URLS, variables.get(Endpoints.MQTT_URL));
    if (variables.containsKey(Endpoints.DEVICE_CA_FILE)) {
      lines.add("MQTT (TLS, device certificate): " + urls);
      lines.add("MQTT (secure WebSockets): " + variables.get(Endpoints.MQTT_WS_URLS));
      lines.add("MQTT (per-device secret): " + variables.get(Endpoints.MQTT_SECRET_URL));
      lines.add(
          "devices trust "
              + variables.get(Endpoints.DEVICE_CA_FILE)
              + "; ./iot devices create ID issues a certificate");
    } else {
      lines.add("MQTT (plain, anonymous: --insecure): " + urls);
    }
    return lines;
  }

  /**
   * Starts the stack's Prometheus on the parts {@code endpoints.env} lists ({@code
   * METRICS_*_URLS}), waits until it is ready, and adds its URL to the file ({@code
   * PROMETHEUS_URL}).
   */
  private void startMonitoring(Consumer<String> progress) throws Exception {
    Map<String, String> variables = Endpoints.readEnvFile(dir.endpoints());
    Map<String, List<URI>> targets = LocalPrometheus.targets(variables);
    if (targets.isEmpty()) {
      progress.accept(
          "no METRICS_*_URLS in " + dir.endpoints() + ": Prometheus has no part to scrape");
    }
    String url = LocalPrometheus.start(dir, repoRoot, variables);
    long deadline = System.nanoTime() + options.startTimeout().toNanos();
    Optional<String> problem = Health.problem(dir.parts().get(LocalPrometheus.PART));
    while (problem.isPresent()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Prometheus is not ready within "
                + options.startTimeout().toSeconds()
                + " s ("
                + problem.get()
                + "); its log: "
                + dir.log(LocalPrometheus.PART));
      }
      Thread.sleep(250);
      problem = Health.problem(dir.parts().get(LocalPrometheus.PART));
    }
    EndpointsFile.put(dir, Map.of(LocalPrometheus.URL_VARIABLE, url));
    progress.accept(
        "Prometheus: "
            + url
            + " (PROMETHEUS_URL), scraping "
            + (targets.isEmpty() ? "nothing" : String.join(", ", targets.keySet()))
            + " every "
            + LocalPrometheus.INTERVAL
            + ", with the alert rules of "
            + MonitoringFiles.RULES);
  }

  /** Fails before anything starts when monitoring is asked for and there is no Prometheus. */
  private void requireMonitoring() {
    if (options.monitoring()) {
      LocalPrometheus.requireBinary();
    }
  }

  /** Fails before any server starts, rather than minutes later, when a service is not built. */
  private void requireDistributions() {
    SERVICES.forEach(service -> Distribution.of(repoRoot, service).requireBuilt());
  }

  private List<String> problems(Map<String, Map<String, String>> parts) {
    List<String> problems = new ArrayList<>();
    parts.forEach(
        (name, part) ->
            Health.problem(part).ifPresent(problem -> problems.add(name + " " + problem)));
    return problems;
  }
}
