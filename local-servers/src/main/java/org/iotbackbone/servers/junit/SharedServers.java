package org.iotbackbone.servers.junit;

import java.util.EnumMap;
import java.util.Map;
import org.iotbackbone.servers.CqlServer;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.LocalServer;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttBrokerKind;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.ServerOptions;

/**
 * One server of each kind per test JVM, started on first use and shared by every test of the module
 * run: Kafka, the registry and Cassandra take seconds to start, too long to start per test.
 *
 * <p>Each accessor returns a running server: a test that stopped a shared server to simulate an
 * outage finds it started again by the next test that asks for it. The servers are closed when the
 * JVM exits (see {@link LocalServer}).
 */
public final class SharedServers {

  private static KafkaBroker kafka;
  private static SchemaRegistry schemaRegistry;
  private static CqlServer cql;
  private static final Map<MqttBrokerKind, MqttBroker> MQTT = new EnumMap<>(MqttBrokerKind.class);

  private SharedServers() {}

  /** The shared Kafka broker, running. */
  public static synchronized KafkaBroker kafka() {
    if (kafka == null) {
      kafka = new KafkaBroker();
    }
    return running(kafka);
  }

  /** The shared schema registry, running. */
  public static synchronized SchemaRegistry schemaRegistry() {
    if (schemaRegistry == null) {
      schemaRegistry = new SchemaRegistry();
    }
    return running(schemaRegistry);
  }

  /** The shared CQL server, running. */
  public static synchronized CqlServer cql() {
    if (cql == null) {
      cql = new CqlServer();
    }
    return running(cql);
  }

  /**
   * The shared MQTT broker of that kind, running, with the default broker options. When the broker
   * is not installed the test is skipped, or fails under CI (see {@link
   * MqttBrokers#assumeAvailable(MqttBrokerKind)}).
   */
  public static synchronized MqttBroker mqtt(MqttBrokerKind kind) {
    MqttBrokers.assumeAvailable(kind);
    return running(MQTT.computeIfAbsent(kind, k -> k.create(ServerOptions.defaults())));
  }

  private static <S extends LocalServer> S running(S server) {
    server.start();
    return server;
  }
}
