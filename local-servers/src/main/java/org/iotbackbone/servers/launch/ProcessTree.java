package org.iotbackbone.servers.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process and everything it started, by process handle or id: whether it runs, a graceful stop
 * with a deadline, a kill, and the signals the JDK cannot send (pause and resume).
 *
 * <p>Through {@link ProcessHandle}, never {@link Process#destroy()}: that also closes the starting
 * side's pipes, and a reader of the child's output would lose its last lines.
 */
public final class ProcessTree {

  private ProcessTree() {}

  /** Whether the process of that id runs. */
  public static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * Stops the process of that id and its descendants (see {@link #stop(ProcessHandle, Duration)});
   * a process that is gone already is fine.
   *
   * @return whether it had to be killed
   */
  public static boolean stop(long pid, Duration grace) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    return process.isPresent() && stop(process.get(), grace);
  }

  /**
   * Stops a process and its descendants: {@code SIGTERM} to each (a graceful stop: Kafka and
   * Cassandra flush, the bridge drains; a launcher script that did not {@code exec} its JVM passes
   * nothing on, so the JVM gets its own), then {@code SIGKILL} for whatever is left after {@code
   * grace}. A zero grace kills at once.
   *
   * @return whether it had to be killed
   */
  public static boolean stop(ProcessHandle process, Duration grace) {
    if (!process.isAlive()) {
      return false;
    }
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(0, process);
    if (!grace.isZero()) {
      all.forEach(ProcessHandle::destroy);
      long deadline = System.nanoTime() + grace.toNanos();
      for (ProcessHandle handle : all) {
        long left = deadline - System.nanoTime();
        try {
          handle.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        } catch (Exception e) {
          // Timed out: killed below.
        }
      }
    }
    return kill(all);
  }

  /** Kills a process and its descendants at once ({@code SIGKILL}); true if any was alive. */
  public static boolean kill(ProcessHandle process) {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(0, process);
    return kill(all);
  }

  private static boolean kill(List<ProcessHandle> all) {
    boolean killed = false;
    for (ProcessHandle handle : all) {
      if (handle.isAlive()) {
        handle.destroyForcibly();
        killed = true;
      }
    }
    return killed;
  }

  /**
   * Sends a signal ({@code STOP}, {@code CONT}, ...) to a process and its descendants through
   * {@code kill}: the JDK can send only TERM and KILL.
   */
  public static void signal(ProcessHandle process, String signal) {
    List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
    command.add(Long.toString(process.pid()));
    process.descendants().forEach(child -> command.add(Long.toString(child.pid())));
    try {
      Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!kill.waitFor(10, TimeUnit.SECONDS)
          || (kill.exitValue() != 0 && !onlyDescendantsGone(output, process.pid()))) {
        throw new IllegalStateException(
            "cannot send SIG" + signal + " to pid " + process.pid() + ": " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run kill -" + signal, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while sending SIG" + signal + " to pid " + process.pid(), e);
    }
  }

  private static final Pattern GONE = Pattern.compile("kill: \\((\\d+)\\): No such process");

  /**
   * Whether {@code kill}'s complaints are all about descendants that exited between the snapshot of
   * the tree and the signal (a broker's short-lived helper, say): {@code kill} still signals every
   * other pid it was given, so the tree that is left got the signal. The root gone is an error.
   */
  static boolean onlyDescendantsGone(String killOutput, long root) {
    boolean any = false;
    for (String line : killOutput.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      Matcher gone = GONE.matcher(line.trim());
      if (!gone.matches() || Long.parseLong(gone.group(1)) == root) {
        return false;
      }
      any = true;
    }
    return any;
  }
}
