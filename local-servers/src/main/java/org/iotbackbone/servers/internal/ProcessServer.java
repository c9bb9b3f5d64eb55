package org.iotbackbone.servers.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.iotbackbone.servers.LocalServer;
import org.iotbackbone.servers.ServerOptions;
import org.iotbackbone.servers.ServerStartException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of a server that runs as a child process: start and wait for a ready line in its
 * log, graceful stop with a deadline, kill, close and delete. Subclasses say how to start the
 * process ({@link #prepare()}) and, if a log line is not enough, how to tell it is ready ({@link
 * #isReady()}).
 *
 * <p>A server may also be a <em>view</em> of one that another process started and described ({@link
 * #description()}): it can be used, not stopped, and {@link #close()} leaves it running.
 */
public abstract class ProcessServer implements LocalServer {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessServer.class);
  private static final Duration POLL = Duration.ofMillis(50);

  private final String name;
  private final ServerOptions options;
  private final Path dataDir;
  private final Path logFile;

  /** The running server this object is a view of, or null when this object starts it. */
  private final ProcessHandle startedElsewhere;

  private Process process;
  private boolean closed;

  protected ProcessServer(String name, ServerOptions options) {
    this.name = name;
    this.options = options;
    this.startedElsewhere = null;
    this.dataDir = DataDirs.create(name);
    Path logDir = options.logDir().orElse(dataDir);
    this.logFile = logDir.resolve(name + "-" + dataDir.getFileName() + ".log");
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the log directory " + logDir, e);
    }
  }

  /**
   * A view of the running server that {@code description} describes (see {@link #description()}).
   */
  protected ProcessServer(String name, Map<String, String> description) {
    if (!name.equals(description.get("name"))) {
      throw new IllegalArgumentException(
          "not the description of a " + name + " server: " + description);
    }
    this.name = name;
    this.options = ServerOptions.defaults();
    this.dataDir = Path.of(required(description, "dataDir"));
    this.logFile = Path.of(required(description, "logFile"));
    long pid = Long.parseLong(required(description, "pid"));
    this.startedElsewhere =
        ProcessHandle.of(pid)
            .orElseThrow(
                () -> new ServerStartException(name + " (pid " + pid + ") is not running"));
  }

  /** A value of a description, which must be there. */
  protected static String required(Map<String, String> description, String key) {
    String value = description.get(key);
    if (value == null) {
      throw new IllegalArgumentException("no '" + key + "' in " + description);
    }
    return value;
  }

  /**
   * What another process needs to use this running server (see {@link #ProcessServer(String,Map)}):
   * its name, process id, data directory and log, and what {@link #describe(Map)} adds (ports,
   * ids). A shared server of a build or a local stack is found through it.
   */
  public final synchronized Map<String, String> description() {
    if (!isRunning()) {
      throw new IllegalStateException(name + " is not running");
    }
    Map<String, String> description = new LinkedHashMap<>();
    description.put("name", name);
    description.put("pid", Long.toString(pid()));
    description.put("dataDir", dataDir.toString());
    description.put("logFile", logFile.toString());
    describe(description);
    return description;
  }

  /** Adds what a view of this server needs to {@link #description()}. */
  protected abstract void describe(Map<String, String> description);

  /** The command line of a server JVM, with the owner and quick-start options applied. */
  protected final JavaCommand javaCommand() {
    return new JavaCommand().ownedBy(options.owner(), dataDir).quickStart(options.quickStart());
  }

  /**
   * Writes what the server needs in {@link #dataDir()} and says how to start it. Called before
   * every start; a restart must find the data of the previous run.
   */
  protected abstract ProcessSpec prepare() throws IOException;

  /** Asked after the ready line appeared, until it answers true or the start times out. */
  protected boolean isReady() {
    return true;
  }

  /** Runs once the server is ready, before {@link #start()} returns. */
  protected void afterReady() {}

  @Override
  public final String name() {
    return name;
  }

  protected final ServerOptions options() {
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
    if (startedElsewhere != null) {
      throw new ServerStartException(
          name
              + " (pid "
              + startedElsewhere.pid()
              + ") was started by another process and has ended"
              + logTail());
    }
    long started = System.nanoTime();
    long logOffset = logSize();
    try {
      ProcessSpec spec = prepare();
      ProcessBuilder builder =
          new ProcessBuilder(detachedIfLeftRunning(spec.command()))
              .directory(spec.workDir().toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      builder.environment().putAll(spec.environment());
      process = builder.start();
      if (options.ownedByThisJvm()) {
        ShutdownHook.register(this);
      }
      awaitReady(spec, logOffset, started);
      afterReady();
    } catch (IOException | RuntimeException e) {
      destroy(Duration.ZERO);
      if (e instanceof ServerStartException startException) {
        throw startException;
      }
      throw new ServerStartException(name + " did not start: " + e + logTail(), e);
    }
    LOG.info(
        "{} ready in {} ms (pid {}, log {})",
        name,
        Duration.ofNanos(System.nanoTime() - started).toMillis(),
        pid(),
        logFile);
  }

  /** A server left running (no owner: a local stack) is detached from the terminal. */
  private List<String> detachedIfLeftRunning(List<String> command) {
    return options.exitWithParent() ? command : Sessions.detached(command);
  }

  private void awaitReady(ProcessSpec spec, long logOffset, long started) throws IOException {
    long deadline = started + options.startTimeout().toNanos();
    boolean lineSeen = false;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new ServerStartException(
            name + " exited with code " + process.exitValue() + " while starting" + logTail());
      }
      if (!lineSeen) {
        lineSeen = spec.readyLine().matcher(readLog(logOffset)).find();
      }
      if (lineSeen && isReady()) {
        return;
      }
      sleep(POLL);
    }
    throw new ServerStartException(
        name
            + " was not ready within "
            + options.startTimeout().toSeconds()
            + " s (waiting for /"
            + spec.readyLine()
            + "/)"
            + logTail());
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
    signal("STOP");
  }

  @Override
  public synchronized void resume() {
    signal("CONT");
  }

  /**
   * Sends a signal to the server process and its descendants through {@code kill}: the JDK can send
   * only TERM and KILL ({@link ProcessHandle#destroy()}).
   */
  private void signal(String signal) {
    ProcessHandle handle =
        startedElsewhere != null ? startedElsewhere : process == null ? null : process.toHandle();
    if (handle == null || !handle.isAlive()) {
      throw new IllegalStateException(name + " is not running");
    }
    List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
    command.add(Long.toString(handle.pid()));
    handle.descendants().forEach(child -> command.add(Long.toString(child.pid())));
    try {
      Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("cannot send SIG" + signal + " to " + name + ": " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run kill -" + signal, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending SIG" + signal + " to " + name, e);
    }
  }

  private void refuseIfStartedElsewhere(String action) {
    if (startedElsewhere != null) {
      throw new UnsupportedOperationException(
          "cannot "
              + action
              + " "
              + name
              + " (pid "
              + startedElsewhere.pid()
              + "): another process started it and others use it; start a server of your own"
              + " to "
              + action);
    }
  }

  /**
   * Ends the process: {@code SIGTERM} and up to {@code grace} for it to exit, then {@code SIGKILL}.
   * A zero grace kills at once.
   */
  private void destroy(Duration grace) {
    if (process == null) {
      return;
    }
    Process ending = process;
    process = null;
    List<ProcessHandle> descendants = ending.descendants().toList();
    try {
      if (!grace.isZero()) {
        ending.destroy();
        if (ending.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
        LOG.warn("{} did not stop within {} s; killing it", name, grace.toSeconds());
      }
      ending.destroyForcibly();
      descendants.forEach(ProcessHandle::destroyForcibly);
      if (!ending.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException(new TimeoutException(name + " survived SIGKILL"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ending.destroyForcibly();
    } finally {
      ShutdownHook.deregister(this);
    }
  }

  @Override
  public synchronized boolean isRunning() {
    if (startedElsewhere != null) {
      return startedElsewhere.isAlive();
    }
    return process != null && process.isAlive();
  }

  @Override
  public synchronized long pid() {
    if (!isRunning()) {
      return -1;
    }
    return startedElsewhere != null ? startedElsewhere.pid() : process.pid();
  }

  /** Stops the server and deletes its data; a view of a server started elsewhere leaves it be. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (startedElsewhere != null) {
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
  protected final String logTail() {
    String log = readLog(0);
    List<String> lines = log.lines().toList();
    List<String> tail = lines.subList(Math.max(0, lines.size() - 40), lines.size());
    return "\n--- last lines of " + logFile + " ---\n" + String.join("\n", tail);
  }

  private long logSize() {
    try {
      return Files.exists(logFile) ? Files.size(logFile) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * The log from an offset on. Only that part is read: the log keeps every earlier run of the
   * server, and the ready line is looked for every {@link #POLL}.
   */
  private String readLog(long fromOffset) {
    if (!Files.exists(logFile)) {
      return "";
    }
    try (SeekableByteChannel channel = Files.newByteChannel(logFile)) {
      long from = Math.min(fromOffset, channel.size());
      ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(channel.size() - from));
      channel.position(from);
      while (bytes.hasRemaining() && channel.read(bytes) >= 0) {
        // read until the buffer is full or the file ends
      }
      return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  protected static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerStartException("interrupted", e);
    }
  }
}
