package org.iotbackbone.servers;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The ports of a broker's listeners, chosen when the broker is created and kept across restarts.
 */
final class ListenerPorts {

  private ListenerPorts() {}

  static Map<MqttListener, Integer> allocate(MqttBrokerOptions options) {
    Map<MqttListener, Integer> ports = new EnumMap<>(MqttListener.class);
    for (MqttListener listener : options.listeners()) {
      ports.put(listener, Ports.free());
    }
    return Map.copyOf(ports);
  }

  static int of(Map<MqttListener, Integer> ports, MqttListener listener) {
    Integer port = ports.get(listener);
    if (port == null) {
      throw new IllegalArgumentException(
          "this broker has no " + listener + " listener; it has " + ports.keySet());
    }
    return port;
  }

  /**
   * {@code port}: the plain listener's, else the TLS device listener's; {@code port.tls}, {@code
   * port.wss} and the others for each listener.
   */
  static void describe(Map<MqttListener, Integer> ports, Map<String, String> description) {
    Integer main = ports.getOrDefault(MqttListener.PLAIN, ports.get(MqttListener.TLS));
    description.put("port", Integer.toString(main));
    ports.forEach(
        (listener, port) ->
            description.put(
                "port." + listener.name().toLowerCase(Locale.ROOT), Integer.toString(port)));
  }
}
