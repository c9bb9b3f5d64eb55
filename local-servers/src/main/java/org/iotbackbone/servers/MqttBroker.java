package org.iotbackbone.servers;

import java.time.Duration;

/**
 * An MQTT 5 broker on loopback: Mosquitto or HiveMQ CE, behind one interface so that a test can run
 * against either (see {@link MqttBrokerKind}).
 *
 * <p>Both brokers accept MQTT 3.1.1 and 5, keep a persistent session (session expiry) while they
 * run, split a shared subscription ({@code $share/group/filter}) between its members, and enforce
 * the device ACL of {@link MqttBrokerOptions} when it is on: an MQTT 5 publish outside the client's
 * subtree gets a PUBACK with NOT_AUTHORIZED. They differ in
 *
 * <ul>
 *   <li>what survives a restart: see {@link #keepsSessionsAcrossRestart()};
 *   <li>what follows a refused publish: Mosquitto keeps the client connected, HiveMQ sends a
 *       DISCONNECT (NOT_AUTHORIZED) after the PUBACK;
 *   <li>a subscription outside the client's subtree: Mosquitto grants it and delivers nothing the
 *       client may not read, HiveMQ refuses it in the SUBACK (NOT_AUTHORIZED).
 * </ul>
 *
 * <pre>{@code
 * try (MqttBroker broker = MqttBrokerKind.MOSQUITTO.create(ServerOptions.defaults())) {
 *   broker.start();
 *   Mqtt5Client.builder().serverHost(broker.host()).serverPort(broker.port())...
 * }
 * }</pre>
 */
public interface MqttBroker extends LocalServer {

  /** The address brokers listen on unless their options say otherwise. */
  String HOST = "127.0.0.1";

  /** Which broker this is. */
  MqttBrokerKind kind();

  /** The ACL, credentials and limits the broker was created with. */
  MqttBrokerOptions brokerOptions();

  /** The address of the MQTT listener: {@value #HOST} unless the options said otherwise. */
  String host();

  /**
   * The port of the plain listener; it stays the same across restarts.
   *
   * @throws IllegalStateException on a secure broker, which has no plain listener
   */
  default int port() {
    if (!brokerOptions().listeners().contains(MqttListener.PLAIN)) {
      throw new IllegalStateException(
          "a secure broker has no plain listener: use port(MqttListener.TLS) and the others");
    }
    return port(MqttListener.PLAIN);
  }

  /**
   * The port of a listener the broker opens ({@link MqttBrokerOptions#listeners()}); it stays the
   * same across restarts.
   *
   * @throws IllegalArgumentException for a listener this broker does not open
   */
  int port(MqttListener listener);

  /** The plain listener as a URI, {@code tcp://HOST:PORT}, as Paho-style clients want it. */
  default String uri() {
    return uri(MqttListener.PLAIN);
  }

  /** A listener as a URI: {@code ssl://HOST:PORT}, {@code wss://HOST:PORT/mqtt}. */
  default String uri(MqttListener listener) {
    return listener.uri(host(), port(listener));
  }

  /**
   * Makes the broker read its revocation list and the per-device secrets again ({@link BrokerTls}),
   * for connections made from now on; connected clients stay connected. Mosquitto re-reads them on
   * {@code SIGHUP}; HiveMQ's extension reads them again whenever they change, so this does nothing
   * there. Does nothing on a broker without TLS or one that is not running.
   */
  void reloadIdentities();

  /**
   * Whether persistent sessions, their subscriptions, their queued QoS 1/2 messages and retained
   * messages survive {@link #stop()} and {@link #start()}, and {@link #kill()} and {@link #start()}
   * for what is older than {@link #unsavedWindow()}. Both brokers save their state in {@link
   * #dataDir()}. Mosquitto saves only the sessions of clients that connected with clean start off:
   * Mosquitto 2.0 does not save a session begun with clean start, whatever its expiry.
   */
  boolean keepsSessionsAcrossRestart();

  /**
   * How long a change the broker acknowledged (a PUBACK for a message queued for an offline
   * session, a retained message, a subscription) may stay only in its memory: a {@code kill -9}
   * loses at most what changed within this long before it, a graceful {@link #stop()} nothing.
   * Mosquitto saves its whole state every second ({@code autosave_interval 1}), so up to about 2 s;
   * HiveMQ CE writes each change to its file persistence as it happens.
   */
  Duration unsavedWindow();
}
