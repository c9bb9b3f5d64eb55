package org.iotbackbone.ingestbridge.bench;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.iotbackbone.ingestbridge.BridgeConfig;
import org.iotbackbone.ingestbridge.IngestBridge;
import org.iotbackbone.ingestbridge.IngestBridgeMain;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.pki.TlsContexts;
import org.iotbackbone.schemas.DeviceEvent;
import org.iotbackbone.schemas.access.KafkaAccess;
import org.iotbackbone.schemas.access.Principal;
import org.iotbackbone.schemas.access.Principals;
import org.iotbackbone.schemas.config.KafkaClientSettings;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.BrokerTls;
import org.iotbackbone.servers.CpuTime;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.MosquittoBroker;
import org.iotbackbone.servers.MqttBrokerOptions;
import org.iotbackbone.servers.MqttListener;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.ServerOptions;

/**
 * The bridge's benchmark (not a test): QoS 1 messages of 100 bytes from simulated devices through a
 * real Mosquitto, (1) to a plain MQTT subscriber on the same broker — the raw limit — and (2)
 * through the bridge into a real Kafka; then (3) through the bridge at a steady rate. Latency is
 * from the device's publish to the record read from Kafka (or to the plain subscriber), in one JVM
 * so that one clock serves both ends; it includes the reading consumer's fetch.
 *
 * <p>Run: {@code ./mvnw -o -Pbench -pl ingest-bridge -am test-compile} (arguments through {@code
 * -Dbench.args="MESSAGES DEVICES RATE LOW_RATE"}, default {@code 200000 100 10000 1000}; JVM
 * options through {@code -Dbench.jvm="-Dbridge.uplink.max.in.flight=256 -Dbench.http.port=9400"}:
 * the bridge's window, and its /metrics during the run).
 *
 * <p>{@code -Dbench.jvm="-Dbench.scram=true"} adds a second Kafka with SCRAM-SHA-512 and ACLs, as a
 * secured deployment runs it, and measures the bridge path into each Kafka in the same run: the
 * bridge logs in there as its own principal with the ACLs it is deployed with. After a warm-up
 * round (not counted), the two legs run in {@code -Dbench.rounds=N} rounds (default 4) whose order
 * alternates, so that the JIT's warming and the machine's drift fall on both alike; the summary
 * gives each side's medians, the ratio SCRAM/PLAINTEXT of each round and their median, and each
 * leg's line the cores other processes used meanwhile. The default run does not change: without the
 * flag, no second Kafka is started.
 *
 * <p>{@code -Dbench.jvm="-Dbench.tls=true"} does the same for the edge (issue 17): a second
 * Mosquitto, secure as deployed ({@link BrokerTls}), where each device connects over the TLS
 * listener with a certificate of its own and the bridge over the back-end listener with the back
 * end's certificate, against the plain listener of the first, into the same Kafka, in alternating
 * rounds; the ratios are mTLS/TCP. It cannot be combined with {@code bench.scram}.
 *
 * <p>{@code -Dbench.jvm="-Dbench.bridge.process=true"} runs each leg's bridge in a JVM of its own,
 * as deployed ({@link BridgeProcess}); the publishers and the Kafka reader stay here. {@code
 * -Dbench.broker.max.inflight=N} sets Mosquitto's outgoing window per client (default 1000).
 *
 * <p>For the scaling curves (docs/benchmarks.md, "Scaling curves"): {@code -Dbench.partitions=N}
 * gives the platform's topics N partitions (default 3); {@code -Dbench.connections=N} publishes the
 * {@code DEVICES} devices' messages over N MQTT connections (default: one per device), device
 * {@code i} on connection {@code i % N}, each message on its own device's topic. A connection is a
 * file descriptor in this JVM and in Mosquitto, whose limit (20,000 here) bounds real connections
 * well below 100,000; the bridge sees a device only through its topic (the Kafka key), so beyond
 * the limit the devices share connections.
 */
public final class BridgeBenchmark {

  private static final int PAYLOAD = 100;

