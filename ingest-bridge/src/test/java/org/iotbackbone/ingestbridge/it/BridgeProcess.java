package org.iotbackbone.ingestbridge.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
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
import org.iotbackbone.ingestbridge.BridgeConfig;
import org.iotbackbone.ingestbridge.IngestBridgeMain;
import org.iotbackbone.servers.launch.Launch;
import org.iotbackbone.servers.launch.Launched;

/**
 * The bridge's {@code main} in a JVM of its own, configured through {@code IOT_BRIDGE_*} variables
 * as in a deployment, so that a test can kill it with {@code SIGKILL}. The child ends itself when
 * the test JVM dies ({@link Launch#ownedBy}).
 */
final class BridgeProcess implements AutoCloseable {

  private final Map<String, String> settings;
  private final int httpPort;
  private final Path logDir;
  private Launched process;
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
    Map<String, String> env = new HashMap<>();
    settings.forEach(
        (key, value) -> env.put(BridgeConfig.environmentRule().variableOf(key), value));
    List<String> classPath = new ArrayList<>();
    // The bridge's classes first: under failsafe they may not be on the test JVM's class path.
    classPath.add(Launch.codeLocation(IngestBridgeMain.class).toString());
    classPath.addAll(Launch.thisClassPath());
    process =
        Launch.java(IngestBridgeMain.class.getName())
            .classPath(classPath)
            .jvmOptions(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"))
            // The child ends when the test JVM is gone; the bridge keeps nothing in this directory.
            .ownedBy(ProcessHandle.current(), logDir.resolve("child-main-scratch"))
            .removeEnv(name -> name.startsWith(BridgeConfig.ENV_PREFIX))
            .env(env)
            .logFile(
                logDir.resolve("bridge-" + settings.get("bridge.id") + "-" + ++starts + ".log"))
            .start();
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
    process.kill();
    process.waitFor(Duration.ofSeconds(30));
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.stop(Duration.ofSeconds(20));
    }
  }
}
