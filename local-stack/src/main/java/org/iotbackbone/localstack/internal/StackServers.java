package org.iotbackbone.localstack.internal;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The addresses of the servers the platform's parts run on, and the bridge's MQTT credentials.
 *
 * @param mqttBrokers the MQTT brokers, all behind the one bridge
 * @param cqlContactPoint {@code host:port} of the CQL server
 */
public record StackServers(
    List<InetSocketAddress> mqttBrokers,
    String mqttUsername,
    String mqttPassword,
    String kafkaBootstrap,
    String registryConfluentUrl,
    String registryApicurioUrl,
    String cqlContactPoint,
    String cqlDatacenter) {

  public StackServers {
    mqttBrokers = List.copyOf(mqttBrokers);
  }
}
