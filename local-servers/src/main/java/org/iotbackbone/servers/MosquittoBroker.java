package org.iotbackbone.servers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.iotbackbone.servers.internal.Executables;
import org.iotbackbone.servers.internal.MosquittoConfig;
import org.iotbackbone.servers.internal.ProcessSpec;
import org.iotbackbone.servers.launch.Launch;

/**
 * Eclipse Mosquitto (2.0 or later) on 127.0.0.1, started from the binary the system's package
 * installed ({@code apt-get install mosquitto}); {@link #start()} fails with a {@link
 * ServerStartException} naming the package when it is missing.
 *
 * <p>It saves its state in {@link #dataDir()}, so persistent sessions and their queued QoS 1/2
 * messages survive {@link #stop()} and {@link #start()} — those of clients that connected with
 * clean start off; Mosquitto 2.0 does not save a session begun with clean start. A {@link #kill()}
 * loses what changed since the last save: it saves every second, so at most the last {@link
 * #unsavedWindow()} (Mosquitto's default, every 30 minutes, lost up to half an hour). Its log,
 * {@link #logFile()}, has a line per connection. With {@link ServerOptions#exitWithParent()} a
 * small shell watcher stops it within a second or two of the JVM that started it dying, even of
 * {@code kill -9}.
 */
public final class MosquittoBroker extends ProcessBackedServer implements MqttBroker {

  /** The name of the Mosquitto binary, looked up on {@code PATH} and in the sbin directories. */
  public static final String EXECUTABLE = "mosquitto";

  /** The Debian/Ubuntu package that installs {@link #EXECUTABLE}. */
  public static final String PACKAGE = "mosquitto";

  /** Mosquitto writes it once every listener is open. */
  private static final Pattern READY = Pattern.compile("mosquitto version \\S+ running");

  private final MqttBrokerOptions brokerOptions;
  private final Map<MqttListener, Integer> ports;

  /** A Mosquitto broker, not started yet; its port is chosen now and kept across restarts. */
  public MosquittoBroker(MqttBrokerOptions brokerOptions, ServerOptions options) {
    super("mosquitto", options);
    this.brokerOptions = Objects.requireNonNull(brokerOptions, "brokerOptions");
    this.ports = ListenerPorts.allocate(brokerOptions);
  }

  /** Whether the Mosquitto binary is installed on this machine. */
  public static boolean isInstalled() {
    return Executables.find(EXECUTABLE).isPresent();
  }

  static String notInstalledMessage() {
    return "Mosquitto is not installed: no '"
        + EXECUTABLE
        + "' on PATH or in /usr/sbin. Install the package '"
        + PACKAGE
        + "' (Debian/Ubuntu: apt-get install -y "
        + PACKAGE
        + ")";
  }

  @Override
  public MqttBrokerKind kind() {
    return MqttBrokerKind.MOSQUITTO;
  }

  @Override
  public MqttBrokerOptions brokerOptions() {
    return brokerOptions;
  }

  @Override
  public int port(MqttListener listener) {
    return ListenerPorts.of(ports, listener);
  }

  @Override
  public synchronized void reloadIdentities() {
    if (brokerOptions.tls().isPresent() && isRunning()) {
      // Mosquitto re-reads the CRL and the password file of every listener on SIGHUP.
      signal("HUP");
    }
  }

  @Override
  public boolean keepsSessionsAcrossRestart() {
    return true;
  }

  @Override
  public Duration unsavedWindow() {
    return MosquittoConfig.UNSAVED_WINDOW;
  }

  @Override
  ProcessSpec prepare() throws IOException {
    Path binary =
        Executables.find(EXECUTABLE)
            .orElseThrow(() -> new ServerStartException(notInstalledMessage()));
    Path dir = dataDir();
    Path persistence = Files.createDirectories(dir.resolve("persistence"));
    MosquittoConfig.Files files =
        new MosquittoConfig.Files(
            persistence, dir.resolve("acl"), dir.resolve("passwords"), dir.resolve("backend-acl"));
    if (brokerOptions.tls().isPresent()) {
      write(files.aclFile(), MosquittoConfig.deviceAclFile());
      write(files.backendAclFile(), MosquittoConfig.backendAclFile(brokerOptions.tls().get()));
    } else if (brokerOptions.acl()) {
      write(files.aclFile(), MosquittoConfig.aclFile(brokerOptions));
      write(files.passwordFile(), MosquittoConfig.passwordFile(brokerOptions, new SecureRandom()));
    }
    Path conf = dir.resolve("mosquitto.conf");
    write(
        conf,
        MosquittoConfig.conf(ports, host(), brokerOptions, files, System.getProperty("user.name")));
    // Mosquitto cannot run under a JVM wrapper: a shell watcher ends it with its owner instead.
    Launch launch =
        owned(Launch.command(List.of(binary.toString(), "-c", conf.toString()))).workDir(dir);
    return new ProcessSpec(launch, READY);
  }

  @Override
  void describe(Map<String, String> description) {
    ListenerPorts.describe(ports, description);
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
