package org.iotbackbone.simulator.internal;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import org.iotbackbone.simulator.Endpoints;
import org.iotbackbone.simulator.Scenario.Transport;

/**
 * Which broker each device connects to and how: device N takes broker N mod their number, over TLS
 * (or plain TCP on insecure endpoints) or secure WebSockets as the scenario's transport says
 * ({@code mixed}: even numbers TLS, odd WebSockets).
 */
public final class DeviceLinks {

  private final List<InetSocketAddress> brokers;
  private final boolean tls;
  private final List<URI> webSockets;
  private final Transport transport;

  /**
   * The links of these endpoints for this transport.
   *
   * @throws IllegalArgumentException naming the variable a transport of WebSockets needs when the
   *     endpoints have no WebSockets URL
   */
  public DeviceLinks(Endpoints endpoints, Transport transport) {
    this.brokers = endpoints.mqttBrokers();
    this.tls = endpoints.mqttTls();
    this.webSockets = endpoints.mqttWebSockets();
    this.transport = transport;
    if (transport != Transport.TLS && webSockets.isEmpty()) {
      throw new IllegalArgumentException(
          "transport "
              + transport.key()
              + " needs the brokers' secure WebSockets URLs: "
              + Endpoints.MQTT_WS_URL
              + " (or "
              + Endpoints.MQTT_WS_URLS
              + ") is not set");
    }
  }

  /** Whether any device connects over TLS, so that each needs a certificate. */
  public boolean secure() {
    return tls || transport != Transport.TLS;
  }

  /**
   * The transport as the report names it: {@code tls}, {@code wss}, {@code mixed} or {@code tcp}.
   */
  public String describe() {
    return secure() ? transport.key() : "tcp";
  }

  /** How device number {@code n} connects. */
  Link link(int n) {
    boolean overWebSockets =
        transport == Transport.WSS || transport == Transport.MIXED && n % 2 == 1;
    // Mixed: each half is spread over every broker on its own.
    int i = transport == Transport.MIXED ? n / 2 : n;
    if (overWebSockets) {
      URI url = webSockets.get(i % webSockets.size());
      String path = url.getRawPath() == null ? "" : url.getRawPath();
      // The client's serverPath is the path without its leading slash.
      return new Link(url.getHost(), url.getPort(), true, path.replaceFirst("^/", ""));
    }
    InetSocketAddress broker = brokers.get(i % brokers.size());
    return new Link(broker.getHostString(), broker.getPort(), tls, null);
  }

  /**
   * One device's way to its broker.
   *
   * @param webSocketPath the HTTP path of MQTT over WebSockets, or null for MQTT over TCP
   */
  record Link(String host, int port, boolean tls, String webSocketPath) {}
}
