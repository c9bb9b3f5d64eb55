package org.iotbackbone.servers;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.iotbackbone.servers.internal.ProcessSpec;
import org.iotbackbone.servers.internal.Runtimes;
import org.iotbackbone.servers.launch.Launch;

/**
 * A Kafka broker in KRaft mode (one combined broker and controller) on loopback, in a JVM of its
 * own.
 *
 * <p>Its settings are those a single-node cluster needs to behave like a real one: every internal
 * topic with replication factor 1, so that consumer groups, transactions ({@code exactly_once_v2})
 * and share groups work; no initial rebalance delay. Topics are not created automatically: they
 * come from the platform's one topic definition, as in production.
 *
 * <pre>{@code
 * try (KafkaBroker kafka = new KafkaBroker()) {
 *   kafka.start();
 *   props.put("bootstrap.servers", kafka.bootstrapServers());
 * }
 * }</pre>
 */
public final class KafkaBroker extends ProcessBackedServer {

  private static final Pattern READY = Pattern.compile("Kafka Server started");

  private final int port;
  private final int controllerPort;
  private final String clusterId;
  private final Map<String, String> overrides;

  /** A broker with the default options. */
  public KafkaBroker() {
    this(ServerOptions.defaults());
  }

  public KafkaBroker(ServerOptions options) {
    this(options, Map.of());
  }

  /**
   * A broker with server properties of its own, which win over the defaults (for example {@code
   * auto.create.topics.enable=true} or a shorter {@code log.retention.check.interval.ms}).
   */
  public KafkaBroker(ServerOptions options, Map<String, String> serverProperties) {
    super("kafka", options);
    this.port = Ports.free();
    this.controllerPort = Ports.free();
    this.clusterId = clusterId();
    this.overrides = Map.copyOf(serverProperties);
  }

  private KafkaBroker(Map<String, String> description) {
    super("kafka", description);
    this.port = Integer.parseInt(required(description, "port"));
    this.controllerPort = Integer.parseInt(required(description, "controllerPort"));
    this.clusterId = required(description, "clusterId");
    this.overrides = Map.of();
  }

  /**
   * A view of a running broker that another process started, from its {@link #description()}: it
   * can be used, not stopped. Its {@link #serverProperties()} are the defaults.
   */
  public static KafkaBroker attach(Map<String, String> description) {
    return new KafkaBroker(description);
  }

  /** The {@code bootstrap.servers} of this broker: {@code HOST:port}. */
  public String bootstrapServers() {
    return host() + ":" + port;
  }

  /** The port clients connect to. */
  public int port() {
    return port;
  }

  /** The KRaft cluster id, fixed for the life of this object. */
  public String clusterIdentifier() {
    return clusterId;
  }

  /** The server properties the broker runs with: the defaults with the overrides applied. */
  public Map<String, String> serverProperties() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@" + host() + ":" + controllerPort);
    props.put(
        "listeners",
        "PLAINTEXT://" + host() + ":" + port + ",CONTROLLER://" + host() + ":" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://" + host() + ":" + port);
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", dataDir().resolve("logs").toString());
    props.put("auto.create.topics.enable", "false");
    // One node: without these, consumer groups, transactions and share groups wait forever for
    // replicas that will never exist.
    props.put("offsets.topic.replication.factor", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    // Fewer partitions of the internal topics: each costs start-up time on a 2-core machine.
    props.put("offsets.topic.num.partitions", "10");
    props.put("transaction.state.log.num.partitions", "10");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("num.network.threads", "2");
    props.put("num.io.threads", "4");
    props.putAll(overrides);
    return props;
  }

  @Override
  void describe(Map<String, String> description) {
    description.put("port", Integer.toString(port));
    description.put("controllerPort", Integer.toString(controllerPort));
    description.put("clusterId", clusterId);
  }

  @Override
  ProcessSpec prepare() throws IOException {
    Path config = dataDir().resolve("server.properties");
    Properties properties = new Properties();
    properties.putAll(serverProperties());
    try (Writer out = Files.newBufferedWriter(config)) {
      properties.store(out, "written by local-servers KafkaBroker");
    }
    Launch launch =
        java("org.iotbackbone.servers.runtime.kafka.KafkaMain")
            .jvmOptions(
                List.of(
                    "-Xms256m",
                    "-Xmx1g",
                    "-Djava.awt.headless=true",
                    "-Dlog4j2.configurationFile=iot-kafka-log4j2.xml"))
            .classPathOf(Runtimes.classpath("kafka"))
            .args(List.of(config.toString(), clusterId))
            .workDir(dataDir());
    return new ProcessSpec(launch, READY);
  }

  /**
   * A KRaft cluster id: 16 random bytes in URL-safe base64, as {@code kafka-storage} makes, never
   * starting with '-': the storage tool would read such an id as an option and refuse to format
   * (Kafka's own {@code Uuid.randomUuid()} draws again for the same reason; seen here once in 64
   * starts, as expected).
   */
  private static String clusterId() {
    while (true) {
      UUID uuid = UUID.randomUUID();
      java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
      bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
      String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
      if (!id.startsWith("-")) {
        return id;
      }
    }
  }
}
