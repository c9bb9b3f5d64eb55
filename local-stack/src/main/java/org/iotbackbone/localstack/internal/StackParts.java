package org.iotbackbone.localstack.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.iotbackbone.connectors.ScyllaSinkConfig;
import org.iotbackbone.connectors.ScyllaSinkConnector;
import org.iotbackbone.connectors.WorkerProperties;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.schemas.access.Principals;
import org.iotbackbone.schemas.config.CommonSettings;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.Distribution;
import org.iotbackbone.servers.Ports;
import org.iotbackbone.servers.launch.Launch;
import org.iotbackbone.servers.launch.Launched;
import org.iotbackbone.servers.launch.ProcessTree;

/**
 * The platform's own parts as the local stack runs them: their settings (the same keys a deployment
 * sets, through the same environment variables), their processes and their records. The bridge and
 * the streams app run from their distributions ({@link Distribution}), as a deployment runs them;
 * the Connect worker runs Connect's own main class with the sink on this JVM's class path.
 */
public final class StackParts {

  /**
   * What the parts are started with.
   *
   * @param partitions of every topic the stack creates
   * @param quickStart the parts' JVMs trade peak speed for a quicker start
   * @param startTimeout how long a part may take to become healthy
   * @param instance names this stack's application ids, consumer groups and keyspace
   * @param brokers how many MQTT brokers the stack starts
   * @param placements where each part runs, by part name; a part not named runs on loopback
   * @param environment settings of a part's own (its environment variables) by part name, besides
   *     those the stack sets: the chaos suite's shorter command timeout
   * @param secure Kafka with SCRAM and ACLs, each part as its own principal ({@link
   *     StackSecurity}); false for {@code ./iot up --insecure}
   */
  public record Settings(
      int partitions,
      boolean quickStart,
      Duration startTimeout,
      String instance,
      int brokers,
      Map<String, Placement> placements,
      Map<String, Map<String, String>> environment,
      boolean secure) {

    public Settings {
      placements = Map.copyOf(placements);
      environment = Map.copyOf(environment);
    }

    /** Every part on loopback, with the stack's settings. */
    public Settings(
        int partitions,
        boolean quickStart,
        Duration startTimeout,
        String instance,
        int brokers,
        boolean secure) {
      this(partitions, quickStart, startTimeout, instance, brokers, Map.of(), Map.of(), secure);
    }

    /** The same settings with the topics' actual partitions. */
    public Settings withPartitions(int value) {
      return new Settings(
          value, quickStart, startTimeout, instance, brokers, placements, environment, secure);
    }

    /** The same settings with the parts placed as {@code value} says. */
    public Settings withPlacements(Map<String, Placement> value) {
      return new Settings(
          partitions, quickStart, startTimeout, instance, brokers, value, environment, secure);
    }

    /** The consumer group and application ids the parts run with, which their ACLs name. */
    public Principals.AppIds appIds() {
      return new Principals.AppIds(
          "bridge-downlink-" + instance, "iot-shadows-" + instance, "iot-connect-" + instance);
    }

    /** Where {@code part} runs. */
    public Placement placement(String part) {
      return placements.getOrDefault(part, Placement.LOOPBACK);
    }
  }

  /** The heap of a part's JVM: enough for the local stack's load, and several fit one machine. */
  private static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONNECTOR = "scylla-sink";

  private final StackDir dir;
  private final Settings options;
  private final Path repoRoot;
  private final StackSecurity security;
  private final HttpClient http = HttpClient.newHttpClient();

  public StackParts(StackDir dir, Settings settings, Path repoRoot, StackSecurity security) {
    this.dir = dir;
    this.options = settings;
    this.repoRoot = repoRoot;
    this.security = security;
  }

