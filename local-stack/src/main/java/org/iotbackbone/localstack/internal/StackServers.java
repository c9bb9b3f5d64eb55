package org.iotbackbone.localstack.internal;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttListener;

/** Where the servers the platform's parts run on are, one value per server. */
public record StackServers(MqttAt mqtt, String kafkaBootstrap, RegistryAt registry, CqlAt cql) {

  /**
   * One MQTT broker's listeners: the plain one alone (the insecure development mode), or the four
   * secure ones ({@link MqttListener}). Devices use {@link #device()}, the bridge {@link
   * #backend()}: never the other way round.
   */
  public record BrokerAt(String host, Map<MqttListener, Integer> ports) {
    public BrokerAt {
      ports = Map.copyOf(ports);
      if (!ports.containsKey(MqttListener.PLAIN) && !ports.containsKey(MqttListener.TLS)) {
        throw new IllegalArgumentException("a broker has a plain or a TLS listener: " + ports);
      }
    }

    /** A broker with a plain listener only, at {@code address}. */
    public static BrokerAt plain(InetSocketAddress address) {
      return new BrokerAt(address.getHostString(), Map.of(MqttListener.PLAIN, address.getPort()));
    }

    /** The listeners {@code broker} opens. */
    public static BrokerAt of(MqttBroker broker) {
      Map<MqttListener, Integer> ports = new EnumMap<>(MqttListener.class);
      broker.brokerOptions().listeners().forEach(l -> ports.put(l, broker.port(l)));
      return new BrokerAt(broker.host(), ports);
    }

    /** Whether it has the secure listeners (and no plain one). */
    public boolean secure() {
      return !ports.containsKey(MqttListener.PLAIN);
    }

    /** The devices' listener: {@link MqttListener#TLS}, or the plain one. */
    public MqttListener deviceListener() {
      return secure() ? MqttListener.TLS : MqttListener.PLAIN;
    }

    /** The back end's listener: {@link MqttListener#BACKEND}, or the plain one. */
    public MqttListener backendListener() {
      return secure() ? MqttListener.BACKEND : MqttListener.PLAIN;
    }

    public InetSocketAddress device() {
      return address(deviceListener());
    }

    public InetSocketAddress backend() {
      return address(backendListener());
    }

    /** A listener's address. */
    public InetSocketAddress address(MqttListener listener) {
      Integer port = ports.get(listener);
      if (port == null) {
        throw new IllegalArgumentException("no " + listener + " listener: " + ports.keySet());
      }
      return InetSocketAddress.createUnresolved(host, port);
    }

    /**
     * A listener as a URL: {@code ssl://host:port}, {@code wss://host:port/mqtt}, {@code tcp://}.
     */
    public String url(MqttListener listener) {
      return listener.uri(host, address(listener).getPort());
    }

    /** The devices' URL. */
    public String deviceUrl() {
      return url(deviceListener());
    }
  }

  /**
   * The MQTT brokers, all behind the one bridge. Secure brokers take the bridge by the certificate
   * of {@code pkiDir}'s service identity; plain ones by {@code username} and {@code password}.
   *
   * @param pkiDir the device CA the brokers trust (empty when they are plain)
   */
  public record MqttAt(
      List<BrokerAt> brokers, String username, String password, Optional<Path> pkiDir) {
    public MqttAt {
      brokers = List.copyOf(brokers);
      if (brokers.isEmpty()) {
        throw new IllegalArgumentException("no MQTT broker");
      }
      boolean secure = brokers.get(0).secure();
      if (brokers.stream().anyMatch(b -> b.secure() != secure)) {
        throw new IllegalArgumentException("the brokers are all secure or all plain: " + brokers);
      }
      if (secure != pkiDir.isPresent()) {
        throw new IllegalArgumentException(
            secure ? "secure brokers need the device CA's directory" : "plain brokers have no CA");
      }
    }

    /** Whether the brokers are secure (TLS, device certificates). */
    public boolean secure() {
      return pkiDir.isPresent();
    }
  }

  /** The registry's two APIs: Confluent-compatible (clients' serdes) and Apicurio's own. */
  public record RegistryAt(String confluentUrl, String apicurioUrl) {}

  /** The CQL server: {@code host:port} and its datacenter. */
  public record CqlAt(String contactPoint, String datacenter) {}

  /** The brokers' device listeners. */
  public List<InetSocketAddress> mqttBrokers() {
    return mqtt.brokers().stream().map(BrokerAt::device).toList();
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
