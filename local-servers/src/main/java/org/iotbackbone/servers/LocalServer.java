package org.iotbackbone.servers;

import java.nio.file.Path;

/**
 * A real server on loopback, in a process of its own, with its data in a temporary directory.
 *
 * <p>The lifecycle is the same for every server:
 *
 * <ul>
 *   <li>{@link #start()} returns when the server accepts clients, and is a no-op when it runs;
 *   <li>{@link #stop()} shuts it down gracefully and keeps its data and ports, so that a later
 *       {@link #start()} brings back the same server at the same address (tests of outages use
 *       this);
 *   <li>{@link #kill()} ends the process at once ({@code SIGKILL}), also keeping data and ports;
 *   <li>{@link #close()} stops it and deletes its data; it is idempotent and bounded in time.
 * </ul>
 *
 * <p>A JVM shutdown hook closes every server that is still running, so that a failed or interrupted
 * test run leaves no process behind. Server processes started for tests also end themselves when
 * the JVM that started them dies (see {@link ServerOptions#exitWithParent()}).
 */
public interface LocalServer extends AutoCloseable {

  /** A short name for logs and errors, such as {@code kafka}. */
  String name();

  /** Starts the server, or does nothing when it is running. Returns when it is ready. */
  void start();

  /** Stops the server gracefully, keeping its data and ports. Does nothing when it is stopped. */
  void stop();

  /** Ends the server process at once, as {@code kill -9} would, keeping its data and ports. */
  void kill();

  /**
   * Freezes the server process and its children ({@code SIGSTOP}): it keeps its sockets and answers
   * nothing, as a hung node or one behind a network partition does, until {@link #resume()}. Unlike
   * {@link #stop()} it is allowed on a shared server, which every user then sees frozen: a test
   * that pauses one resumes it in a {@code finally}.
   */
  void pause();

  /** Lets a paused server run again ({@code SIGCONT}). Does nothing when it is not paused. */
  void resume();

  /** Whether the server process is alive. */
  boolean isRunning();

  /** The operating system's process id of the running server, or -1 when it is not running. */
  long pid();

  /** The directory that holds the server's data and configuration. */
  Path dataDir();

  /** The file the server's output is written to. */
  Path logFile();

  /**
   * What another process needs to use this running server: its {@code name}, {@code pid}, {@code
   * dataDir} and {@code logFile}, and the server's own ports and ids (a {@link KafkaBroker}'s
   * {@code port}, a {@link CqlServer}'s {@code nativePort}, ...). A shared server of a build or a
   * local stack is found through it; each server class's {@code attach} makes a view of it.
   *
   * @throws IllegalStateException when the server is not running
   */
  java.util.Map<String, String> description();

  /** Stops the server and deletes its data directory. */
  @Override
  void close();
}
