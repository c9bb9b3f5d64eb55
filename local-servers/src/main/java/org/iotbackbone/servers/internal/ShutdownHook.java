package org.iotbackbone.servers.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.iotbackbone.servers.LocalServer;

/**
 * Closes, when the JVM exits, every server that is still running, so that a test run that failed or
 * was interrupted leaves no server process and no data behind. Servers close in parallel: a JVM's
 * exit should not wait for them one after the other.
 */
public final class ShutdownHook {

  private static final Set<LocalServer> RUNNING = new LinkedHashSet<>();
  private static boolean installed;

  private ShutdownHook() {}

  public static synchronized void register(LocalServer server) {
    if (!installed) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(ShutdownHook::closeAll, "local-servers-exit"));
      installed = true;
    }
    RUNNING.add(server);
  }

  public static synchronized void deregister(LocalServer server) {
    RUNNING.remove(server);
  }

  private static void closeAll() {
    List<LocalServer> servers;
    synchronized (ShutdownHook.class) {
      servers = new ArrayList<>(RUNNING);
    }
    List<Thread> closers = new ArrayList<>();
    for (LocalServer server : servers) {
      Thread closer = new Thread(server::close, "close-" + server.name());
      closer.start();
      closers.add(closer);
    }
    for (Thread closer : closers) {
      try {
        closer.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
