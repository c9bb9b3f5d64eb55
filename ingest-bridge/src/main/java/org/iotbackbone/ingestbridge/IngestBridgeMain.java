package org.iotbackbone.ingestbridge;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the bridge: {@code java -cp ... org.iotbackbone.ingestbridge.IngestBridgeMain [FILE]}, with
 * settings from the properties file {@code FILE} (or the file named by {@code IOT_BRIDGE_CONFIG})
 * and {@code IOT_BRIDGE_*} environment variables (see {@link BridgeConfig}). A bad setting ends it
 * at once with exit code 2 and a message naming the key. SIGTERM drains and stops it.
 */
public final class IngestBridgeMain {

  private static final Logger LOG = LoggerFactory.getLogger(IngestBridgeMain.class);

  /** The environment variable that may name the properties file. */
  public static final String CONFIG_FILE_VARIABLE =
      BridgeConfig.environmentRule().configFileVariable();

  private IngestBridgeMain() {}

  public static void main(String[] args) throws InterruptedException {
    Optional<Path> file = args.length > 0 ? Optional.of(Path.of(args[0])) : Optional.empty();
    BridgeConfig config;
    try {
      config = BridgeConfig.load(file, System.getenv());
    } catch (ConfigException e) {
      System.err.println("ingest-bridge: bad configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, error) -> LOG.error("uncaught exception in {}", thread.getName(), error));
    IngestBridge bridge = new IngestBridge(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  bridge.close();
                  stopped.countDown();
                },
                "shutdown"));
    bridge.start();
    stopped.await();
  }
}
