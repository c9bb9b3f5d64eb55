package org.iotbackbone.ingestbridge.it;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.iotbackbone.ingestbridge.BridgeConfig;
import org.iotbackbone.ingestbridge.IngestBridgeMain;

/**
 * The bridge's {@code main} in a JVM of its own, configured through {@code IOT_BRIDGE_*} variables
 * as in a deployment, so that a test can kill it with {@code SIGKILL}. The child ends itself when
 * the test JVM dies (local-servers' {@code ChildMain}).
 */
final class BridgeProcess implements AutoCloseable {

  private static final String CHILD_MAIN = "org.iotbackbone.servers.internal.ChildMain";

  private final Map<String, String> settings;
  private final int httpPort;
  private final Path logDir;
  private Process process;
  private int starts;

  BridgeProcess(Map<String, String> settings, Path logDir) throws IOException {
    this.settings = new HashMap<>(settings);
    try (ServerSocket socket = new ServerSocket(0)) {
      this.httpPort = socket.getLocalPort();
    }
    this.settings.put(BridgeConfig.HTTP_PORT_CONFIG, Integer.toString(httpPort));
    this.logDir = Files.createDirectories(logDir);
  }

  /** Starts the JVM; does not wait for the bridge to be ready. */
  void start() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(classpath());
    command.add(CHILD_MAIN);
    command.add(Long.toString(ProcessHandle.current().pid()));
    // ChildMain deletes this directory when the test JVM is gone; the bridge keeps nothing there.
    command.add(logDir.resolve("child-main-scratch").toString());
    command.add(IngestBridgeMain.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(
        logDir.resolve("bridge-" + settings.get("bridge.id") + "-" + ++starts + ".log").toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith(BridgeConfig.ENV_PREFIX));
    settings.forEach(
        (key, value) ->
            builder.environment().put(BridgeConfig.environmentRule().variableOf(key), value));
    process = builder.start();
  }

  /** Whether {@code /ready} answers 200. */
  boolean isReady() {
    try {
      HttpResponse<Void> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ready"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** {@code kill -9}: no shutdown hook, no drain. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          kill();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String classpath() {
    List<String> entries = new ArrayList<>();
    entries.add(codeRoot(IngestBridgeMain.class));
    try {
      entries.add(codeRoot(Class.forName(CHILD_MAIN)));
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("local-servers is not on the test classpath", e);
    }
    entries.add(System.getProperty("java.class.path"));
    return String.join(File.pathSeparator, entries);
  }

  private static String codeRoot(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
