package org.iotbackbone.localstack.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.iotbackbone.servers.Distribution;
import org.iotbackbone.servers.launch.Launched;

/**
 * The simulator's distribution ({@code device-simulator/target/dist/bin/device-simulator}) run in
 * the foreground of {@code ./iot simulate} and {@code ./iot demo}, on the user's terminal, as an
 * operator runs it against a remote cluster.
 */
public final class SimulatorRun {

  /** How long {@code ./iot} waits, after a Ctrl-C, for the simulator's report. */
  private static final long REPORT_WAIT_SECONDS = 120;

  private SimulatorRun() {}

  /**
   * Runs the simulator with {@code arguments} until it ends, and returns its exit code. {@code
   * JAVA_OPTS} of this process's environment reaches the simulator's JVM.
   */
  public static int run(List<String> arguments) throws IOException, InterruptedException {
    Launched simulator =
        Distribution.of(Distribution.repositoryRoot(SimulatorRun.class), "device-simulator")
            .launch()
            .args(arguments)
            .jvmOptions(javaOptions())
            .inheritIo()
            .start();
    // A Ctrl-C reaches the simulator too (one process group): it stops its devices and writes its
    // report. Waiting for it keeps the shell's prompt from coming back under its last lines.
    Thread waitForReport = new Thread(() -> awaitQuietly(simulator), "simulator-report-wait");
    Runtime.getRuntime().addShutdownHook(waitForReport);
    try {
      simulator.handle().onExit().get();
      return simulator.exitValue();
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for the simulator failed", e);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(waitForReport);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it waits for the simulator
      }
    }
  }

  private static List<String> javaOptions() {
    String options = System.getenv("JAVA_OPTS");
    return options == null || options.isBlank()
        ? List.of()
        : Arrays.asList(options.trim().split("\\s+"));
  }

  private static void awaitQuietly(Launched simulator) {
    try {
      simulator.handle().onExit().get(REPORT_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      simulator.kill();
    }
  }
}
