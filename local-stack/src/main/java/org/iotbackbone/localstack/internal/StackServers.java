package org.iotbackbone.localstack.internal;

import java.net.InetSocketAddress;
import java.util.List;

/** Where the servers the platform's parts run on are, one value per server. */
public record StackServers(MqttAt mqtt, String kafkaBootstrap, RegistryAt registry, CqlAt cql) {

  /** The MQTT brokers, all behind the one bridge, and the bridge's credentials on them. */
  public record MqttAt(List<InetSocketAddress> brokers, String username, String password) {
    public MqttAt {
      brokers = List.copyOf(brokers);
    }
  }

  /** The registry's two APIs: Confluent-compatible (clients' serdes) and Apicurio's own. */
  public record RegistryAt(String confluentUrl, String apicurioUrl) {}

  /** The CQL server: {@code host:port} and its datacenter. */
  public record CqlAt(String contactPoint, String datacenter) {}

  public List<InetSocketAddress> mqttBrokers() {
    return mqtt.brokers();
  }

  public String registryConfluentUrl() {
    return registry.confluentUrl();
  }

  public String registryApicurioUrl() {
    return registry.apicurioUrl();
  }

  public String cqlContactPoint() {
    return cql.contactPoint();
  }

  public String cqlDatacenter() {
    return cql.datacenter();
  }
}
