package org.iotbackbone.servers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.iotbackbone.servers.internal.CassandraConfig;
import org.iotbackbone.servers.internal.CassandraJvm;
import org.iotbackbone.servers.internal.ProcessSpec;
import org.iotbackbone.servers.internal.Runtimes;
import org.iotbackbone.servers.launch.Launch;

/**
 * A CQL server for tests of code written for ScyllaDB: one Apache Cassandra 5.0 node on 127.0.0.1,
 * in a JVM of its own. ScyllaDB cannot be installed on the build machines; Cassandra speaks the
 * same protocol (v5), and the ScyllaDB driver works against it.
 *
 * <p>The node owns the whole ring (one token): keyspaces should use replication factor 1 ({@code
 * SimpleStrategy}, or {@code NetworkTopologyStrategy} with {@code 'datacenter1': 1}), as requests
 * at {@code QUORUM} fail with more. Authentication is off. The ports are chosen when the server is
 * constructed and kept across {@link #stop()} and {@link #start()}, so a restarted server is found
 * at the same {@link #contactPoint()} with its data. Writes acknowledged before {@link #kill()}
 * survive it too: they are in the memory-mapped commit log, which the operating system keeps
 * (nothing is fsynced, so a crash of the machine would lose them).
 *
 * <pre>{@code
 * try (CqlServer cassandra = new CqlServer()) {
 *   cassandra.start();
 *   try (CqlSession session = CqlSession.builder()
 *       .addContactPoint(cassandra.contactPoint())
 *       .withLocalDatacenter(cassandra.localDatacenter())
 *       .build()) {
 *     session.execute("SELECT release_version FROM system.local");
 *   }
 * }
 * }</pre>
 *
 * <p>Starting costs about 45 s of CPU time; the process holds about 450-500 MB.
 */
public final class CqlServer extends ProcessBackedServer {

  private final int nativePort;
  private final int storagePort;

  /**
   * A server with the {@linkplain ServerOptions#defaults() default options}, except for longer
   * timeouts: up to 5 minutes to start and 1 minute to stop. Cassandra needs 40-60 s of CPU to
   * start, which has taken up to four minutes on a build machine whose two cores were shared with
   * other builds, and it flushes every table when it stops. Not started.
   */
  public CqlServer() {
    this(defaultOptions().build());
  }

  /** The options of {@link #CqlServer()}, to change some of them. */
  public static ServerOptions.Builder defaultOptions() {
    return ServerOptions.builder()
        .startTimeout(Duration.ofMinutes(5))
        .stopTimeout(Duration.ofMinutes(1));
  }

  /** A server with the given options; not started. */
  public CqlServer(ServerOptions options) {
    super("cassandra", options);
    this.nativePort = Ports.free();
    this.storagePort = Ports.free();
  }

  private CqlServer(Map<String, String> description) {
    super("cassandra", description);
    this.nativePort = Integer.parseInt(required(description, "nativePort"));
    this.storagePort = Integer.parseInt(required(description, "storagePort"));
  }

  /**
   * A view of a running server that another process started, from its {@link #description()}: it
   * can be used, not stopped.
   */
  public static CqlServer attach(Map<String, String> description) {
    return new CqlServer(description);
  }

  /** The address of the CQL port, for {@code CqlSession.builder().addContactPoint(..)}. */
  public InetSocketAddress contactPoint() {
    return new InetSocketAddress(host(), nativePort);
  }

  /** The address of the CQL port as {@code HOST:port}, for configuration files. */
  public String contactPointString() {
    return host() + ":" + nativePort;
  }

  /** The node's data center, which the driver's load-balancing policy needs as local. */
  public String localDatacenter() {
    return CassandraConfig.DATACENTER;
  }

  @Override
  void describe(Map<String, String> description) {
    description.put("nativePort", Integer.toString(nativePort));
    description.put("storagePort", Integer.toString(storagePort));
  }

  @Override
  ProcessSpec prepare() throws IOException {
    CassandraConfig config = new CassandraConfig(dataDir(), nativePort, storagePort, host());
    config.write();
    Launch launch =
        java(CassandraJvm.MAIN_CLASS)
            .jvmOptions(CassandraJvm.options(config))
            .classPathOf(Runtimes.classpath("cassandra"))
            .workDir(dataDir());
    // Logged just before the port is bound; isReady() waits for the bind.
    Pattern readyLine =
        Pattern.compile("Starting listening for CQL clients on \\S*:" + nativePort + "\\b");
    return new ProcessSpec(launch, readyLine);
  }

  @Override
  boolean isReady() {
    try (Socket socket = new Socket()) {
      socket.connect(contactPoint(), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
