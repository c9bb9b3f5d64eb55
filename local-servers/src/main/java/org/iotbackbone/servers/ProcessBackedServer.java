package org.iotbackbone.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.iotbackbone.servers.internal.ProcessSpec;
import org.iotbackbone.servers.internal.ServerProcess;
import org.iotbackbone.servers.internal.ShutdownHook;
import org.iotbackbone.servers.launch.Launch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of a server that runs as a child process ({@link LocalServer}): start and wait for
 * a ready line in its log, graceful stop with a deadline, kill, close and delete. Subclasses say
 * how to start the process ({@link #prepare()}) and, if a log line is not enough, how to tell it is
 * ready ({@link #isReady()}). The process itself is an internal {@link ServerProcess}.
 *
 * <p>A server may also be a <em>view</em> of one that another process started and described ({@link
 * #description()}): it can be used, not stopped, and {@link #close()} leaves it running.
 *
 * <p>Package-private: other modules see the servers through {@link LocalServer} and the public
 * server classes.
 */
abstract class ProcessBackedServer implements LocalServer {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessBackedServer.class);

  private final String name;
  private final ServerOptions options;
  private final Path dataDir;
  private final Path logFile;
  private final ServerProcess process;
  private final String host;
  private boolean closed;

  ProcessBackedServer(String name, ServerOptions options) {
    this.name = name;
    this.options = options;
    this.dataDir = DataDirs.create(name);
    Path logDir = options.logDir().orElse(dataDir);
    this.logFile = logDir.resolve(name + "-" + dataDir.getFileName() + ".log");
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the log directory " + logDir, e);
    }
    this.process = new ServerProcess(name, logFile);
    this.host = options.host();
  }

  /**
   * A view of the running server that {@code description} describes (see {@link #description()}).
   */
  ProcessBackedServer(String name, Map<String, String> description) {
    if (!name.equals(description.get("name"))) {
      throw new IllegalArgumentException(
          "not the description of a " + name + " server: " + description);
    }
    this.name = name;
    this.options = ServerOptions.defaults();
    this.dataDir = Path.of(required(description, "dataDir"));
    this.logFile = Path.of(required(description, "logFile"));
    long pid = Long.parseLong(required(description, "pid"));
    this.process = ServerProcess.startedElsewhere(name, logFile, pid);
    this.host = host(description);
  }

  /** The address a described server listens on ({@value ServerOptions#LOOPBACK} if not said). */
  static String host(Map<String, String> description) {
    return description.getOrDefault("host", ServerOptions.LOOPBACK);
  }

  /** A value of a description, which must be there. */
  static String required(Map<String, String> description, String key) {
    String value = description.get(key);
    if (value == null) {
      throw new IllegalArgumentException("no '" + key + "' in " + description);
    }
    return value;
  }

  @Override
  public final synchronized Map<String, String> description() {
    if (!isRunning()) {
      throw new IllegalStateException(name + " is not running");
    }
    Map<String, String> description = new LinkedHashMap<>();
    description.put("name", name);
    description.put("pid", Long.toString(pid()));
    description.put("dataDir", dataDir.toString());
    description.put("logFile", logFile.toString());
    description.put("host", host);
    describe(description);
    return description;
  }

  /** Adds what a view of this server needs to {@link #description()}. */
  abstract void describe(Map<String, String> description);

  /** A server JVM running {@code mainClass}, with the owner and quick-start options applied. */
  final Launch java(String mainClass) {
    return owned(Launch.java(mainClass)).quickStart(options.quickStart());
  }

  /** A launch that ends with the server's owner, if it has one. */
  final Launch owned(Launch launch) {
    options.owner().ifPresent(owner -> launch.ownedBy(owner, dataDir));
    return launch;
  }

  /**
   * Writes what the server needs in {@link #dataDir()} and says how to start it. Called before
   * every start; a restart must find the data of the previous run.
   */
  abstract ProcessSpec prepare() throws IOException;

  /** Asked after the ready line appeared, until it answers true or the start times out. */
  boolean isReady() {
    return true;
  }

  /**
   * The address the server listens on and tells its clients ({@link ServerOptions#host()}, or the
   * described one for a view).
   */
  public final String host() {
    return host;
  }

  @Override
  public final String name() {
    return name;
  }

  final ServerOptions options() {
    return options;
  }

  @Override
  public final Path dataDir() {
    return dataDir;
  }

  @Override
  public final Path logFile() {
    return logFile;
  }

  @Override
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException(name + " is closed");
    }
    if (isRunning()) {
      return;
    }
    if (process.isStartedElsewhere()) {
      throw new ServerStartException(
          name
              + " (pid "
              + process.pidStartedElsewhere()
              + ") was started by another process and has ended"
              + logTail());
    }
    long started = System.nanoTime();
    try {
      ProcessSpec spec = prepare();
      options.namespace().ifPresent(namespace -> spec.launch().inNamespace(namespace));
      if (!options.jvmOptions().isEmpty()) {
        spec.launch().jvmOptions(options.jvmOptions());
      }
      if (options.ownedByThisJvm()) {
        ShutdownHook.register(this);
      }
      // A server left running (no owner: a local stack) is detached from the terminal.
      process.start(spec, !options.exitWithParent(), options.startTimeout(), this::isReady);
    } catch (IOException | RuntimeException e) {
      destroy(Duration.ZERO);
      if (e instanceof ServerStartException startException) {
        throw startException;
      }
      throw new ServerStartException(name + " did not start: " + e + process.logTail(), e);
    }
    LOG.info(
        "{} ready in {} ms (pid {}, log {})",
        name,
        Duration.ofNanos(System.nanoTime() - started).toMillis(),
        pid(),
        logFile);
  }

  @Override
  public synchronized void stop() {
    refuseIfStartedElsewhere("stop");
    destroy(options.stopTimeout());
  }

  @Override
  public synchronized void kill() {
    refuseIfStartedElsewhere("kill");
    destroy(Duration.ZERO);
  }

  @Override
  public synchronized void pause() {
    process.signal("STOP");
  }

  @Override
  public synchronized void resume() {
    process.signal("CONT");
  }

  /** Sends a signal ({@code HUP}, ...) to the running server's process. */
  synchronized void signal(String name) {
    process.signal(name);
  }

  private void destroy(Duration grace) {
    try {
      process.destroy(grace);
    } finally {
      ShutdownHook.deregister(this);
    }
  }

  private void refuseIfStartedElsewhere(String action) {
    if (process.isStartedElsewhere()) {
      throw new UnsupportedOperationException(
          "cannot "
              + action
              + " "
              + name
              + " (pid "
              + process.pidStartedElsewhere()
              + "): another process started it and others use it; start a server of your own"
              + " to "
              + action);
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return process.isRunning();
  }

  @Override
  public synchronized long pid() {
    return process.pid();
  }

  /** Stops the server and deletes its data; a view of a server started elsewhere leaves it be. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (process.isStartedElsewhere()) {
      return;
    }
    try {
      stop();
    } finally {
      ShutdownHook.deregister(this);
      DataDirs.delete(dataDir);
    }
  }

  @Override
  public String toString() {
    return name + (isRunning() ? " (pid " + pid() + ")" : " (stopped)");
  }

  /** The last lines of the log, for error messages. */
  final String logTail() {
    return process.logTail();
  }
}
