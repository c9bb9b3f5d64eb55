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
 * <p>{@link #withScram} makes a broker as a secured deployment runs one: its client listener takes
 * only SASL/SCRAM-SHA-512, the standard authorizer is on with one super user, and a client without
 * an ACL may do nothing. Its clients connect with {@link #clientSettings}.
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
  private final Scram scram;

  /**
   * The super user of a secured broker, whose SCRAM credentials are written when the storage is
   * formatted (a KRaft cluster has no other way to have its first user), and who also authenticates
   * the broker to its own controller (with SASL/PLAIN: the controller cannot look up SCRAM
   * credentials before it has read its metadata).
   */
  private record Scram(String superUser, String password) {
    Scram {
      if (!superUser.matches("[A-Za-z0-9_-]+") || !password.matches("[A-Za-z0-9_-]{12,}")) {
        // They go into JAAS lines and the storage tool's --add-scram argument unquoted.
        throw new IllegalArgumentException(
            "a SCRAM super user is [A-Za-z0-9_-]+ with a password of 12 or more such characters");
      }
    }
  }

  /** The SASL mechanism of a secured broker's client listener. */
  public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

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
    this(options, serverProperties, null);
  }

  private KafkaBroker(ServerOptions options, Map<String, String> serverProperties, Scram scram) {
    super("kafka", options);
    this.port = Ports.free();
    this.controllerPort = Ports.free();
    this.clusterId = clusterId();
    this.overrides = Map.copyOf(serverProperties);
    this.scram = scram;
  }

  /**
   * A broker whose clients authenticate with SCRAM-SHA-512 and are authorized by ACLs: {@code
   * superUser} may do anything; anyone else only what an ACL allows, and a client without SASL
   * cannot connect. Users and ACLs are created through the admin API as {@code superUser}.
   *
   * @param password the super user's, 12 or more of {@code [A-Za-z0-9_-]}
   */
  public static KafkaBroker withScram(ServerOptions options, String superUser, String password) {
    return new KafkaBroker(options, Map.of(), new Scram(superUser, password));
  }

  private KafkaBroker(Map<String, String> description) {
    super("kafka", description);
    this.port = Integer.parseInt(required(description, "port"));
    this.controllerPort = Integer.parseInt(required(description, "controllerPort"));
    this.clusterId = required(description, "clusterId");
    this.overrides = Map.of();
    this.scram =
        description.containsKey("superUser")
            ? new Scram(description.get("superUser"), required(description, "superUserPassword"))
            : null;
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

  /** Whether clients must authenticate ({@link #withScram}). */
  public boolean isSecured() {
    return scram != null;
  }

  /**
   * What a Kafka client of this broker sets besides {@code bootstrap.servers} to connect as that
   * user: nothing for a broker without security, else SASL_PLAINTEXT with SCRAM-SHA-512.
   */
  public Map<String, String> clientSettings(String user, String password) {
    return scram == null ? Map.of() : scramClientSettings(user, password);
  }

  /** What a client of a broker made by {@link #withScram} sets to connect as that user. */
  public static Map<String, String> scramClientSettings(String user, String password) {
    return Map.of(
        "security.protocol",
        "SASL_PLAINTEXT",
        "sasl.mechanism",
        SCRAM_MECHANISM,
        "sasl.jaas.config",
        jaas("org.apache.kafka.common.security.scram.ScramLoginModule", user, password, ""));
  }

  /** {@link #clientSettings} of the super user; nothing for a broker without security. */
  public Map<String, String> superUserSettings() {
    return scram == null ? Map.of() : clientSettings(scram.superUser(), scram.password());
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
    if (scram != null) {
      secure(props);
    }
    props.putAll(overrides);
    return props;
  }

  /**
   * The client and inter-broker listener on SCRAM, the controller listener on PLAIN for the super
   * user alone, and the standard authorizer denying what no ACL allows.
   */
  private void secure(Map<String, String> props) {
    String user = scram.superUser();
    String password = scram.password();
    props.put(
        "listeners",
        "SASL_PLAINTEXT://"
            + host()
            + ":"
            + port
            + ",CONTROLLER://"
            + host()
            + ":"
            + controllerPort);
    props.put("advertised.listeners", "SASL_PLAINTEXT://" + host() + ":" + port);
    props.put(
        "listener.security.protocol.map",
        "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
    props.put("inter.broker.listener.name", "SASL_PLAINTEXT");
    props.put("sasl.mechanism.inter.broker.protocol", SCRAM_MECHANISM);
    props.put("sasl.mechanism.controller.protocol", "PLAIN");
    props.put("listener.name.sasl_plaintext.sasl.enabled.mechanisms", SCRAM_MECHANISM);
    props.put(
        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
        jaas("org.apache.kafka.common.security.scram.ScramLoginModule", user, password, ""));
    props.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
    props.put(
        "listener.name.controller.plain.sasl.jaas.config",
        jaas(
            "org.apache.kafka.common.security.plain.PlainLoginModule",
            user,
            password,
            " user_" + user + "=\"" + password + "\""));
    props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    props.put("super.users", "User:" + user);
    props.put("allow.everyone.if.no.acl.found", "false");
  }

  private static String jaas(String module, String user, String password, String more) {
    return module
        + " required username=\""
        + user
        + "\" password=\""
        + password
        + "\""
        + more
        + ";";
  }

  @Override
  void describe(Map<String, String> description) {
    description.put("port", Integer.toString(port));
    description.put("controllerPort", Integer.toString(controllerPort));
    description.put("clusterId", clusterId);
    if (scram != null) {
      // The stack's record of its servers is the user's own, as is the super user's client file.
      description.put("superUser", scram.superUser());
      description.put("superUserPassword", scram.password());
    }
  }

  @Override
  ProcessSpec prepare() throws IOException {
    Path config = dataDir().resolve("server.properties");
    Properties properties = new Properties();
    properties.putAll(serverProperties());
    try (Writer out = Files.newBufferedWriter(config)) {
      properties.store(out, "written by local-servers KafkaBroker");
    }
    List<String> args = new java.util.ArrayList<>(List.of(config.toString(), clusterId));
    if (scram != null) {
      args.add("--add-scram");
      args.add(
          SCRAM_MECHANISM + "=[name=" + scram.superUser() + ",password=" + scram.password() + "]");
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
            .args(args)
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
