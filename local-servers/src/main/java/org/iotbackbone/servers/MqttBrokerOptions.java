package org.iotbackbone.servers;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an {@link MqttBroker} enforces and how much it buffers, the same for every {@link
 * MqttBrokerKind}. Immutable; built with {@link #builder()}.
 *
 * <p>With {@link #acl()} on, the broker applies the rule of the design: a device (any client
 * without the back-end credentials) may publish and receive only under {@code devices/{its client
 * id}/}, while the back-end client — the ingest bridge, which logs in with {@link
 * #backendUsername()} and {@link #backendPassword()} — may publish and subscribe anywhere under
 * {@code devices/}, shared subscriptions included. Devices connect without credentials; a client
 * that names the back-end user with a wrong password is refused. With {@link #acl()} off, every
 * client may do anything and credentials are not checked. That is the insecure development mode:
 * one plain, anonymous listener ({@link MqttListener#PLAIN}).
 *
 * <p>With {@link #tls()} the broker is secure, as deployed: no plain listener, and devices prove
 * their id with a certificate of the device CA (or a per-device secret) on the listeners of {@link
 * MqttListener}; the ACL is then always on, {@code %c} standing for the authenticated id, and the
 * back end is the client certificate {@link BrokerTls#backendIdentity()} on {@link
 * MqttListener#BACKEND}, not a password.
 *
 * @param acl whether the broker enforces the device rule ({@value #DEVICE_ACL_PATTERN})
 * @param backendUsername the user name of the back-end client
 * @param backendPassword its password; the defaults are meant for tests only
 * @param maxQueuedMessages how many QoS 1/2 messages the broker keeps per client (offline or with a
 *     full in-flight window) before it drops new ones; both brokers default to 1,000, too few for a
 *     bridge that is stopped for a moment under load
 * @param maxInflightMessages how many QoS 1/2 messages may be unacknowledged at once on a
 *     connection (the broker's receive maximum, and Mosquitto's outgoing window)
 * @param tls the secure listeners' material, or empty for the plain development listener
 */
public record MqttBrokerOptions(
    boolean acl,
    String backendUsername,
    String backendPassword,
    int maxQueuedMessages,
    int maxInflightMessages,
    Optional<BrokerTls> tls) {

  /** What a device may publish and subscribe to, {@code %c} standing for its client id. */
  public static final String DEVICE_ACL_PATTERN = "devices/%c/#";

  /** What the back-end client may publish and subscribe to on the plain listener. */
  public static final String BACKEND_ACL_FILTER = "devices/#";

  /**
   * What the back end may receive on a secure broker (subscribe to, shared or not): the uplink
   * topics of the design's table ("MQTT topics"), jobs included, and nothing a device is sent.
   */
  public static final List<String> BACKEND_SUBSCRIBE_FILTERS =
      List.of(
          "devices/+/events/#",
          "devices/+/presence",
          "devices/+/shadow/update",
          "devices/+/shadow/get",
          "devices/+/shadow/delete",
          "devices/+/shadow/name/+/update",
          "devices/+/shadow/name/+/get",
          "devices/+/shadow/name/+/delete",
          "devices/+/commands/+/ack",
          "devices/+/jobs/start-next",
          "devices/+/jobs/+/get",
          "devices/+/jobs/+/update");

  /**
   * The one other thing the back end may read, on every listener of a Mosquitto with an ACL: the
   * broker's statistics, which the bridge turns into {@code mqtt_broker_*} metrics. Not the rest of
   * {@code $SYS} (there is none beyond {@code $SYS/broker/} in Mosquitto 2.0, and a newer one's
   * would need a decision). Not among {@link #BACKEND_SUBSCRIBE_FILTERS}, which are the uplink
   * topics the bridge shares among its instances; HiveMQ CE has no {@code $SYS}.
   */
  public static final String BACKEND_SYS_FILTER = "$SYS/broker/#";

  /**
   * What the back end may publish on a secure broker: the downlink topics of the design's table, so
   * that not even the bridge can forge a device's own messages.
   */
  public static final List<String> BACKEND_PUBLISH_FILTERS =
      List.of(
          "devices/+/commands",
          "devices/+/shadow/+/accepted",
          "devices/+/shadow/+/rejected",
          "devices/+/shadow/update/delta",
          "devices/+/shadow/update/documents",
          "devices/+/shadow/name/+/+/accepted",
          "devices/+/shadow/name/+/+/rejected",
          "devices/+/shadow/name/+/update/delta",
          "devices/+/shadow/name/+/update/documents",
          "devices/+/jobs/notify-next",
          "devices/+/jobs/+/accepted",
          "devices/+/jobs/+/rejected",
          "devices/+/jobs/+/+/accepted",
          "devices/+/jobs/+/+/rejected");

  public MqttBrokerOptions {
    Objects.requireNonNull(backendUsername, "backendUsername");
    Objects.requireNonNull(backendPassword, "backendPassword");
    if (backendUsername.isEmpty() || backendUsername.contains(":")) {
      throw new IllegalArgumentException(
          "backendUsername must be non-empty and without ':': '" + backendUsername + "'");
    }
    if (backendPassword.isEmpty()) {
      throw new IllegalArgumentException("backendPassword must not be empty");
    }
    if (maxQueuedMessages < 1) {
      throw new IllegalArgumentException("maxQueuedMessages must be >= 1: " + maxQueuedMessages);
    }
    if (maxInflightMessages < 1 || maxInflightMessages > 65_535) {
      throw new IllegalArgumentException(
          "maxInflightMessages must be in 1..65535: " + maxInflightMessages);
    }
    Objects.requireNonNull(tls, "tls");
    if (tls.isPresent() && !acl) {
      throw new IllegalArgumentException(
          "a broker with TLS always enforces the ACL: acl must be on");
    }
  }

  /** The listeners the broker opens: {@link MqttListener#PLAIN} alone, or the four secure ones. */
  public Set<MqttListener> listeners() {
    return tls.isPresent()
        ? EnumSet.complementOf(EnumSet.of(MqttListener.PLAIN))
        : EnumSet.of(MqttListener.PLAIN);
  }

  /** Like the record's, without the password. */
  @Override
  public String toString() {
    return "MqttBrokerOptions[acl="
        + acl
        + ", backendUsername="
        + backendUsername
        + ", maxQueuedMessages="
        + maxQueuedMessages
        + ", maxInflightMessages="
        + maxInflightMessages
        + ", tls="
        + tls.isPresent()
        + "]";
  }

  /** The defaults: no ACL, 100,000 queued and 100 in-flight messages per client. */
  public static MqttBrokerOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link MqttBrokerOptions}. */
  public static final class Builder {
    private boolean acl;
    private String backendUsername = "iot-backend";
    private String backendPassword = "iot-backend-secret";
    private int maxQueuedMessages = 100_000;
    private int maxInflightMessages = 100;
    private BrokerTls tls;

    private Builder() {}

    /** Turns the device ACL ({@value MqttBrokerOptions#DEVICE_ACL_PATTERN}) on or off. */
    public Builder acl(boolean acl) {
      this.acl = acl;
      return this;
    }

    /** The credentials of the back-end client that may use all of {@code devices/#}. */
    public Builder backendCredentials(String username, String password) {
      this.backendUsername = username;
      this.backendPassword = password;
      return this;
    }

    public Builder maxQueuedMessages(int maxQueuedMessages) {
      this.maxQueuedMessages = maxQueuedMessages;
      return this;
    }

    public Builder maxInflightMessages(int maxInflightMessages) {
      this.maxInflightMessages = maxInflightMessages;
      return this;
    }

    /** Makes the broker secure (see {@link MqttBrokerOptions#tls()}); turns the ACL on. */
    public Builder tls(BrokerTls tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      this.acl = true;
      return this;
    }

    public MqttBrokerOptions build() {
      return new MqttBrokerOptions(
          acl,
          backendUsername,
          backendPassword,
          maxQueuedMessages,
          maxInflightMessages,
          Optional.ofNullable(tls));
    }
  }
}
