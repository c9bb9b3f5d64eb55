package org.iotbackbone.localstack.internal.chaos;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.iotbackbone.localstack.internal.Health;
import org.iotbackbone.localstack.internal.PartStarts;
import org.iotbackbone.localstack.internal.StackDir;
import org.iotbackbone.localstack.internal.StackParts;
import org.iotbackbone.servers.LocalServer;
import org.iotbackbone.servers.launch.ProcessTree;

/**
 * A part of the platform a fault is injected into: a server this JVM owns (Kafka, the MQTT broker,
 * the registry, Cassandra) or one of the platform's own processes (the bridge, the streams app,
 * Connect), each with the same four actions and the health check its stack record names.
 */
abstract class Target {

  private final String name;
  private final StackDir dir;

  Target(String name, StackDir dir) {
    this.name = name;
    this.dir = dir;
  }

  /** A server of this JVM's own: killed and started again by its {@link LocalServer}. */
  static Target server(String name, StackDir dir, LocalServer server) {
    return new Target(name, dir) {
      @Override
      void kill() {
        server.kill();
      }

      @Override
      void restart() {
        // Same data directory and port: what the server had written survives, as on a host.
        server.start();
        Map<String, String> record = new LinkedHashMap<>(server.description());
        record.put("health", StackParts.tcpCheck(record));
        dir.save(name, record);
      }

      @Override
      void pause() {
        server.pause();
      }

      @Override
      void resume() {
        server.resume();
      }
    };
  }

  /** A part started by {@link PartStarts}, started again the same way. */
  static Target part(String name, StackDir dir, PartStarts starts) {
    return new Target(name, dir) {
      @Override
      void kill() {
        ProcessHandle.of(pid()).ifPresent(ProcessTree::kill);
      }

      @Override
      void restart() throws IOException {
        starts.restart(name);
      }

      @Override
      void pause() {
        ProcessHandle.of(pid()).ifPresent(p -> ProcessTree.signal(p, "STOP"));
      }

      @Override
      void resume() {
        ProcessHandle.of(pid()).ifPresent(p -> ProcessTree.signal(p, "CONT"));
      }
    };
  }

  final String name() {
    return name;
  }

  /** {@code SIGKILL}: no shutdown hook, no flush, no goodbye to its peers. */
  abstract void kill();

  /** Starts it again after {@link #kill()}, on the same ports and data. */
  abstract void restart() throws IOException;

  /** {@code SIGSTOP}: it keeps its sockets and answers nothing, as a hung process does. */
  abstract void pause();

  /** {@code SIGCONT}. */
  abstract void resume();

  /** Empty when healthy (its record's check passes), else what is wrong. */
  final Optional<String> problem() {
    Map<String, String> record = dir.parts().get(name);
    return record == null ? Optional.of("not recorded") : Health.problem(record);
  }

  final long pid() {
    Map<String, String> record = dir.parts().get(name);
    return record == null ? -1 : Long.parseLong(record.getOrDefault("pid", "-1"));
  }

  @Override
  public String toString() {
    return name;
  }
}