  /** The health check of a server's record: its port accepts connections. */
  public static String tcpCheck(Map<String, String> description) {
    // Cassandra's client port is its native (CQL) port; a secure MQTT broker's is its devices' TLS
    // listener (port.tls; it has no plain one); the others have one port.
    String port =
        description.getOrDefault(
            "nativePort",
            description.getOrDefault("port.tls", description.getOrDefault("port", "")));
    String host = description.getOrDefault("host", Placement.LOOPBACK.host());
    return port.isEmpty() ? "" : "tcp:" + host + ":" + port;
  }

  /** The base URL of a part's HTTP port, at its placement's address. */
  public String url(String part, int port) {
    return "http://" + options.placement(part).host() + ":" + port;
  }

  /** The keyspace the sink writes. */
  public String keyspace() {
    return "iot_" + options.instance().replace('-', '_');
  }

  /**
   * The streams app, its REST API verifying the stack's tokens ({@link RestTokens}: {@code ./iot
   * token create}, and the {@code REST_TOKEN} of {@code endpoints.env}).
   */
  public void startStreamsApp(
      int httpPort, String kafkaBootstrap, String registryUrl, Path restPublicKeys)
      throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("IOT_STREAMS_BOOTSTRAP_SERVERS", kafkaBootstrap);
    env.put("IOT_STREAMS_SCHEMA_REGISTRY_URL", registryUrl);
    env.put("IOT_STREAMS_SCHEMA_REGISTRY_AUTO_REGISTER", "false");
    env.put("IOT_STREAMS_APPLICATION_ID", options.appIds().streamsApplicationId());
    env.putAll(security.environment("IOT_STREAMS_", Principals.STREAMS_APP.name()));
    env.put("IOT_STREAMS_STATE_DIR", dir.data("streams-app").resolve("state").toString());
    env.put("IOT_STREAMS_HTTP_HOST", options.placement("streams-app").host());
    env.put("IOT_STREAMS_HTTP_PORT", Integer.toString(httpPort));
    env.put("IOT_STREAMS_TOPICS_PARTITIONS", Integer.toString(options.partitions()));
    env.put("IOT_STREAMS_TOPICS_REPLICATION_FACTOR", "1");
    env.put("IOT_STREAMS_HTTP_AUTH_PUBLIC_KEY_FILE", restPublicKeys.toString());
    env.put("IOT_STREAMS_HTTP_AUTH_ISSUER", RestTokens.ISSUER);
    env.put("IOT_STREAMS_HTTP_AUTH_AUDIENCE", RestTokens.AUDIENCE);
    start(
        "streams-app",
        Distribution.of(repoRoot, "streams-app").launch(),
        env,
        List.of(),
        "http:" + url("streams-app", httpPort) + "/health",
        Map.of("httpPort", Integer.toString(httpPort)));
  }

  /**
   * The bridge on the MQTT brokers' back-end listeners (by the back end's certificate on secure
   * brokers, its credentials on plain ones), Kafka and the registry.
   */
  public void startBridge(
      int httpPort, StackServers.MqttAt mqtt, String kafkaBootstrap, String registryUrl)
      throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("IOT_BRIDGE_BRIDGE_ID", "bridge-" + options.instance());
    env.put("IOT_BRIDGE_MQTT_BROKERS", bridgeBrokers(mqtt.brokers()));
    env.putAll(bridgeMqttLogin(mqtt));
    env.put("IOT_BRIDGE_MQTT_SHARE_GROUP", "bridges-" + options.instance());
    env.put("IOT_BRIDGE_BOOTSTRAP_SERVERS", kafkaBootstrap);
    env.put("IOT_BRIDGE_DOWNLINK_GROUP_ID", options.appIds().bridgeGroupId());
    env.putAll(security.environment("IOT_BRIDGE_", Principals.INGEST_BRIDGE.name()));
    env.put("IOT_BRIDGE_SCHEMA_REGISTRY_URL", registryUrl);
    env.put("IOT_BRIDGE_SCHEMA_REGISTRY_AUTO_REGISTER", "false");
    env.put("IOT_BRIDGE_HTTP_PORT", Integer.toString(httpPort));
    start(
        "ingest-bridge",
        Distribution.of(repoRoot, "ingest-bridge").launch(),
        env,
        List.of(),
        "http:" + url("ingest-bridge", httpPort) + "/ready",
        Map.of(
            "httpPort",
            Integer.toString(httpPort),
            EndpointsFile.METRICS_URL,
            url("ingest-bridge", httpPort) + "/metrics"));
  }

  /**
   * The bridge's {@code mqtt.brokers}: each broker's back-end listener (the devices' listeners
   * would refuse the bridge's certificate). Broker ids are what the bridge writes into records and
   * routes commands by: edge, or edge-1, edge-2, ... when there are several.
   */
  static String bridgeBrokers(List<StackServers.BrokerAt> brokers) {
    List<String> entries = new ArrayList<>();
    for (int i = 0; i < brokers.size(); i++) {
      InetSocketAddress broker = brokers.get(i).backend();
      entries.add(
          (brokers.size() == 1 ? "edge" : "edge-" + (i + 1))
              + "="
              + broker.getHostString()
              + ":"
              + broker.getPort());
    }
    return String.join(",", entries);
  }

  /**
   * How the bridge logs in to the brokers: over TLS with the back end's certificate of the stack's
   * CA ({@code mqtt.tls.*}), or, on plain brokers, with its user name and password and TLS off.
   */
  static Map<String, String> bridgeMqttLogin(StackServers.MqttAt mqtt) {
    Map<String, String> env = new LinkedHashMap<>();
    if (mqtt.secure()) {
      DevicePki pki = DevicePki.open(mqtt.pkiDir().orElseThrow());
      StackPki.Identity identity = StackPki.backend(pki);
      env.put("IOT_BRIDGE_MQTT_TLS_ENABLED", "true");
      env.put("IOT_BRIDGE_MQTT_TLS_CA_FILE", pki.caCertificate().toString());
      env.put("IOT_BRIDGE_MQTT_TLS_CERTIFICATE_FILE", identity.certificateFile().toString());
      env.put("IOT_BRIDGE_MQTT_TLS_KEY_FILE", identity.keyFile().toString());
      // No password: a user name and password set in the caller's environment would be sent too.
      env.put("IOT_BRIDGE_MQTT_USERNAME", "");
      env.put("IOT_BRIDGE_MQTT_PASSWORD", "");
    } else {
      env.put("IOT_BRIDGE_MQTT_TLS_ENABLED", "false");
      env.put("IOT_BRIDGE_MQTT_USERNAME", mqtt.username());
      env.put("IOT_BRIDGE_MQTT_PASSWORD", mqtt.password());
    }
    return env;
  }

  /** A Kafka Connect worker in distributed mode, as Strimzi runs it, with the sink on its path. */
  public void startConnect(int restPort, String kafkaBootstrap) throws IOException {
    String group = options.appIds().connectGroupId();
    Properties worker = new Properties();
    worker.putAll(
        WorkerProperties.distributed(kafkaBootstrap, group, url("connect", restPort))
            .with("offset.flush.interval.ms", "5000")
            .toMap());
    // The worker's own clients, and those it makes for the connectors' tasks (consumer.) and their
    // dead-letter producer (producer.), all log in as the connect principal.
    Map<String, String> login = security.clientSettings(Principals.CONNECT.name());
    for (String prefix : List.of("", "producer.", "consumer.", "admin.")) {
      login.forEach((key, value) -> worker.put(prefix + key, value));
    }
    Path file = dir.data("connect").resolve("worker.properties");
    Files.createDirectories(file.getParent());
    try (Writer out = Files.newBufferedWriter(file)) {
      worker.store(out, "the local stack's Connect worker");
    }
    // The Prometheus JMX exporter with the rules Strimzi's worker gets (connect-metrics.yaml).
    String host = options.placement("connect").host();
    int metricsPort = Ports.free();
    String agent =
        JmxExporter.CONNECT.agentOption(
            repoRoot, dir.data("connect").resolve("jmx-exporter.yml"), host, metricsPort);
    start(
        "connect",
        Launch.java("org.apache.kafka.connect.cli.ConnectDistributed").jvmOptions(List.of(agent)),
        Map.of(),
        List.of(file.toString()),
        "connector:" + url("connect", restPort) + "/connectors/" + CONNECTOR + "/status",
        Map.of(
            "restPort",
            Integer.toString(restPort),
            EndpointsFile.METRICS_URL,
            JmxExporter.url(host, metricsPort)));
  }

  /**
   * Creates (or updates) the sink once the worker's REST API answers: {@code PUT
   * /connectors/scylla-sink/config}, as Strimzi's operator does. The sink creates its keyspace and
   * tables.
   */
  public void createSinkConnector(int restPort, StackServers servers, Duration timeout)
      throws IOException, InterruptedException {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("connector.class", ScyllaSinkConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("topics", Topics.SHADOW_STATE.name() + "," + Topics.DEVICE_EVENTS.name());
    config.put(ScyllaSinkConfig.CONTACT_POINTS, servers.cqlContactPoint());
    config.put(ScyllaSinkConfig.LOCAL_DATACENTER, servers.cqlDatacenter());
    config.put(ScyllaSinkConfig.KEYSPACE, keyspace());
    config.put(ScyllaSinkConfig.SCHEMA_CREATE, "true");
    config.put(
        ScyllaSinkConfig.SCHEMA_REPLICATION,
        "{'class': 'SimpleStrategy', 'replication_factor': 1}");
    config.put(ScyllaSinkConfig.REGISTRY_URL, servers.registryConfluentUrl());
    config.put(CommonSettings.SCHEMA_REGISTRY_AUTO_REGISTER_CONFIG, "false");
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", Topics.DEAD_LETTER.name());
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    config.put("errors.deadletterqueue.context.headers.enable", "true");
    config.put("errors.log.enable", "true");
    config.put("consumer.override.max.poll.records", "2000");
    URI base = URI.create(url("connect", restPort) + "/");
    long deadline = System.nanoTime() + timeout.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      Map<String, String> record = dir.parts().get("connect");
      if (!ProcessTree.alive(Long.parseLong(record.get("pid")))) {
        throw new IllegalStateException(
            "Kafka Connect exited while starting; its log: " + record.get("logFile"));
      }
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(base.resolve("connectors/" + CONNECTOR + "/config"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 == 2) {
          return;
        }
        // 404/409/5xx while the worker joins its group and reads its config topic.
        last = new IOException("HTTP " + response.statusCode() + ": " + response.body());
      } catch (IOException e) {
        last = e;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "the sink connector could not be created within " + timeout.toSeconds() + " s", last);
  }

  /** Starts a part in the background, detached from the terminal, and records it. */
  private void start(
      String part,
      Launch launch,
      Map<String, String> env,
      List<String> arguments,
      String health,
      Map<String, String> extra)
      throws IOException {
    Path log = dir.log(part);
    Map<String, String> variables =
        new LinkedHashMap<>(options.environment().getOrDefault(part, Map.of()));
    // The stack's own settings (addresses, ports, ids) win.
    variables.putAll(env);
    Launched process =
        options
            .placement(part)
            .apply(launch)
            .jvmOptions(JVM_OPTIONS)
            .quickStart(options.quickStart())
            .env(variables)
            .args(arguments)
            .logFile(log)
            .workDir(dir.data(part))
            .detached()
            .start();
    Map<String, String> record = new LinkedHashMap<>(extra);
    record.put("pid", Long.toString(process.pid()));
    record.put("logFile", log.toString());
    // Deleted by down: a Streams state directory left from an earlier stack holds offsets and a
    // process identity of a Kafka cluster that is gone.
    record.put("dataDir", dir.data(part).toString());
    record.put("health", health);
    record.put("program", launch.program());
    dir.save(part, record);
  }
}
