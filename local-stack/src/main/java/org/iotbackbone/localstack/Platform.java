package org.iotbackbone.localstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.iotbackbone.localstack.internal.AppLauncher;
import org.iotbackbone.localstack.internal.Health;
import org.iotbackbone.localstack.internal.Processes;
import org.iotbackbone.localstack.internal.StackDir;
import org.iotbackbone.localstack.internal.StackParts;
import org.iotbackbone.schemas.topics.TopicSetup;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.CqlServer;
import org.iotbackbone.servers.DataDirs;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.MqttBrokerKind;
import org.iotbackbone.servers.MqttBrokerOptions;
import org.iotbackbone.servers.Ports;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.ServerOptions;
import org.iotbackbone.simulator.Endpoints;

/**
 * The whole platform on loopback, in the background: the servers (Kafka, the MQTT broker, the
 * registry, the CQL server), then the platform's own parts (the streams app, the bridge, a Kafka
 * Connect worker with the ScyllaDB sink), each a process of its own that outlives the command that
 * started it. What runs is recorded in the stack's directory ({@link StackDir}), so that {@code
 * down}, {@code status} and a second {@code up} find it.
 */
public final class Platform {

  /** The MQTT credentials of the bridge: the brokers' ACL lets devices only under their own id. */
  static final String BACKEND_USER = "iot-backend";

  private final StackDir dir;
  private final Options options;
  private final AppLauncher launcher;

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
   */
  public record Options(
      int partitions, boolean quickStart, Duration startTimeout, String instance, int brokers) {
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
  }

  /** The most MQTT brokers {@link #up} starts: enough for 600,000 connections at 20,000 each. */
  public static final int MAX_BROKERS = 32;

  /**
   * Servers the platform's parts run on: started by {@link #up}, or given to {@link #upOn} (a test
   * build's shared servers).
   */
  public record Servers(
      List<InetSocketAddress> mqttBrokers,
      String mqttUsername,
      String mqttPassword,
      String kafkaBootstrap,
      String registryConfluentUrl,
      String registryApicurioUrl,
      String cqlContactPoint,
      String cqlDatacenter) {}

  public Platform(Path home, Options options) {
    this(home, options, new AppLauncher());
  }

  Platform(Path home, Options options, AppLauncher launcher) {
    this.dir = new StackDir(home);
    this.options = options;
    this.launcher = launcher;
  }

  /** The stack's directory. */
  public Path home() {
    return dir.root();
  }

