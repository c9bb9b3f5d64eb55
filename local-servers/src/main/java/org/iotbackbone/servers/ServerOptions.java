package org.iotbackbone.servers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Options common to every {@link LocalServer}. Immutable; built with {@link #builder()}.
 *
 * @param logDir where the server's log is written; empty for the server's data directory. A test
 *     run sets it (system property {@value #LOG_DIR_PROPERTY}) so that logs survive {@link
 *     LocalServer#close()} and can be read after a failure.
 * @param startTimeout how long {@link LocalServer#start()} waits for the server to be ready
 * @param stopTimeout how long a graceful stop may take before the process is killed
 * @param owner the process whose end ends the server (and deletes its data), even when it ends by
 *     {@code kill -9}: by default this JVM, as tests need; another process for a server that
 *     outlives the JVM that started it (one shared by a whole build), none for a local stack that
 *     outlives its command line
 * @param quickStart whether the server JVM trades peak speed for a quicker start (the C1 compiler
 *     only, the serial collector): starting is most of what a test server does; a benchmark turns
 *     it off
 * @param host the address the server listens on and tells its clients: {@value #LOOPBACK} by
 *     default; a host of a {@code NetLab} for a server in a network namespace
 * @param namespace the network namespace the server runs in ({@code ip netns exec}); empty for this
 *     machine's own network
 * @param jvmOptions added to the options of a server that runs in a JVM of its own (Kafka, the
 *     registry, Cassandra, HiveMQ), after its own: a java agent such as the Prometheus JMX
 *     exporter; Mosquitto, not a JVM, fails to start with any
 */
public record ServerOptions(
    Optional<Path> logDir,
    Duration startTimeout,
    Duration stopTimeout,
    Optional<ProcessHandle> owner,
    boolean quickStart,
    String host,
    Optional<String> namespace,
    List<String> jvmOptions) {

  /** Where servers listen unless told otherwise. */
  public static final String LOOPBACK = "127.0.0.1";

  /** The system property that sets {@link #logDir()} for every server of a JVM. */
  public static final String LOG_DIR_PROPERTY = "iotbackbone.servers.logDir";

  public ServerOptions {
    Objects.requireNonNull(logDir, "logDir");
    Objects.requireNonNull(startTimeout, "startTimeout");
    Objects.requireNonNull(stopTimeout, "stopTimeout");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(namespace, "namespace");
    jvmOptions = List.copyOf(jvmOptions);
  }

  /**
   * The defaults: logs beside the data (or in {@value #LOG_DIR_PROPERTY}), owned by this JVM, quick
   * start, and three minutes to start: the registry and Cassandra start in 10-20 s on an idle
   * 2-core machine, but took up to 150 s on one shared with other builds.
   */
  public static ServerOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether the server ends with its {@link #owner()}; false for a server left running. */
  public boolean exitWithParent() {
    return owner.isPresent();
  }

  /** Whether the server belongs to this JVM: this JVM closes it when it exits. */
  public boolean ownedByThisJvm() {
    return owner.map(ProcessHandle.current()::equals).orElse(false);
  }

  /** Builds {@link ServerOptions}. */
  public static final class Builder {
    private Path logDir =
        Optional.ofNullable(System.getProperty(LOG_DIR_PROPERTY)).map(Path::of).orElse(null);
    private Duration startTimeout = Duration.ofSeconds(180);
    private Duration stopTimeout = Duration.ofSeconds(20);
    private ProcessHandle owner = ProcessHandle.current();
    private boolean quickStart = true;
    private String host = LOOPBACK;
    private String namespace;
    private List<String> jvmOptions = List.of();

    private Builder() {}

    public Builder logDir(Path logDir) {
      this.logDir = logDir;
      return this;
    }

    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = startTimeout;
      return this;
    }

    public Builder stopTimeout(Duration stopTimeout) {
      this.stopTimeout = stopTimeout;
      return this;
    }

    /** True: the server ends with this JVM (the default); false: it is left running. */
    public Builder exitWithParent(boolean exitWithParent) {
      this.owner = exitWithParent ? ProcessHandle.current() : null;
      return this;
    }

    /** The server ends when this process ends. */
    public Builder owner(ProcessHandle owner) {
      this.owner = Objects.requireNonNull(owner, "owner");
      return this;
    }

    public Builder quickStart(boolean quickStart) {
      this.quickStart = quickStart;
      return this;
    }

    /** The address to listen on; see {@link ServerOptions#host()}. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The network namespace to run in; see {@link ServerOptions#namespace()}. */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** Options for the server's JVM; see {@link ServerOptions#jvmOptions()}. */
    public Builder jvmOptions(List<String> jvmOptions) {
      this.jvmOptions = List.copyOf(jvmOptions);
      return this;
    }

    public ServerOptions build() {
      return new ServerOptions(
          Optional.ofNullable(logDir),
          startTimeout,
          stopTimeout,
          Optional.ofNullable(owner),
          quickStart,
          host,
          Optional.ofNullable(namespace),
          jvmOptions);
    }
  }
}