  private BridgeBenchmark() {}

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int devices = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    int lowRate = args.length > 3 ? Integer.parseInt(args[3]) : 1_000;
    Load load = new Load(messages, devices, rate, lowRate);
    boolean scram = Boolean.getBoolean("bench.scram");
    boolean tls = Boolean.getBoolean("bench.tls");
    if (scram && tls) {
      throw new IllegalArgumentException("bench.scram and bench.tls compare one thing at a time");
    }
    int rounds = Integer.getInteger("bench.rounds", 4);
    int partitions = Integer.getInteger("bench.partitions", 3);
    int connections = Integer.getInteger("bench.connections", devices);
    if (devices < 1 || connections < 1 || connections > devices || partitions < 1) {
      throw new IllegalArgumentException(
          "devices and partitions at least 1, connections (bench.connections) 1 to devices: "
              + devices
              + " devices, "
              + connections
              + " connections, "
              + partitions
              + " partitions");
    }
    if (tls && connections != devices) {
      // The secure broker lets a device's certificate publish only on its own topics.
      throw new IllegalArgumentException(
          "bench.tls needs a connection per device (bench.connections)");
    }
    // The broker's outgoing window per client (max_inflight_messages), 1000 as deployed
    // (strimzi/README.md); -Dbench.broker.max.inflight=N tries another.
    MqttBrokerOptions brokerOptions =
        MqttBrokerOptions.builder()
            .maxQueuedMessages(1_000_000)
            .maxInflightMessages(Integer.getInteger("bench.broker.max.inflight", 1000))
            .build();
    // Full JIT and the default collector: the servers run as in production, not as tests start
    // them.
    ServerOptions servers =
        ServerOptions.builder().quickStart(false).startTimeout(Duration.ofMinutes(10)).build();
    String superUserPassword = KafkaAccess.newPassword();
    // Only for the TLS leg: the device CA, the secure broker's certificate and the bridge's.
    DevicePki pki = tls ? DevicePki.create(Files.createTempDirectory("bench-pki-")) : null;
    try (MosquittoBroker mqtt = new MosquittoBroker(brokerOptions, servers);
        MosquittoBroker secureMqtt =
            tls
                ? new MosquittoBroker(
                    MqttBrokerOptions.builder()
                        .maxQueuedMessages(brokerOptions.maxQueuedMessages())
                        .maxInflightMessages(brokerOptions.maxInflightMessages())
                        .tls(BrokerTls.issue(pki, pki.dir().resolve("broker"), List.of()))
                        .build(),
                    servers)
                : null;
        KafkaBroker kafka = new KafkaBroker(servers);
        // Only for the SCRAM leg (null is not closed): an idle broker would take its share of the
        // two cores from the legs measured.
        KafkaBroker securedKafka =
            scram
                ? KafkaBroker.withScram(servers, Principals.ADMIN.name(), superUserPassword)
                : null;
        SchemaRegistry registry = new SchemaRegistry(servers)) {
      mqtt.start();
      if (secureMqtt != null) {
        secureMqtt.start();
      }
      kafka.start();
      if (securedKafka != null) {
        securedKafka.start();
      }
      registry.start();
      KafkaTarget plaintext = KafkaTarget.plaintext(kafka, partitions);
      List<Mqtt5AsyncClient> clients = devices(mqtt.host(), mqtt.port(), connections, id -> null);
      Edge plainEdge = Edge.plain(mqtt, clients);

      Result[] raw = rawLeg(mqtt, clients, load);
      String header =
          "messages="
              + messages
              + " devices="
              + devices
              + " connections="
              + connections
              + " partitions="
              + partitions
              + " payload=100B QoS1";
      List<Mqtt5AsyncClient> secureClients = List.of();
      if (scram) {
        KafkaTarget secured = KafkaTarget.scram(securedKafka, partitions);
        compareSecurity(
            registry,
            load,
            raw,
            List.of(
                new Side(plaintext.name(), plainEdge, plaintext),
                new Side(secured.name(), plainEdge, secured)),
            rounds,
            header);
      } else if (tls) {
        secureClients =
            devices(
                secureMqtt.host(),
                secureMqtt.port(MqttListener.TLS),
                connections,
                id -> deviceSsl(pki, id));
        Edge secureEdge = Edge.mutualTls(secureMqtt, secureClients, pki);
        compareSecurity(
            registry,
            load,
            raw,
            List.of(new Side("TCP", plainEdge, plaintext), new Side("mTLS", secureEdge, plaintext)),
            rounds,
            header);
      } else {
        Result[] bridged =
            bridgeLeg(
                new Side(plaintext.name(), plainEdge, plaintext),
                registry,
                sink -> phases(clients, sink, load));
        System.out.println();
        System.out.println(header);
        for (int i = 0; i < raw.length; i++) {
          System.out.println(raw[i].line("raw MQTT (-> subscriber), " + load.phase(i)));
          System.out.println(bridged[i].line("bridge (-> Kafka), " + load.phase(i)));
        }
        System.out.printf(
            "bridge/raw throughput: %.2f%n", bridged[0].throughput() / raw[0].throughput());
      }
      for (Mqtt5AsyncClient client : clients) {
        client.disconnect().handle((ok, error) -> null).join();
      }
      for (Mqtt5AsyncClient client : secureClients) {
        client.disconnect().handle((ok, error) -> null).join();
      }
    }
    // The run of 11:13 printed its figures and then stayed up for half an hour, holding Maven:
    // library threads (the registry client's shared Vert.x, the MQTT clients' event loop) are not
    // daemons. A benchmark must return to its command.
    System.exit(0);
  }

  /** What every leg publishes: its phases ({@link #phases}). */
  record Load(int messages, int devices, int rate, int lowRate) {
    String phase(int index) {
      return switch (index) {
        case 0 -> "as fast as possible";
        case 1 -> "steady " + rate + " msg/s";
        default -> "steady " + lowRate + " msg/s";
      };
    }
  }

  /**
   * The MQTT side of a bridge leg: the broker, the devices publishing there, and the bridge's
   * {@code mqtt.*} settings to reach it.
   */
  record Edge(List<Mqtt5AsyncClient> clients, Map<String, String> bridgeSettings) {

    /** The plain development listener: no TLS, no identity. */
    static Edge plain(MosquittoBroker mqtt, List<Mqtt5AsyncClient> clients) {
      return new Edge(
          clients,
          Map.of(
              BridgeConfig.MQTT_BROKERS_CONFIG,
              "edge=" + mqtt.host() + ":" + mqtt.port(),
              BridgeConfig.MQTT_TLS_ENABLED_CONFIG,
              "false"));
    }

    /** As deployed: the back-end listener, the back end's certificate, the device CA trusted. */
    static Edge mutualTls(MosquittoBroker mqtt, List<Mqtt5AsyncClient> clients, DevicePki pki) {
      Path certificate = pki.dir().resolve("bridge.crt");
      Path key = pki.dir().resolve("bridge.key");
      pki.issueService(BrokerTls.DEFAULT_BACKEND_IDENTITY).write(certificate, key);
      return new Edge(
          clients,
          Map.of(
              BridgeConfig.MQTT_BROKERS_CONFIG,
              "edge=" + mqtt.host() + ":" + mqtt.port(MqttListener.BACKEND),
              BridgeConfig.MQTT_TLS_CA_FILE_CONFIG,
              pki.caCertificate().toString(),
              BridgeConfig.MQTT_TLS_CERTIFICATE_FILE_CONFIG,
              certificate.toString(),
              BridgeConfig.MQTT_TLS_KEY_FILE_CONFIG,
              key.toString()));
    }
  }

  /** One side of a comparison: its name in the summary, where devices publish, where to. */
  record Side(String name, Edge edge, KafkaTarget target) {}

  /**
   * A Kafka a bridge leg writes to, and what its two clients log in with there: the bridge (as
   * deployed) and the benchmark's reader.
   */
  record KafkaTarget(
      String name,
      KafkaBroker broker,
      Map<String, String> bridgeLogin,
      Map<String, String> readerLogin) {

    /** A Kafka without security, as the benchmark always ran: nobody logs in. */
    static KafkaTarget plaintext(KafkaBroker kafka, int partitions) throws Exception {
      createTopics(kafka, Map.of(), partitions);
      return new KafkaTarget("PLAINTEXT", kafka, Map.of(), Map.of());
    }

    /**
     * A Kafka with SCRAM and ACLs. The bridge is its own principal with its deployed ACLs, not the
     * super user: the authorizer then checks what it checks in production, on every request. The
     * reader is the benchmark's tool, so it reads as the super user, as the local stack's tools do.
     */
    static KafkaTarget scram(KafkaBroker kafka, int partitions) throws Exception {
      Principal bridge = Principals.INGEST_BRIDGE;
      String password = KafkaAccess.newPassword();
      createTopics(kafka, kafka.superUserSettings(), partitions);
      try (Admin admin = Admin.create(clientSettings(kafka, kafka.superUserSettings()))) {
        KafkaAccess.apply(
            admin, List.of(bridge), Map.of(bridge.name(), password), Duration.ofMinutes(2));
      }
      return new KafkaTarget(
          "SCRAM",
          kafka,
          KafkaBroker.scramClientSettings(bridge.name(), password),
          kafka.superUserSettings());
    }

    private static void createTopics(KafkaBroker kafka, Map<String, String> login, int partitions)
        throws Exception {
      try (Admin admin = Admin.create(clientSettings(kafka, login))) {
        admin
            .createTopics(Topics.all(partitions).stream().map(t -> t.newTopic((short) 1)).toList())
            .all()
            .get();
      }
    }
  }

  private static Map<String, Object> clientSettings(KafkaBroker kafka, Map<String, String> login) {
    Map<String, Object> settings = new HashMap<>(login);
    settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    return settings;
  }

  /** The raw limit: the same phases to a plain MQTT subscriber on the same broker. */
  private static Result[] rawLeg(MosquittoBroker mqtt, List<Mqtt5AsyncClient> clients, Load load)
      throws InterruptedException {
    Mqtt5AsyncClient subscriber = rawSubscriber(mqtt);
    CountingSink rawSide = new CountingSink();
    subscriber.publishes(MqttGlobalPublishFilter.ALL, p -> rawSide.arrived(p.getPayloadAsBytes()));
    subscriber.connect().join();
    subscriber
        .subscribeWith()
        .topicFilter("devices/+/events/#")
        .qos(MqttQos.AT_LEAST_ONCE)
        .send()
        .join();
    Result[] raw = phases(clients, rawSide, load);
    subscriber.disconnect().join();
    return raw;
  }

  /**
   * The phases through a bridge of its own into {@code target}, read back from there. Every leg's
   * bridge has the same id, so it resumes the same MQTT sessions: no session of an earlier leg is
   * left in the share group to be given messages.
   */
  private static Result[] bridgeLeg(Side side, SchemaRegistry registry, Leg leg)
      throws InterruptedException {
    KafkaTarget target = side.target();
    Map<String, String> settings = bridgeSettings(side.edge(), registry, target);
    RunningBridge bridge =
        Boolean.getBoolean("bench.bridge.process")
            ? BridgeProcess.start(settings)
            : InProcessBridge.start(settings);
    try (bridge;
        KafkaLatency kafkaSide =
            new KafkaLatency(
                clientSettings(target.broker(), target.readerLogin()), registry.apicurioApiUrl())) {
      return leg.run(kafkaSide);
    }
  }

  /** A bridge that is ready (subscribed, Kafka reachable) until closed. */
  interface RunningBridge extends AutoCloseable {
    @Override
    void close();
  }

  /** The bridge in the benchmark's JVM: its CPU counts as the JVM's. */
  record InProcessBridge(IngestBridge bridge) implements RunningBridge {
    static InProcessBridge start(Map<String, String> settings) {
      IngestBridge bridge = new IngestBridge(BridgeConfig.of(settings));
      bridge.start();
      while (!bridge.isReady()) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
      return new InProcessBridge(bridge);
    }

    @Override
    public void close() {
      bridge.close();
    }
  }

  /**
   * The bridge in a JVM of its own, as deployed ({@code -Dbench.bridge.process=true}): {@code
   * IngestBridgeMain} with this JVM's classpath, the settings in a properties file, its JVM options
   * from {@code -Dbench.bridge.jvm} (default {@code -Xmx1g}), its log in a file. A child process,
   * so its CPU counts as the servers'. Ready when its {@code /ready} answers 200; stopped with
   * SIGTERM, which drains it.
   */
  record BridgeProcess(Process process, Path log) implements RunningBridge {
    static BridgeProcess start(Map<String, String> settings) throws InterruptedException {
      try {
        int port = freePort();
        Properties properties = new Properties();
        properties.putAll(settings);
        properties.put(BridgeConfig.HTTP_PORT_CONFIG, Integer.toString(port));
        Path file = Files.createTempFile("bench-bridge-", ".properties");
        try (var out = Files.newBufferedWriter(file)) {
          properties.store(out, "BridgeBenchmark");
        }
        Path log = Files.createTempFile("bench-bridge-", ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(
            Arrays.asList(System.getProperty("bench.bridge.jvm", "-Xmx1g").trim().split("\\s+")));
        command.addAll(
            List.of(
                "-cp",
                System.getProperty("java.class.path"),
                IngestBridgeMain.class.getName(),
                file.toString()));
        Process process =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        BridgeProcess bridge = new BridgeProcess(process, log);
        System.out.println("bridge process " + process.pid() + ", log " + log);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready =
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
          if (!process.isAlive()) {
            throw new IllegalStateException("the bridge process ended; its log: " + log);
          }
          try {
            if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
              return bridge;
            }
          } catch (IOException notYet) {
            // Not listening yet.
          }
          if (System.nanoTime() > deadline) {
            bridge.close();
            throw new IllegalStateException(
                "the bridge process not ready in 2 min; its log: " + log);
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static int freePort() throws IOException {
      try (ServerSocket socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      }
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  /** What a leg publishes once its bridge is ready, counted by the sink. */
  interface Leg {
    Result[] run(CountingSink sink) throws InterruptedException;
  }

  private static Map<String, String> bridgeSettings(
      Edge edge, SchemaRegistry registry, KafkaTarget target) {
    Map<String, String> settings = new HashMap<>(edge.bridgeSettings());
    settings.put(BridgeConfig.BOOTSTRAP_SERVERS_CONFIG, target.broker().bootstrapServers());
    settings.put(BridgeConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.apicurioApiUrl());
    settings.put(BridgeConfig.DOWNLINK_ENABLED_CONFIG, "false");
    settings.put(BridgeConfig.HTTP_PORT_CONFIG, System.getProperty("bench.http.port", "-1"));
    // The login reaches the bridge's Kafka clients as a deployment gives it: kafka.* settings.
    target
        .bridgeLogin()
        .forEach((key, value) -> settings.put(KafkaClientSettings.PREFIX + key, value));
    // Any bridge setting can be tried without a rebuild: -Dbridge.kafka.linger.ms=20 sets
    // kafka.linger.ms. BridgeConfig validates it as at a bridge's start.
    System.getProperties()
        .stringPropertyNames()
        .forEach(
            name -> {
              if (name.startsWith("bridge.")) {
                settings.put(name.substring("bridge.".length()), System.getProperty(name));
              }
            });
    // Validated here as at a bridge's start, also for the bridge process.
    BridgeConfig.of(settings);
    return settings;
  }

  /**
   * The bridge into each Kafka, in rounds whose order alternates (A B, B A, ...): what the JIT
   * learns in a leg helps the next, and the machine's speed drifts, so a fixed order would favour
   * one side. Prints every leg's lines, then each side's medians over the rounds and the ratios.
   */
  private static void compareSecurity(
      SchemaRegistry registry, Load load, Result[] raw, List<Side> sides, int rounds, String header)
      throws InterruptedException {
    Map<String, List<Result[]>> results = new LinkedHashMap<>();
    sides.forEach(side -> results.put(side.name(), new ArrayList<>()));
    // Round 0 is not counted: each broker's JVM and the bridge's code in this one warm up. In
    // trial runs the first legs ran at half to a quarter of the speed of the later ones, and a
    // shorter warm-up (one burst per side) still left the first counted round slow.
    for (int round = 0; round <= rounds; round++) {
      List<Side> order = new ArrayList<>(sides);
      if (round % 2 == 1) {
        Collections.reverse(order);
      }
      for (Side side : order) {
        Result[] leg = bridgeLeg(side, registry, sink -> phases(side.edge().clients(), sink, load));
        if (round > 0) {
          results.get(side.name()).add(leg);
        }
      }
    }
    System.out.println();
    System.out.println(
        header + ", bridge legs in " + rounds + " rounds of alternating order after a warm-up one");
    for (int i = 0; i < raw.length; i++) {
      System.out.println(raw[i].line("raw MQTT (-> subscriber), " + load.phase(i)));
    }
    results.forEach(
        (name, legs) -> {
          for (int round = 0; round < legs.size(); round++) {
            for (int i = 0; i < raw.length; i++) {
              String what = "bridge (" + name + ") #" + (round + 1) + ", ";
              Result result = legs.get(round)[i];
              System.out.println(result.line(what + load.phase(i)) + result.othersNote());
            }
          }
        });
    printComparison(load, raw, results);
  }

  /** Each side's medians over the rounds, and SCRAM/PLAINTEXT of each. */
  private static void printComparison(
      Load load, Result[] raw, Map<String, List<Result[]>> results) {
    List<String> names = new ArrayList<>(results.keySet());
    System.out.println("medians over " + results.get(names.get(0)).size() + " rounds:");
    for (String name : names) {
      List<Result[]> legs = results.get(name);
      System.out.printf(
          "  %-9s %8.0f msg/s (bridge/raw %.2f), CPU/msg JVM %3.0f us servers %3.0f us;"
              + " p99 at %d msg/s %7.2f ms, at %d msg/s %7.2f ms%n",
          name,
          median(legs, 0, Result::throughput),
          median(legs, 0, Result::throughput) / raw[0].throughput(),
          median(legs, 0, Result::selfMicros),
          median(legs, 0, Result::serverMicros),
          load.rate(),
          median(legs, 1, Result::p99Millis),
          load.lowRate(),
          median(legs, 2, Result::p99Millis));
    }
    List<Result[]> base = results.get(names.get(0));
    List<Result[]> secured = results.get(names.get(1));
    // The two legs of a round ran next to each other, so their ratio is the one least touched by
    // the machine's drift; the ratio of the medians is printed beside it.
    double[] roundRatios = new double[base.size()];
    for (int round = 0; round < roundRatios.length; round++) {
      roundRatios[round] = secured.get(round)[0].throughput() / base.get(round)[0].throughput();
    }
    System.out.printf(
        "%s/%s throughput per round: %s, median %.3f%n",
        names.get(1),
        names.get(0),
        Arrays.toString(
            Arrays.stream(roundRatios).map(r -> Math.round(r * 1000) / 1000.0).toArray()),
        median(roundRatios));
    System.out.printf(
        "%s/%s of the medians: throughput %.3f, CPU/msg (JVM + servers) %.3f,"
            + " p99 at %d msg/s %.2f,"
            + " at %d msg/s %.2f%n",
        names.get(1),
        names.get(0),
        median(secured, 0, Result::throughput) / median(base, 0, Result::throughput),
        median(secured, 0, Result::cpuMicros) / median(base, 0, Result::cpuMicros),
        load.rate(),
        median(secured, 1, Result::p99Millis) / median(base, 1, Result::p99Millis),
        load.lowRate(),
        median(secured, 2, Result::p99Millis) / median(base, 2, Result::p99Millis));
  }

  /** The median of one figure of one phase over the rounds. */
  static double median(List<Result[]> legs, int phase, ToDoubleFunction<Result> figure) {
    return median(legs.stream().mapToDouble(leg -> figure.applyAsDouble(leg[phase])).toArray());
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  /**
   * The outcome of one run, with the CPU time used meanwhile by this JVM (publishers, bridge or
   * subscriber, Kafka reader) and by the servers it started: on a shared machine whose speed
   * varies, CPU per message is the steadier figure.
   */
  record Result(
      long messages,
      long nanos,
      Histogram latency,
      CpuTime atStart,
      CpuTime atEnd,
      long machineAtStart,
      long machineAtEnd) {
    double throughput() {
      return messages * 1e9 / nanos;
    }

    double p99Millis() {
      return latency.getValueAtPercentile(99) / 1e6;
    }

    double selfMicros() {
      return atEnd.selfMicrosPer(atStart, messages);
    }

    double serverMicros() {
      return atEnd.serverMicrosPer(atStart, messages);
    }

    double cpuMicros() {
      return selfMicros() + serverMicros();
    }

    /**
     * The cores that processes other than this JVM and its servers kept busy meanwhile (other
     * tenants' builds): the machine's busy time less ours, over the wall time. Empty where the
     * machine's time cannot be read.
     */
    String othersNote() {
      if (machineAtStart < 0 || machineAtEnd < 0) {
        return "";
      }
      long ours =
          atEnd.selfNanos() - atStart.selfNanos() + atEnd.serverNanos() - atStart.serverNanos();
      double others = Math.max(0, machineAtEnd - machineAtStart - ours) / (double) nanos;
      return String.format("  others %.2f cores", others);
    }

    String line(String what) {
      return String.format(
          "%-52s %8.0f msg/s  p50 %6.2f ms  p99 %7.2f ms  p99.9 %7.2f ms  max %7.2f ms"
              + "  CPU/msg: JVM %3.0f us, servers %3.0f us",
          what,
          throughput(),
          latency.getValueAtPercentile(50) / 1e6,
          p99Millis(),
          latency.getValueAtPercentile(99.9) / 1e6,
          latency.getMaxValue() / 1e6,
          selfMicros(),
          serverMicros());
    }
  }

  /** Where a run's messages are counted as they arrive. */
  interface Sink {
    /** Waits for every message; returns the latency histogram. */
    Histogram await() throws InterruptedException;

    /** When the last message arrived (nanoTime). */
    long lastArrival();

    /** Messages arrived since the last {@code expect}. */
    long arrived();
  }

  /**
   * {@code count} devices connected to {@code host:port}, each with the TLS configuration {@code
   * ssl} gives for its id (null for plain TCP).
   */
  private static List<Mqtt5AsyncClient> devices(
      String host, int port, int count, Function<String, MqttClientSslConfig> ssl) {
    List<Mqtt5AsyncClient> clients = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = "bench-dev-" + i;
      MqttClientSslConfig sslConfig = ssl.apply(id);
      Mqtt5AsyncClient client =
          Mqtt5Client.builder()
              .identifier(id)
              .serverHost(host)
              .serverPort(port)
              .sslConfig(sslConfig)
              .buildAsync();
      client.connect().join();
      clients.add(client);
    }
    return clients;
  }

  /** A device's own certificate (CN = its id), the device CA trusted. */
  private static MqttClientSslConfig deviceSsl(DevicePki pki, String deviceId) {
    return MqttClientSslConfig.builder()
        .keyManagerFactory(TlsContexts.keyManagerFactory(pki.issueDevice(deviceId)))
        .trustManagerFactory(TlsContexts.trustManagerFactory(pki.caCertificate()))
        .build();
  }

  private static Mqtt5AsyncClient rawSubscriber(MosquittoBroker mqtt) {
    return Mqtt5Client.builder()
        .identifier("bench-raw-subscriber")
        .serverHost(mqtt.host())
        .serverPort(mqtt.port())
        .buildAsync();
  }

  /**
   * A warm-up (schemas registered, JIT), then {@code messages} as fast as possible, then ten
   * seconds at {@code rate} and ten at {@code lowRate}: a rate above what the machine sustains
   * measures its queues, one below it the path's own latency.
   */
  private static Result[] phases(List<Mqtt5AsyncClient> clients, CountingSink sink, Load load)
      throws InterruptedException {
    int messages = load.messages();
    int rate = load.rate();
    int lowRate = load.lowRate();
    int devices = load.devices();
    run(clients, devices, 5_000, 0, sink.expect(5_000));
    Result burst = run(clients, devices, messages, 0, sink.expect(messages));
    int steadyCount = Math.min(messages, rate * 10);
    Result steady = run(clients, devices, steadyCount, rate, sink.expect(steadyCount));
    int lowCount = Math.min(messages, lowRate * 10);
    Result low = run(clients, devices, lowCount, lowRate, sink.expect(lowCount));
    return new Result[] {burst, steady, low};
  }

  /**
   * Messages published and not yet arrived at most. Without a bound the broker's queue for the
   * subscriber grows without limit, and Mosquitto (2.0.11) gives a queued message its packet id
   * when it queues it: past 65,535 queued messages ids repeat while the first is still in flight,
   * and the HiveMQ client drops the connection for a protocol error.
   */
  private static final int MAX_UNARRIVED = 20_000;

  /**
   * Publishes {@code messages} round-robin over the {@code devices} devices, each on its own topic
   * through connection {@code device % clients}, at {@code rate} (0 = flat out).
   */
  private static Result run(
      List<Mqtt5AsyncClient> clients, int devices, int messages, int rate, Sink sink)
      throws InterruptedException {
    Semaphore outstanding = new Semaphore(MAX_UNARRIVED);
    CpuTime cpuAtStart = CpuTime.now();
    long machineAtStart = machineBusyNanos();
    long start = System.nanoTime();
    long interval = rate > 0 ? 1_000_000_000L / rate : 0;
    for (int i = 0; i < messages; i++) {
      if (rate > 0) {
        long due = start + i * interval;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
      }
      outstanding.acquire();
      while (i - sink.arrived() >= MAX_UNARRIVED) {
        // 20,000 are on their way: a millisecond's wait costs no throughput, and a shorter one
        // would wake this thread so often that it takes CPU from the path being measured.
        LockSupport.parkNanos(1_000_000);
      }
      int device = i % devices;
      Mqtt5AsyncClient client = clients.get(device % clients.size());
      ByteBuffer payload = ByteBuffer.allocate(PAYLOAD);
      payload.putLong(System.nanoTime());
      client
          .publishWith()
          .topic("devices/bench-dev-" + device + "/events/bench")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(payload.array())
          .send()
          .whenComplete((r, e) -> outstanding.release());
    }
    Histogram latency = sink.await();
    return new Result(
        messages,
        sink.lastArrival() - start,
        latency,
        cpuAtStart,
        CpuTime.now(),
        machineAtStart,
        machineBusyNanos());
  }

  /**
   * CPU time all processes of the machine have used since boot (Linux: the first line of {@code
   * /proc/stat}, user + nice + system + irq + softirq, in ticks of 10 ms), or -1 where it cannot be
   * read.
   */
  static long machineBusyNanos() {
    try {
      String[] ticks = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int field : new int[] {1, 2, 3, 6, 7}) {
        busy += Long.parseLong(ticks[field]);
      }
      return busy * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Counts arrivals and records latency from the publish time in the payload's first 8 bytes. */
  static class CountingSink implements Sink {
    private final Recorder recorder = new Recorder(3);
    private volatile CountDownLatch remaining = new CountDownLatch(0);
    private final AtomicLong last = new AtomicLong();
    private final AtomicLong arrived = new AtomicLong();

    CountingSink expect(int count) {
      recorder.reset();
      arrived.set(0);
      remaining = new CountDownLatch(count);
      return this;
    }

    void arrived(byte[] payload) {
      long now = System.nanoTime();
      recorder.recordValue(Math.max(0, now - ByteBuffer.wrap(payload).getLong()));
      last.set(now);
      arrived.incrementAndGet();
      remaining.countDown();
    }

    @Override
    public long arrived() {
      return arrived.get();
    }

    @Override
    public Histogram await() throws InterruptedException {
      if (!remaining.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("messages missing: " + remaining.getCount());
      }
      return recorder.getIntervalHistogram();
    }

    @Override
    public long lastArrival() {
      return last.get();
    }
  }

  /** Reads iot.device.events from its end, decoding each record. */
  static final class KafkaLatency extends CountingSink implements AutoCloseable {
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;

    /**
     * @param settings the reader's client settings: the brokers and its login
     */
    KafkaLatency(Map<String, Object> settings, String registryUrl) {
      Deserializer<DeviceEvent> deserializer =
          RegistrySerdes.valueSerde(Topics.DEVICE_EVENTS, RegistryConfig.of(registryUrl))
              .deserializer();
      Map<String, Object> config = new HashMap<>(settings);
      config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
      config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
      config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
      KafkaConsumer<String, byte[]> consumer =
          new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.DEVICE_EVENTS.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
      thread =
          new Thread(
              () -> {
                try (consumer) {
                  while (!closed.get()) {
                    for (ConsumerRecord<String, byte[]> record :
                        consumer.poll(Duration.ofMillis(100))) {
                      DeviceEvent event = deserializer.deserialize(record.topic(), record.value());
                      byte[] payload = new byte[event.getPayload().remaining()];
                      event.getPayload().get(payload);
                      arrived(payload);
                    }
                  }
                }
              },
              "bench-kafka-reader");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() {
      closed.set(true);
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