  /**
   * Starts everything and waits until every part is healthy; writes {@code endpoints.env}. When the
   * stack is up already it starts nothing; when only part of it runs, it stops that part and starts
   * the whole again.
   */
  public Endpoints up(Consumer<String> progress) throws Exception {
    AutoCloseable lock = dir.lock();
    try {
      Map<String, Map<String, String>> parts = dir.parts();
      if (!parts.isEmpty()) {
        List<String> problems = problems(parts);
        if (problems.isEmpty() && Files.exists(dir.endpoints())) {
          progress.accept("already up (" + parts.size() + " parts); ./iot status tells more");
          return Endpoints.fromEnvFile(dir.endpoints());
        }
        progress.accept("partly up (" + String.join("; ", problems) + "): starting it again");
        stopAll(progress);
      }
      // Nothing runs now: what is left in data/ belongs to a stack that is gone (killed without
      // down, or a machine restart) and would confuse the new one.
      DataDirs.delete(dir.root().resolve("data"));
      long started = System.nanoTime();
      Endpoints endpoints = launch(startServers(progress), progress);
      progress.accept(
          String.format(
              "up in %.1f s; endpoints in %s",
              (System.nanoTime() - started) / 1e9, dir.endpoints()));
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
    AutoCloseable lock = dir.lock();
    try {
      return launch(Starts.of(servers), progress);
    } finally {
      lock.close();
    }
  }

  /** Stops every recorded part, newest first, and deletes their data. */
  public void down(Consumer<String> progress) throws Exception {
    AutoCloseable lock = dir.lock();
    try {
      stopAll(progress);
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

  private List<String> problems(Map<String, Map<String, String>> parts) {
    List<String> problems = new ArrayList<>();
    parts.forEach(
        (name, part) ->
            Health.problem(part).ifPresent(problem -> problems.add(name + " " + problem)));
    return problems;
  }

  private void stopAll(Consumer<String> progress) throws IOException {
    List<Map.Entry<String, Map<String, String>>> parts = new ArrayList<>(dir.parts().entrySet());
    java.util.Collections.reverse(parts);
    for (Map.Entry<String, Map<String, String>> entry : parts) {
      Map<String, String> part = entry.getValue();
      long pid = Long.parseLong(part.getOrDefault("pid", "-1"));
      long begun = System.nanoTime();
      boolean killed = Processes.stopTree(pid, Duration.ofSeconds(30));
      String dataDir = part.get("dataDir");
      if (dataDir != null) {
        DataDirs.delete(Path.of(dataDir));
      }
      dir.forget(entry.getKey());
      progress.accept(
          String.format(
              "stopped %s (pid %d) in %.1f s%s",
              entry.getKey(),
              pid,
              (System.nanoTime() - begun) / 1e9,
              killed ? ", killed after 30 s" : ""));
    }
    Files.deleteIfExists(dir.endpoints());
  }

  /**
   * The servers' addresses, each known when its server is ready: the parts start as soon as what
   * they need is there (Connect on Kafka alone, the streams app on Kafka and the registry), not
   * after the slowest server (Cassandra).
   */
  private record Starts(
      CompletableFuture<MqttAt> mqtt,
      CompletableFuture<String> kafka,
      CompletableFuture<String[]> registry,
      CompletableFuture<String[]> cql) {

    static Starts of(Servers servers) {
      return new Starts(
          CompletableFuture.completedFuture(
              new MqttAt(servers.mqttBrokers(), servers.mqttUsername(), servers.mqttPassword())),
          CompletableFuture.completedFuture(servers.kafkaBootstrap()),
          CompletableFuture.completedFuture(
              new String[] {servers.registryConfluentUrl(), servers.registryApicurioUrl()}),
          CompletableFuture.completedFuture(
              new String[] {servers.cqlContactPoint(), servers.cqlDatacenter()}));
    }

    CompletableFuture<Void> all() {
      return CompletableFuture.allOf(mqtt, kafka, registry, cql);
    }

    /** Once all are ready. */
    Servers servers() {
      MqttAt m = mqtt.join();
      return new Servers(
          m.brokers(),
          m.username(),
          m.password(),
          kafka.join(),
          registry.join()[0],
          registry.join()[1],
          cql.join()[0],
          cql.join()[1]);
    }
  }

  /** The MQTT brokers and the bridge's credentials on them. */
  private record MqttAt(List<InetSocketAddress> brokers, String username, String password) {}

  private Starts startServers(Consumer<String> progress) {
    ServerOptions serverOptions =
        ServerOptions.builder()
            .exitWithParent(false)
            .logDir(dir.logs())
            .quickStart(options.quickStart())
            .startTimeout(options.startTimeout())
            .build();
    String password = UUID.randomUUID().toString();
    MqttBrokerKind kind =
        MqttBrokerKind.MOSQUITTO.unavailableReason().isEmpty()
            ? MqttBrokerKind.MOSQUITTO
            : MqttBrokerKind.HIVEMQ;
    MqttBrokerOptions brokerOptions =
        MqttBrokerOptions.builder()
            .acl(true)
            .backendCredentials(BACKEND_USER, password)
            .maxInflightMessages(1000)
            .build();
    ExecutorService starters =
        Executors.newFixedThreadPool(3 + options.brokers(), daemon("server-start"));
    progress.accept(
        "starting Kafka, "
            + (options.brokers() == 1 ? "" : options.brokers() + " x ")
            + kind.name().toLowerCase()
            + ", the registry and Cassandra");
    List<CompletableFuture<InetSocketAddress>> brokers = new ArrayList<>();
    for (int b = 1; b <= options.brokers(); b++) {
      brokers.add(
          start(starters, brokerPart(b), () -> kind.create(brokerOptions, serverOptions), progress)
              .thenApply(mqtt -> InetSocketAddress.createUnresolved(mqtt.host(), mqtt.port())));
    }
    Starts starts =
        new Starts(
            CompletableFuture.allOf(brokers.toArray(CompletableFuture[]::new))
                .thenApply(
                    all ->
                        new MqttAt(
                            brokers.stream().map(CompletableFuture::join).toList(),
                            BACKEND_USER,
                            password)),
            start(starters, "kafka", () -> new KafkaBroker(serverOptions), progress)
                .thenApply(KafkaBroker::bootstrapServers),
            start(starters, "schema-registry", () -> new SchemaRegistry(serverOptions), progress)
                .thenApply(r -> new String[] {r.confluentApiUrl(), r.apicurioApiUrl()}),
            start(
                    starters,
                    "cassandra",
                    () ->
                        new CqlServer(
                            CqlServer.defaultOptions()
                                .exitWithParent(false)
                                .logDir(dir.logs())
                                .quickStart(options.quickStart())
                                .startTimeout(options.startTimeout())
                                .build()),
                    progress)
                .thenApply(c -> new String[] {c.contactPointString(), c.localDatacenter()}));
    starters.shutdown();
    return starts;
  }

  /** The part name of broker {@code b} (from 1): {@code mqtt}, then {@code mqtt-2}, .... */
  private static String brokerPart(int b) {
    return b == 1 ? "mqtt" : "mqtt-" + b;
  }

  private <S extends org.iotbackbone.servers.LocalServer> CompletableFuture<S> start(
      ExecutorService starters, String part, Supplier<S> create, Consumer<String> progress) {
    return CompletableFuture.supplyAsync(
        () -> {
          long begun = System.nanoTime();
          S server = create.get();
          server.start();
          Map<String, String> record = new LinkedHashMap<>(server.description());
          record.put("health", StackParts.tcpCheck(record));
          dir.save(part, record);
          progress.accept(
              String.format(
                  "%s ready in %.1f s (pid %d)",
                  part, (System.nanoTime() - begun) / 1e9, server.pid()));
          return server;
        },
        starters);
  }

  private Endpoints launch(Starts starts, Consumer<String> progress) throws Exception {
    long begun = System.nanoTime();
    ExecutorService pool = Executors.newCachedThreadPool(daemon("part-start"));
    int restPort = Ports.free();
    int bridgePort = Ports.free();
    int connectPort = Ports.free();
    try {
      CompletableFuture<StackParts> ready =
          starts
              .kafka()
              .thenApplyAsync(
                  kafka -> {
                    int partitions = createTopics(kafka, progress);
                    return new StackParts(
                        dir,
                        new Options(
                            partitions,
                            options.quickStart(),
                            options.startTimeout(),
                            options.instance(),
                            options.brokers()),
                        launcher);
                  },
                  pool);
      CompletableFuture<Void> connect =
          ready.thenAcceptAsync(
              parts -> {
                run(() -> parts.startConnect(connectPort, starts.kafka().join()));
                progress.accept("started Kafka Connect");
              },
              pool);
      CompletableFuture<Void> streams =
          CompletableFuture.allOf(ready, starts.registry())
              .thenRunAsync(
                  () -> {
                    run(
                        () ->
                            ready
                                .join()
                                .startStreamsApp(
                                    restPort, starts.kafka().join(), starts.registry().join()[1]));
                    progress.accept("started the streams app");
                  },
                  pool);
      CompletableFuture<Void> bridge =
          CompletableFuture.allOf(ready, starts.registry(), starts.mqtt())
              .thenRunAsync(
                  () -> {
                    MqttAt mqtt = starts.mqtt().join();
                    run(
                        () ->
                            ready
                                .join()
                                .startBridge(
                                    bridgePort,
                                    mqtt.brokers(),
                                    mqtt.username(),
                                    mqtt.password(),
                                    starts.kafka().join(),
                                    starts.registry().join()[1]));
                    progress.accept("started the bridge");
                  },
                  pool);
      try {
        CompletableFuture.allOf(starts.all(), connect, streams, bridge).join();
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof Exception cause) {
          throw cause;
        }
        throw e;
      }
      Servers servers = starts.servers();
      StackParts parts = ready.join();
      parts.createSinkConnector(connectPort, servers, options.startTimeout());
      awaitHealthy(List.of("streams-app", "ingest-bridge", "connect"), progress);
      progress.accept(
          String.format("platform parts healthy in %.1f s", (System.nanoTime() - begun) / 1e9));
      return writeEndpoints(servers, parts, restPort, connectPort, bridgePort);
    } finally {
      pool.shutdown();
    }
  }

  /** Creates the missing topics; returns their partitions. */
  private int createTopics(String kafka, Consumer<String> progress) {
    int partitions = options.partitions();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
      // Topics that exist keep their partitions, and the missing ones get as many: the streams
      // app joins its topics and needs them co-partitioned.
      String requests = Topics.SHADOW_REQUESTS.name();
      if (admin.listTopics().names().get().contains(requests)) {
        partitions =
            admin
                .describeTopics(List.of(requests))
                .allTopicNames()
                .get()
                .get(requests)
                .partitions()
                .size();
      }
      TopicSetup.createMissing(admin, Topics.all(partitions), (short) 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cannot create the topics: " + e.getCause(), e.getCause());
    }
    progress.accept("topics ready (" + partitions + " partitions each)");
    return partitions;
  }

  private Endpoints writeEndpoints(
      Servers servers, StackParts parts, int restPort, int connectPort, int bridgePort)
      throws IOException {
    Map<String, String> variables = new LinkedHashMap<>();
    List<String> mqttUrls = servers.mqttBrokers().stream().map(Endpoints::mqttUrl).toList();
    variables.put(Endpoints.MQTT_URL, mqttUrls.get(0));
    variables.put(Endpoints.MQTT_URLS, String.join(",", mqttUrls));
    variables.put(Endpoints.KAFKA_BOOTSTRAP, servers.kafkaBootstrap());
    variables.put(Endpoints.REGISTRY_URL, servers.registryConfluentUrl());
    variables.put(Endpoints.REGISTRY_APICURIO_URL, servers.registryApicurioUrl());
    variables.put("CQL_CONTACT_POINTS", servers.cqlContactPoint());
    variables.put("CQL_DATACENTER", servers.cqlDatacenter());
    variables.put("CQL_KEYSPACE", parts.keyspace());
    variables.put(Endpoints.REST_URL, "http://127.0.0.1:" + restPort);
    variables.put("CONNECT_URL", "http://127.0.0.1:" + connectPort);
    variables.put("BRIDGE_URL", "http://127.0.0.1:" + bridgePort);
    StringBuilder file =
        new StringBuilder(
            "# The local stack's endpoints, written by ./iot up at "
                + Instant.now()
                + ".\n# Use them in a shell: . "
                + dir.endpoints()
                + "\n");
    variables.forEach((name, value) -> file.append(name).append('=').append(value).append('\n'));
    Files.writeString(dir.endpoints(), file.toString());
    return Endpoints.fromVariables(variables, dir.endpoints().toString());
  }

  /** An action that may fail with an I/O error, for the start futures. */
  private interface IoAction {
    void run() throws IOException;
  }

  private static void run(IoAction action) {
    try {
      action.run();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private void awaitHealthy(List<String> names, Consumer<String> progress)
      throws InterruptedException {
    long deadline = System.nanoTime() + options.startTimeout().toNanos();
    String last = "";
    while (true) {
      Map<String, Map<String, String>> parts = dir.parts();
      List<String> waiting = new ArrayList<>();
      for (String name : names) {
        Optional<String> problem = Health.problem(parts.get(name));
        if (problem.isPresent()) {
          if (!Processes.alive(Long.parseLong(parts.get(name).get("pid")))) {
            throw new IllegalStateException(
                name + " exited while starting; its log: " + parts.get(name).get("logFile"));
          }
          waiting.add(name + ": " + problem.get());
        }
      }
      if (waiting.isEmpty()) {
        return;
      }
      String line = "waiting for " + String.join("; ", waiting);
      if (!line.equals(last)) {
        progress.accept(line);
        last = line;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "not healthy within " + options.startTimeout().toSeconds() + " s: " + waiting);
      }
      Thread.sleep(500);
    }
  }
}
