package org.iotbackbone.servers.runtime.hivemq;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs HiveMQ CE embedded, in a JVM of its own started by {@code HiveMqBroker}.
 *
 * <p>Argument: the broker's home, which holds {@code conf/config.xml}, {@code data/}, {@code
 * extensions/} and {@code access.properties}. Prints {@value #READY} once HiveMQ accepts clients,
 * and stops it gracefully on {@code SIGTERM}.
 */
public final class HiveMqMain {

  /** The line HiveMqBroker waits for. */
  static final String READY = "HiveMqMain: HiveMQ CE is ready";

  private static final String LOGBACK_CONFIG = "org/iotbackbone/servers/runtime/hivemq/logback.xml";

  private HiveMqMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 1) {
      System.err.println("usage: HiveMqMain HOME");
      System.exit(2);
    }
    // Before the first logger: HiveMQ's jar carries a logback.xml of its own, found first.
    System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
    Path home = Path.of(args[0]);
    EmbeddedHiveMQ hivemq;
    try {
      hivemq =
          EmbeddedHiveMQ.builder()
              .withConfigurationFolder(home.resolve("conf"))
              .withDataFolder(home.resolve("data"))
              .withExtensionsFolder(home.resolve("extensions"))
              .withEmbeddedExtension(
                  DeviceAccessExtension.embedded(
                      AccessRules.load(home.resolve("access.properties"))))
              .withoutLoggingBootstrap()
              .build();
      hivemq.start().join();
    } catch (RuntimeException e) {
      // HiveMQ's non-daemon threads would keep a failed JVM alive.
      e.printStackTrace();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stop(hivemq, stopped), "hivemq-shutdown"));
    System.out.println(READY);
    stopped.await();
  }

  /** Stops HiveMQ so that clients get a clean disconnect; bounded, a hook must not hang. */
  private static void stop(EmbeddedHiveMQ hivemq, CountDownLatch stopped) {
    try {
      hivemq.stop().get(15, TimeUnit.SECONDS);
      System.out.println("HiveMqMain: HiveMQ CE stopped");
    } catch (Exception e) {
      System.err.println("HiveMqMain: HiveMQ CE did not stop cleanly: " + e);
    } finally {
      stopped.countDown();
    }
  }
}
