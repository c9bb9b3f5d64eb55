package org.iotbackbone.localstack.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
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
import org.iotbackbone.localstack.internal.StackServers.BrokerAt;
import org.iotbackbone.localstack.internal.StackServers.CqlAt;
import org.iotbackbone.localstack.internal.StackServers.MqttAt;
import org.iotbackbone.localstack.internal.StackServers.RegistryAt;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.servers.BrokerTls;
import org.iotbackbone.servers.CqlServer;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.LocalServer;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttBrokerKind;
import org.iotbackbone.servers.MqttBrokerOptions;
import org.iotbackbone.servers.Ports;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.ServerOptions;

/**
 * The servers' addresses, each known when its server is ready: the parts start as soon as what they
 * need is there (Connect on Kafka alone, the streams app on Kafka and the registry), not after the
 * slowest server (Cassandra). {@code security} says how Kafka's clients log in.
 */
public record ServerStarts(
    CompletableFuture<MqttAt> mqtt,
    CompletableFuture<String> kafka,
    CompletableFuture<RegistryAt> registry,
    CompletableFuture<CqlAt> cql,
    Map<String, CompletableFuture<LocalServer>> processes,
    StackSecurity security) {

  /**
   * The MQTT credentials of the bridge on plain brokers ({@code --insecure}); secure ones know it
   * by its certificate ({@link StackPki#backend}).
   */
  static final String BACKEND_USER = "iot-backend";

  /** Servers that run already, on a Kafka whose clients log in as {@code security} says. */
  public static ServerStarts of(StackServers servers, StackSecurity security) {
    return new ServerStarts(
        CompletableFuture.completedFuture(servers.mqtt()),
        CompletableFuture.completedFuture(servers.kafkaBootstrap()),
        CompletableFuture.completedFuture(servers.registry()),
        CompletableFuture.completedFuture(servers.cql()),
        Map.of(),
        security);
  }

  /**
   * Starts Kafka, the MQTT brokers, the registry and Cassandra at once, each left running in the
   * background and recorded in the stack's directory as it becomes ready.
   */
  public static ServerStarts start(
      StackDir dir, StackParts.Settings settings, Consumer<String> progress) {
    return start(dir, settings, progress, true, Optional.empty());
  }

  /**
   * Like {@link #start(StackDir, StackParts.Settings, Consumer)}, Kafka with the Prometheus JMX
   * exporter serving the rules of the repository at {@code repoRoot} ({@link JmxExporter#KAFKA});
   * its URL goes to the kafka part's record as {@value EndpointsFile#METRICS_URL}.
   */
  public static ServerStarts start(
      StackDir dir, StackParts.Settings settings, Path repoRoot, Consumer<String> progress) {
    return start(dir, settings, progress, true, Optional.of(repoRoot));
  }

  /**
   * Starts the servers as {@link #start(StackDir, StackParts.Settings, Consumer)} does; {@code
   * leftRunning} false makes them this JVM's own (they end with it, and {@link #processes} can
   * kill, restart and pause them), as the chaos suite needs.
   */
  public static ServerStarts start(
      StackDir dir, StackParts.Settings settings, Consumer<String> progress, boolean leftRunning) {
    return start(dir, settings, progress, leftRunning, Optional.empty());
  }

  private static ServerStarts start(
      StackDir dir,
      StackParts.Settings settings,
      Consumer<String> progress,
      boolean leftRunning,
      Optional<Path> metricsRepoRoot) {
    java.util.function.Function<String, ServerOptions.Builder> serverBuilder =
        part ->
            settings
                .placement(part)
                .apply(
                    ServerOptions.builder()
                        .exitWithParent(!leftRunning)
                        .logDir(dir.logs())
                        .quickStart(settings.quickStart())
                        .startTimeout(settings.startTimeout()));
    java.util.function.Function<String, ServerOptions> serverOptions =
        part -> serverBuilder.apply(part).build();
    Map<String, String> kafkaRecord = new LinkedHashMap<>();
    List<String> kafkaJvm = new ArrayList<>();
    if (metricsRepoRoot.isPresent()) {
      String host = settings.placement("kafka").host();
      int port = Ports.free();
      try {
        kafkaJvm.add(
            JmxExporter.KAFKA.agentOption(
                metricsRepoRoot.get(), dir.data("kafka").resolve("jmx-exporter.yml"), host, port));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      kafkaRecord.put(EndpointsFile.METRICS_URL, JmxExporter.url(host, port));
    }
    ServerOptions kafkaOptions = serverBuilder.apply("kafka").jvmOptions(kafkaJvm).build();
    String password = UUID.randomUUID().toString();
    StackSecurity security =
        settings.secure()
            ? StackSecurity.secured(dir.principals())
            : StackSecurity.insecure(dir.principals());
    MqttBrokerKind kind =
        MqttBrokerKind.MOSQUITTO.unavailableReason().isEmpty()
            ? MqttBrokerKind.MOSQUITTO
            : MqttBrokerKind.HIVEMQ;
    // Secure brokers (the default) trust the stack's device CA, kept across down and up; each has
    // a server certificate of its own for its address (a lab address in the chaos suite).
    Optional<DevicePki> pki =
        settings.secure() ? Optional.of(StackPki.forBrokers(dir.pki())) : Optional.empty();
    java.util.function.Function<String, MqttBrokerOptions> brokerOptions =
        part -> {
          MqttBrokerOptions.Builder builder =
              MqttBrokerOptions.builder()
                  .acl(true)
                  .backendCredentials(BACKEND_USER, password)
                  .maxInflightMessages(1000);
          pki.ifPresent(
              ca ->
                  builder.tls(
                      BrokerTls.issue(
                          ca, brokerTlsDir(dir, part), hosts(settings.placement(part).host()))));
          return builder.build();
        };
    ExecutorService starters =
        Executors.newFixedThreadPool(3 + settings.brokers(), Threads.daemon("server-start"));
    progress.accept(
        "starting Kafka, "
            + (settings.brokers() == 1 ? "" : settings.brokers() + " x ")
            + kind.name().toLowerCase()
            + ", the registry and Cassandra");
    Map<String, CompletableFuture<LocalServer>> processes = new LinkedHashMap<>();
    List<CompletableFuture<BrokerAt>> brokers = new ArrayList<>();
    for (int b = 1; b <= settings.brokers(); b++) {
      String part = brokerPart(b);
      brokers.add(
          track(
                  processes,
                  part,
                  start(
                      dir,
                      starters,
                      part,
                      () -> kind.create(brokerOptions.apply(part), serverOptions.apply(part)),
                      progress))
              .thenApply(BrokerAt::of));
    }
    ServerStarts starts =
        new ServerStarts(
            CompletableFuture.allOf(brokers.toArray(CompletableFuture[]::new))
                .thenApply(
                    all ->
                        new MqttAt(
                            brokers.stream().map(CompletableFuture::join).toList(),
                            BACKEND_USER,
                            password,
                            pki.map(DevicePki::dir))),
            track(
                    processes,
                    "kafka",
                    start(
                        dir,
                        starters,
                        "kafka",
                        () ->
                            security.secured()
                                ? KafkaBroker.withScram(
                                    kafkaOptions,
                                    StackSecurity.TOOLS_PRINCIPAL,
                                    security.superUserPassword())
                                : new KafkaBroker(kafkaOptions),
                        kafkaRecord,
                        progress))
                .thenApply(KafkaBroker::bootstrapServers),
            track(
                    processes,
                    "schema-registry",
                    start(
                        dir,
                        starters,
                        "schema-registry",
                        () -> new SchemaRegistry(serverOptions.apply("schema-registry")),
                        progress))
                .thenApply(r -> new RegistryAt(r.confluentApiUrl(), r.apicurioApiUrl())),
            track(
                    processes,
                    "cassandra",
                    start(
                        dir,
                        starters,
                        "cassandra",
                        () ->
                            new CqlServer(
                                settings
                                    .placement("cassandra")
                                    .apply(CqlServer.defaultOptions())
                                    .exitWithParent(!leftRunning)
                                    .logDir(dir.logs())
                                    .quickStart(settings.quickStart())
                                    .startTimeout(settings.startTimeout())
                                    .build()),
                        progress))
                .thenApply(c -> new CqlAt(c.contactPointString(), c.localDatacenter())),
            java.util.Collections.unmodifiableMap(processes),
            security);
    starters.shutdown();
    return starts;
  }

  /** Completes when every server is ready. */
  public CompletableFuture<Void> all() {
    return CompletableFuture.allOf(mqtt, kafka, registry, cql);
  }

  /** The servers' addresses, once all are ready. */
  public StackServers servers() {
    return new StackServers(mqtt.join(), kafka.join(), registry.join(), cql.join());
  }

  /** Records a server's start under its part name, as a {@link LocalServer}. */
  private static <S extends LocalServer> CompletableFuture<S> track(
      Map<String, CompletableFuture<LocalServer>> processes,
      String part,
      CompletableFuture<S> start) {
    processes.put(part, start.thenApply(LocalServer.class::cast));
    return start;
  }

  /**
   * Where a secure broker's server certificate and key go: its part's data, which {@code up} and
   * {@code down} delete (the CA stays).
   */
  static Path brokerTlsDir(StackDir dir, String part) {
    return dir.data(part).resolve("tls");
  }

  /** The names a broker's certificate holds besides localhost and 127.0.0.1: its own address. */
  private static List<String> hosts(String host) {
    return host.equals(MqttBroker.HOST) ? List.of() : List.of(host);
  }

  /** The part name of broker {@code b} (from 1): {@code mqtt}, then {@code mqtt-2}, .... */
  private static String brokerPart(int b) {
    return b == 1 ? "mqtt" : "mqtt-" + b;
  }

  private static <S extends LocalServer> CompletableFuture<S> start(
      StackDir dir,
      ExecutorService starters,
      String part,
      Supplier<S> create,
      Consumer<String> progress) {
    return start(dir, starters, part, create, Map.of(), progress);
  }

  /** Starts a server and saves its record, with {@code extra} entries. */
  private static <S extends LocalServer> CompletableFuture<S> start(
      StackDir dir,
      ExecutorService starters,
      String part,
      Supplier<S> create,
      Map<String, String> extra,
      Consumer<String> progress) {
    return CompletableFuture.supplyAsync(
        () -> {
          long begun = System.nanoTime();
          S server = create.get();
          server.start();
          Map<String, String> record = new LinkedHashMap<>(server.description());
          record.putAll(extra);
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
}
