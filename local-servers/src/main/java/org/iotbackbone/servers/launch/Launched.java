package org.iotbackbone.servers.launch;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A process started by {@link Launch}: its id, its pipes (when its output is not a log file), and a
 * stop that ends it with everything it started.
 */
public final class Launched {

  private final Process process;

  Launched(Process process) {
    this.process = process;
  }

  /** The operating system's process id. */
  public long pid() {
    return process.pid();
  }

  /** The process's handle (for its descendants, its exit). */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Its exit code; throws while it runs. */
  public int exitValue() {
    return process.exitValue();
  }

  /** Waits up to {@code timeout} for it to end; true if it did. */
  public boolean waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Its standard output (when there is no log file). */
  public InputStream output() {
    return process.getInputStream();
  }

  /** Its standard input (when it is not detached). */
  public OutputStream input() {
    return process.getOutputStream();
  }

  /** Asks it and its descendants to end ({@code SIGTERM}) and returns at once. */
  public void terminate() {
    process.toHandle().descendants().forEach(ProcessHandle::destroy);
    process.toHandle().destroy();
  }

  /**
   * Ends it and its descendants: {@code SIGTERM}, up to {@code grace} to exit, then {@code SIGKILL}
   * (see {@link ProcessTree#stop(ProcessHandle, Duration)}).
   *
   * @return whether it had to be killed
   */
  public boolean stop(Duration grace) {
    return ProcessTree.stop(process.toHandle(), grace);
  }

  /** Kills it and its descendants at once ({@code SIGKILL}), as {@code kill -9} would. */
  public void kill() {
    ProcessTree.kill(process.toHandle());
  }

  @Override
  public String toString() {
    return "pid " + pid() + (isAlive() ? "" : " (ended)");
  }
}
