package org.iotbackbone.servers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.iotbackbone.servers.internal.HiveMqConfig;
import org.iotbackbone.servers.internal.ProcessSpec;
import org.iotbackbone.servers.internal.Runtimes;
import org.iotbackbone.servers.launch.Launch;

/**
 * HiveMQ Community Edition on 127.0.0.1, embedded in a JVM of its own (runtime module {@code
 * local-servers/runtimes/hivemq}); nothing needs to be installed.
 *
 * <p>Its state is in files in {@link #dataDir()} (HiveMQ's file persistence): sessions, queued and
 * retained messages survive {@link #stop()} and {@link #kill()}, as HiveMQ writes each change when
 * it is made (see {@link #unsavedWindow()}). HiveMQ CE has no ACL of its own; the runtime brings an
 * embedded extension that applies {@link MqttBrokerOptions} as Mosquitto applies its ACL file (see
 * {@link MqttBroker} for where they differ).
 */
public final class HiveMqBroker extends ProcessBackedServer implements MqttBroker {

  /** The main class in the runtime module; named, not referenced: it is not on this classpath. */
  static final String MAIN_CLASS = "org.iotbackbone.servers.runtime.hivemq.HiveMqMain";

  /** HiveMqMain prints it once HiveMQ's start has completed, listeners open. */
  private static final Pattern READY = Pattern.compile("HiveMqMain: HiveMQ CE is ready");

  /**
   * HiveMQ's own start script opens these for Netty's direct buffers and for its metrics; a bounded
   * heap keeps it from claiming a quarter of a shared machine's memory.
   */
  private static final List<String> JVM_ARGS =
      List.of(
          "-Xms64m",
          "-Xmx512m",
          "-Djava.net.preferIPv4Stack=true",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED",
          "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");

  /**
   * HiveMQ writes a change to its file persistence (RocksDB and Xodus) as it handles it, before the
   * acknowledgement, without fsync: a killed process loses nothing (the operating system holds the
   * writes; MqttBrokerIT kills it right after the last PUBACK and finds every message), a machine
   * that loses power may lose the last writes.
   */
  static final Duration UNSAVED_WINDOW = Duration.ZERO;

  private final MqttBrokerOptions brokerOptions;
  private final Map<MqttListener, Integer> ports;

  /** A HiveMQ broker, not started yet; its port is chosen now and kept across restarts. */
  public HiveMqBroker(MqttBrokerOptions brokerOptions, ServerOptions options) {
    super("hivemq", options);
    this.brokerOptions = Objects.requireNonNull(brokerOptions, "brokerOptions");
    this.ports = ListenerPorts.allocate(brokerOptions);
  }

  @Override
  public MqttBrokerKind kind() {
    return MqttBrokerKind.HIVEMQ;
  }

  @Override
  public MqttBrokerOptions brokerOptions() {
    return brokerOptions;
  }

  @Override
  public int port(MqttListener listener) {
    return ListenerPorts.of(ports, listener);
  }

  /** Nothing to do: the extension reads the CRL and the secrets again whenever they change. */
  @Override
  public void reloadIdentities() {}

  @Override
  public boolean keepsSessionsAcrossRestart() {
    return true;
  }

  @Override
  public Duration unsavedWindow() {
    return UNSAVED_WINDOW;
  }

  @Override
  void describe(Map<String, String> description) {
    ListenerPorts.describe(ports, description);
  }

  @Override
  ProcessSpec prepare() throws IOException {
    // HiveMqMain's layout: conf/ (config.xml), data/, extensions/ and the access rules.
    Path home = dataDir();
    Path conf = Files.createDirectories(home.resolve("conf"));
    Files.createDirectories(home.resolve("data"));
    Files.createDirectories(home.resolve("extensions"));
    HiveMqConfig.Stores stores =
        brokerOptions.tls().map(tls -> HiveMqConfig.writeStores(tls, conf)).orElse(null);
    write(conf.resolve("config.xml"), HiveMqConfig.configXml(ports, host(), brokerOptions, stores));
    write(home.resolve("access.properties"), HiveMqConfig.accessRules(brokerOptions));
    Launch launch =
        java(MAIN_CLASS)
            .jvmOptions(JVM_ARGS)
            .classPathOf(Runtimes.classpath("hivemq"))
            .arg(home.toString())
            .workDir(home);
    return new ProcessSpec(launch, READY);
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
