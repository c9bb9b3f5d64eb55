package org.iotbackbone.servers;

import java.util.Optional;

/** The MQTT brokers this module can start. */
public enum MqttBrokerKind {

  /**
   * Eclipse Mosquitto, the native binary from the system's package (Debian: {@code apt-get install
   * mosquitto}).
   */
  MOSQUITTO {
    @Override
    public MqttBroker create(MqttBrokerOptions brokerOptions, ServerOptions options) {
      return new MosquittoBroker(brokerOptions, options);
    }

    @Override
    public Optional<String> unavailableReason() {
      return MosquittoBroker.isInstalled()
          ? Optional.empty()
          : Optional.of(MosquittoBroker.notInstalledMessage());
    }
  },

  /** HiveMQ Community Edition, embedded in a JVM of its own; needs nothing installed. */
  HIVEMQ {
    @Override
    public MqttBroker create(MqttBrokerOptions brokerOptions, ServerOptions options) {
      return new HiveMqBroker(brokerOptions, options);
    }

    @Override
    public Optional<String> unavailableReason() {
      return Optional.empty();
    }
  };

  /** A new broker of this kind, not started yet. */
  public abstract MqttBroker create(MqttBrokerOptions brokerOptions, ServerOptions options);

  /** A new broker of this kind with {@link MqttBrokerOptions#defaults()}, not started yet. */
  public MqttBroker create(ServerOptions options) {
    return create(MqttBrokerOptions.defaults(), options);
  }

  /** Why a broker of this kind cannot start on this machine, or empty when it can. */
  public abstract Optional<String> unavailableReason();
}
