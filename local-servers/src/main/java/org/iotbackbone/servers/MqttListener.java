package org.iotbackbone.servers;

/**
 * The listeners of an {@link MqttBroker}. A broker without {@link MqttBrokerOptions#tls()} has only
 * {@link #PLAIN}; a broker with it has the four secure ones and no plain listener. Every secure
 * listener presents the broker's server certificate, issued by the device CA.
 */
public enum MqttListener {

  /** MQTT over plain TCP, anonymous: only in the insecure development mode. */
  PLAIN("tcp", ""),

  /**
   * MQTT over TLS for devices, a client certificate from the device CA required: the device's id is
   * the certificate's CN.
   */
  TLS("ssl", ""),

  /** MQTT over secure WebSockets at {@value #WEBSOCKET_PATH}, a client certificate required. */
  WSS("wss", MqttListener.WEBSOCKET_PATH),

  /**
   * MQTT over TLS for devices that cannot hold a certificate: user name = device id, password = its
   * per-device secret.
   */
  SECRET("ssl", ""),

  /**
   * MQTT over TLS for the back end (the ingest bridge), a client certificate of the back-end
   * identity required. It is not for devices: keep it off the devices' load balancer.
   */
  BACKEND("ssl", "");

  /** The HTTP path of the secure WebSockets listener, as AWS IoT, EMQX and HiveMQ use it. */
  public static final String WEBSOCKET_PATH = "/mqtt";

  private final String scheme;
  private final String path;

  MqttListener(String scheme, String path) {
    this.scheme = scheme;
    this.path = path;
  }

  /** {@code tcp}, {@code ssl} or {@code wss}. */
  public String scheme() {
    return scheme;
  }

  /** Whether a client reaches it over TLS. */
  public boolean isSecure() {
    return this != PLAIN;
  }

  /** The listener's address as a URI: {@code ssl://127.0.0.1:8883}, {@code wss://…/mqtt}. */
  public String uri(String host, int port) {
    return scheme + "://" + host + ":" + port + path;
  }
}
