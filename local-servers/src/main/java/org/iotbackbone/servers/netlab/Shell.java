package org.iotbackbone.servers.netlab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.iotbackbone.servers.internal.Executables;

/** Runs {@code ip} and {@code tc}; a failure is an exception with the command and what it said. */
final class Shell {

  private static final long TIMEOUT_SECONDS = 30;

  private Shell() {}

  static String ip() {
    return Executables.find("ip").map(Path::toString).orElse("ip");
  }

  static String tc() {
    return Executables.find("tc").map(Path::toString).orElse("tc");
  }

  /** The command's standard output; throws when it fails. */
  static String run(List<String> command) throws IOException {
    return run(command, null);
  }

  /** Runs it, ignoring a failure (for removing what may not be there). */
  static void runQuietly(List<String> command) {
    try {
      run(command, null);
    } catch (IOException e) {
      // what is not there need not be removed
    }
  }

  /** {@code tc [-n NAMESPACE] -batch -} with these lines; nothing when there are none. */
  static void tcBatch(String namespace, List<String> lines) throws IOException {
    if (lines.isEmpty()) {
      return;
    }
    List<String> command = new ArrayList<>(List.of(tc()));
    if (namespace != null) {
      command.add("-n");
      command.add(namespace);
    }
    command.add("-batch");
    command.add("-");
    run(command, String.join("\n", lines) + "\n");
  }

  private static String run(List<String> command, String input) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    try (OutputStream stdin = process.getOutputStream()) {
      if (input != null) {
        stdin.write(input.getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(
            "no answer in " + TIMEOUT_SECONDS + " s: " + String.join(" ", command));
      }
      if (process.exitValue() != 0) {
        throw new IOException(
            String.join(" ", command)
                + (input == null ? "" : " <<< " + input.strip().replace("\n", "; "))
                + " failed ("
                + process.exitValue()
                + "): "
                + err.join().strip());
      }
      return out.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "";
          }
        });
  }
}
