package org.iotbackbone.servers.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.iotbackbone.servers.ServerStartException;
import org.iotbackbone.servers.launch.Launched;
import org.iotbackbone.servers.launch.ProcessTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process of one server: started until a ready line appears in its log, stopped with a
 * deadline, killed, paused; or, for a server that another process started, the handle of that
 * process, which is only watched and signalled.
 */
public final class ServerProcess {

  private static final Logger LOG = LoggerFactory.getLogger(ServerProcess.class);
  private static final Duration POLL = Duration.ofMillis(50);

  private final String name;
  private final Path logFile;

  /** The running server this object is a view of, or null when this object starts it. */
  private final ProcessHandle startedElsewhere;

  private Launched process;

  /** The process of a server that this object starts. */
  public ServerProcess(String name, Path logFile) {
    this(name, logFile, null);
  }

  private ServerProcess(String name, Path logFile, ProcessHandle startedElsewhere) {
    this.name = name;
    this.logFile = logFile;
    this.startedElsewhere = startedElsewhere;
  }

  /** The process of a running server that another process started. */
  public static ServerProcess startedElsewhere(String name, Path logFile, long pid) {
    ProcessHandle handle =
        ProcessHandle.of(pid)
            .orElseThrow(
                () -> new ServerStartException(name + " (pid " + pid + ") is not running"));
    return new ServerProcess(name, logFile, handle);
  }

  public boolean isStartedElsewhere() {
    return startedElsewhere != null;
  }

  /**
   * Starts the process of {@code spec}, its output appended to the log, and returns when its ready
   * line appeared and {@code isReady} said yes; kills it and throws when it does not get there
   * within {@code timeout}.
   *
   * @param detached whether it outlives this JVM (see {@link
   *     org.iotbackbone.servers.launch.Launch#detached()})
   */
  public void start(ProcessSpec spec, boolean detached, Duration timeout, BooleanSupplier isReady)
      throws IOException {
    if (startedElsewhere != null) {
      throw new IllegalStateException(name + " was started by another process");
    }
    long started = System.nanoTime();
    long logOffset = logSize();
    var launch = spec.launch().logFile(logFile);
    if (detached) {
      launch.detached();
    }
    process = launch.start();
    awaitReady(spec, logOffset, started + timeout.toNanos(), timeout, isReady);
  }

  private void awaitReady(
      ProcessSpec spec, long logOffset, long deadline, Duration timeout, BooleanSupplier isReady) {
    boolean lineSeen = false;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new ServerStartException(
            name + " exited with code " + process.exitValue() + " while starting" + logTail());
      }
      if (!lineSeen) {
        lineSeen = spec.readyLine().matcher(readLog(logOffset)).find();
      }
      if (lineSeen && isReady.getAsBoolean()) {
        return;
      }
      sleep(POLL);
    }
    throw new ServerStartException(
        name
            + " was not ready within "
            + timeout.toSeconds()
            + " s (waiting for /"
            + spec.readyLine()
            + "/)"
            + logTail());
  }

  /**
   * Ends the process: {@code SIGTERM} and up to {@code grace} for it to exit, then {@code SIGKILL}.
   * A zero grace kills at once. Does nothing when this object did not start it or it is stopped.
   */
  public void destroy(Duration grace) {
    if (process == null) {
      return;
    }
    Launched ending = process;
    process = null;
    try {
      if (ProcessTree.stop(ending.handle(), grace) && !grace.isZero()) {
        LOG.warn("{} did not stop within {} s; killed it", name, grace.toSeconds());
      }
      if (!ending.waitFor(Duration.ofSeconds(10))) {
        throw new IllegalStateException(new TimeoutException(name + " survived SIGKILL"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ending.kill();
    }
  }

  /** Sends a signal to the server process and its descendants. */
  public void signal(String signal) {
    ProcessHandle handle =
        startedElsewhere != null ? startedElsewhere : process == null ? null : process.handle();
    if (handle == null || !handle.isAlive()) {
      throw new IllegalStateException(name + " is not running");
    }
    ProcessTree.signal(handle, signal);
  }

  public boolean isRunning() {
    if (startedElsewhere != null) {
      return startedElsewhere.isAlive();
    }
    return process != null && process.isAlive();
  }

  /** The process id, or -1 when it is not running. */
  public long pid() {
    if (!isRunning()) {
      return -1;
    }
    return startedElsewhere != null ? startedElsewhere.pid() : process.pid();
  }

  /** The process id of a server another process started. */
  public long pidStartedElsewhere() {
    return startedElsewhere.pid();
  }

  /** The last lines of the log, for error messages. */
  public String logTail() {
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

  /** Sleeps; an interrupt ends a start. */
  public static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerStartException("interrupted", e);
    }
  }
}
