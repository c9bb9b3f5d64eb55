package org.iotbackbone.localstack.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.iotbackbone.servers.launch.ProcessTree;

/**
 * Makes the running brokers of a stack read its device CA's revocation list and secrets again,
 * after {@code ./iot devices revoke} or {@code create --secret}: Mosquitto on {@code SIGHUP} (as
 * {@code MqttBroker.reloadIdentities()} does, here by the pid the stack recorded, since the broker
 * belongs to another process), HiveMQ's extension by itself when the files change. Connected
 * devices stay connected until they reconnect.
 */
public final class BrokerReload {

  private BrokerReload() {}

  /** What to do for one recorded broker. */
  public record Action(String part, String broker, long pid, boolean signal) {
    String describe() {
      return signal
          ? part + " (mosquitto, pid " + pid + "): SIGHUP, re-reads the revocation list and secrets"
          : part + " (" + broker + ", pid " + pid + "): re-reads the changed files by itself";
    }
  }

  /**
   * The secure brokers among a stack's recorded parts ({@link StackDir#parts()}) whose process is
   * {@code alive}: a broker part records its kind ({@code name}) and, when secure, its TLS port.
   */
  public static List<Action> select(Map<String, Map<String, String>> parts, LongPredicate alive) {
    List<Action> actions = new ArrayList<>();
    parts.forEach(
        (part, record) -> {
          String broker = record.getOrDefault("name", "");
          if (!(broker.equals("mosquitto") || broker.equals("hivemq"))
              || !record.containsKey("port.tls")) {
            return;
          }
          long pid = Long.parseLong(record.getOrDefault("pid", "-1"));
          if (pid > 0 && alive.test(pid)) {
            actions.add(new Action(part, broker, pid, broker.equals("mosquitto")));
          }
        });
    return actions;
  }

  /** Reloads the stack's running secure brokers; returns a line for each, or why there is none. */
  public static List<String> reload(StackDir dir) {
    Map<String, Map<String, String>> parts = dir.parts();
    List<Action> actions = select(parts, ProcessTree::alive);
    List<String> lines = new ArrayList<>();
    if (actions.isEmpty()) {
      boolean insecure =
          parts.values().stream()
              .anyMatch(r -> r.containsKey("port.plain") && r.containsKey("pid"));
      lines.add(
          insecure
              ? "the stack's brokers run without TLS (--insecure): certificates are not checked"
              : "no broker of the stack runs: the brokers read the change when they start");
      return lines;
    }
    for (Action action : actions) {
      if (action.signal()) {
        try {
          hangUp(action.pid());
        } catch (IOException e) {
          lines.add(
              action.part() + ": SIGHUP to pid " + action.pid() + " failed: " + e.getMessage());
          continue;
        }
      }
      lines.add(action.describe());
    }
    return lines;
  }

  private static void hangUp(long pid) throws IOException {
    Process kill =
        new ProcessBuilder("kill", "-HUP", Long.toString(pid)).redirectErrorStream(true).start();
    try {
      if (!kill.waitFor(10, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        throw new IOException("kill did not end");
      }
      if (kill.exitValue() != 0) {
        throw new IOException(new String(kill.getInputStream().readAllBytes()).strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
