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
import org.iotbackbone.localstack.Platform;
import org.iotbackbone.schemas.topics.Topics;

/**
 * The platform's own parts as the local stack runs them: their settings (the same keys a deployment
 * sets, through the same environment variables), their processes and their records.
 */
public final class StackParts {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONNECTOR = "scylla-sink";

  private final StackDir dir;
  private final Platform.Options options;
  private final AppLauncher launcher;
  private final HttpClient http = HttpClient.newHttpClient();

  public StackParts(StackDir dir, Platform.Options options, AppLauncher launcher) {
    this.dir = dir;
    this.options = options;
    this.launcher = launcher;
  }

  /** The health check of a server's record: its port accepts connections. */
  public static String tcpCheck(Map<String, String> description) {
    // Cassandra's client port is its native (CQL) port; the others have one port.
    String port = description.getOrDefault("nativePort", description.getOrDefault("port", ""));
    return port.isEmpty() ? "" : "tcp:127.0.0.1:" + port;
  }

  /** The keyspace the sink writes. */
  public String keyspace() {
    return "iot_" + options.instance().replace('-', '_');
  }

  public void startStreamsApp(int httpPort, String kafkaBootstrap, String registryApicurioUrl)
      throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("IOT_STREAMS_BOOTSTRAP_SERVERS", kafkaBootstrap);
    env.put("IOT_STREAMS_SCHEMA_REGISTRY_URL", registryApicurioUrl);
    env.put("IOT_STREAMS_APPLICATION_ID", "iot-shadows-" + options.instance());
    env.put("IOT_STREAMS_STATE_DIR", dir.data("streams-app").resolve("state").toString());
    env.put("IOT_STREAMS_HTTP_HOST", "127.0.0.1");
    env.put("IOT_STREAMS_HTTP_PORT", Integer.toString(httpPort));
    env.put("IOT_STREAMS_TOPICS_PARTITIONS", Integer.toString(options.partitions()));
    env.put("IOT_STREAMS_TOPICS_REPLICATION_FACTOR", "1");
    start(
        "streams-app",
        "org.iotbackbone.streamsapp.StreamsApp",
        env,
        List.of(),
        "http:http://127.0.0.1:" + httpPort + "/health",
        Map.of("httpPort", Integer.toString(httpPort)));
  }

  /** The bridge on the MQTT broker (with its back-end credentials), Kafka and the registry. */
  public void startBridge(
      int httpPort,
      List<InetSocketAddress> mqttBrokers,
      String mqttUsername,
      String mqttPassword,
      String kafkaBootstrap,
      String registryApicurioUrl)
      throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("IOT_BRIDGE_BRIDGE_ID", "bridge-" + options.instance());
    // Broker ids are what the bridge writes into records and routes commands by: edge, or
    // edge-1, edge-2, ... when there are several.
    List<String> brokers = new ArrayList<>();
    for (int i = 0; i < mqttBrokers.size(); i++) {
      InetSocketAddress broker = mqttBrokers.get(i);
      brokers.add(
          (mqttBrokers.size() == 1 ? "edge" : "edge-" + (i + 1))
              + "="
              + broker.getHostString()
              + ":"
              + broker.getPort());
    }
    env.put("IOT_BRIDGE_MQTT_BROKERS", String.join(",", brokers));
    env.put("IOT_BRIDGE_MQTT_USERNAME", mqttUsername);
    env.put("IOT_BRIDGE_MQTT_PASSWORD", mqttPassword);
    env.put("IOT_BRIDGE_MQTT_SHARE_GROUP", "bridges-" + options.instance());
    env.put("IOT_BRIDGE_BOOTSTRAP_SERVERS", kafkaBootstrap);
    env.put("IOT_BRIDGE_DOWNLINK_GROUP_ID", "bridge-downlink-" + options.instance());
    env.put("IOT_BRIDGE_SCHEMA_REGISTRY_URL", registryApicurioUrl);
    env.put("IOT_BRIDGE_HTTP_PORT", Integer.toString(httpPort));
    start(
        "ingest-bridge",
        "org.iotbackbone.ingestbridge.IngestBridgeMain",
        env,
        List.of(),
        "http:http://127.0.0.1:" + httpPort + "/ready",
        Map.of("httpPort", Integer.toString(httpPort)));
  }

  /** A Kafka Connect worker in distributed mode, as Strimzi runs it, with the sink on its path. */
  public void startConnect(int restPort, String kafkaBootstrap) throws IOException {
    String group = "iot-connect-" + options.instance();
    Properties worker = new Properties();
    worker.put("bootstrap.servers", kafkaBootstrap);
    worker.put("group.id", group);
    worker.put("config.storage.topic", group + "-configs");
    worker.put("offset.storage.topic", group + "-offsets");
    worker.put("status.storage.topic", group + "-status");
    worker.put("config.storage.replication.factor", "1");
    worker.put("offset.storage.replication.factor", "1");
    worker.put("status.storage.replication.factor", "1");
    worker.put("offset.storage.partitions", "1");
    worker.put("status.storage.partitions", "1");
    worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    worker.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    worker.put("listeners", "http://127.0.0.1:" + restPort);
    // The sink is on the classpath; service loading finds it without scanning every jar.
    worker.put("plugin.discovery", "service_load");
    worker.put("offset.flush.interval.ms", "5000");
    Path file = dir.data("connect").resolve("worker.properties");
    Files.createDirectories(file.getParent());
    try (Writer out = Files.newBufferedWriter(file)) {
      worker.store(out, "the local stack's Connect worker");
    }
    start(
        "connect",
        "org.apache.kafka.connect.cli.ConnectDistributed",
        Map.of(),
        List.of(file.toString()),
        "connector:http://127.0.0.1:" + restPort + "/connectors/" + CONNECTOR + "/status",
        Map.of("restPort", Integer.toString(restPort)));
  }

  /**
   * Creates (or updates) the sink once the worker's REST API answers: {@code PUT
   * /connectors/scylla-sink/config}, as Strimzi's operator does. The sink creates its keyspace and
   * tables.
   */
  public void createSinkConnector(int restPort, Platform.Servers servers, Duration timeout)
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
    config.put(ScyllaSinkConfig.REGISTRY_URL, servers.registryApicurioUrl());
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", Topics.DEAD_LETTER.name());
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    config.put("errors.deadletterqueue.context.headers.enable", "true");
    config.put("errors.log.enable", "true");
    config.put("consumer.override.max.poll.records", "2000");
    URI base = URI.create("http://127.0.0.1:" + restPort + "/");
    long deadline = System.nanoTime() + timeout.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      Map<String, String> record = dir.parts().get("connect");
      if (!Processes.alive(Long.parseLong(record.get("pid")))) {
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

  private void start(
      String part,
      String mainClass,
      Map<String, String> env,
      List<String> arguments,
      String health,
      Map<String, String> extra)
      throws IOException {
    List<String> jvm = new ArrayList<>(List.of("-Xmx512m", "-XX:+UseSerialGC"));
    if (options.quickStart()) {
      jvm.add("-XX:TieredStopAtLevel=1");
    }
    Path log = dir.log(part);
    Process process = launcher.start(mainClass, jvm, env, arguments, log, dir.data(part));
    Map<String, String> record = new LinkedHashMap<>(extra);
    record.put("pid", Long.toString(process.pid()));
    record.put("logFile", log.toString());
    // Deleted by down: a Streams state directory left from an earlier stack holds offsets and a
    // process identity of a Kafka cluster that is gone.
    record.put("dataDir", dir.data(part).toString());
    record.put("health", health);
    record.put("mainClass", mainClass);
    dir.save(part, record);
  }
}
