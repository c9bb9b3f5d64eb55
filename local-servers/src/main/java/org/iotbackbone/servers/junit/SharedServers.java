package org.iotbackbone.servers.junit;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import org.iotbackbone.servers.CqlServer;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.LocalServer;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttBrokerKind;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.ServerOptions;
import org.iotbackbone.servers.internal.BuildShare;

/**
 * Running servers shared by tests, started on first use: Kafka, the registry and Cassandra take a
 * minute to start on a build machine, too long to start per test, or even per module.
 *
 * <p>Under Maven, Kafka, the registry and Cassandra are shared by every test JVM of the build, in
 * every module (see {@link BuildShare}): they may hold topics, subjects, consumer groups and
 * keyspaces of other tests, so a test names its own (or creates shared ones idempotently). They
 * cannot be stopped: {@code stop()} and {@code kill()} throw; a test of an outage starts a server
 * of its own. Without Maven they are shared by the tests of one JVM, and close when it exits.
 *
 * <p>MQTT brokers start in about a second (Mosquitto) and tests stop them; they are shared by the
 * tests of one JVM, and a test that stopped one finds it started again by the next that asks.
 */
public final class SharedServers {

  private static KafkaBroker kafka;
  private static SchemaRegistry schemaRegistry;
  private static CqlServer cql;
  private static final Map<MqttBrokerKind, MqttBroker> MQTT = new EnumMap<>(MqttBrokerKind.class);

  private SharedServers() {}

  /** The shared Kafka broker, running. */
  public static synchronized KafkaBroker kafka() {
    if (kafka == null || !kafka.isRunning()) {
      kafka =
          shared(
              "kafka",
              owner -> new KafkaBroker(ServerOptions.builder().owner(owner).build()),
              KafkaBroker::attach);
    }
    return kafka;
  }

  /** The shared schema registry, running. */
  public static synchronized SchemaRegistry schemaRegistry() {
    if (schemaRegistry == null || !schemaRegistry.isRunning()) {
      schemaRegistry =
          shared(
              "schema-registry",
              owner -> new SchemaRegistry(ServerOptions.builder().owner(owner).build()),
              SchemaRegistry::attach);
    }
    return schemaRegistry;
  }

  /** The shared CQL server, running. */
  public static synchronized CqlServer cql() {
    if (cql == null || !cql.isRunning()) {
      cql =
          shared(
              "cassandra",
              owner -> new CqlServer(CqlServer.defaultOptions().owner(owner).build()),
              CqlServer::attach);
    }
    return cql;
  }

  /**
   * The shared MQTT broker of that kind, running, with the default broker options. When the broker
   * is not installed the test is skipped, or fails under CI (see {@link
   * MqttBrokers#assumeAvailable(MqttBrokerKind)}).
   */
  public static synchronized MqttBroker mqtt(MqttBrokerKind kind) {
    MqttBrokers.assumeAvailable(kind);
    MqttBroker broker = MQTT.computeIfAbsent(kind, k -> k.create(ServerOptions.defaults()));
    broker.start();
    return broker;
  }

  /**
   * A view of the server shared under {@code key}: started by this build (or now), or, without a
   * build share, started now and owned by this JVM. A view, in both cases, so that a test behaves
   * the same in an IDE as under Maven.
   */
  private static <S extends LocalServer> S shared(
      String key, Function<ProcessHandle, S> create, Function<Map<String, String>, S> attach) {
    Function<ProcessHandle, Map<String, String>> start =
        owner -> {
          S server = create.apply(owner);
          server.start();
          return server.description();
        };
    Map<String, String> description =
        BuildShare.ofThisBuild()
            .map(build -> build.obtain(key, start))
            .orElseGet(() -> start.apply(ProcessHandle.current()));
    return attach.apply(description);
  }
}
