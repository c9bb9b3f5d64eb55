package org.iotbackbone.servers;

import java.util.Objects;

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
 * client may do anything and credentials are not checked.
 *
 * @param acl whether the broker enforces the device rule ({@value #DEVICE_ACL_PATTERN})
 * @param backendUsername the user name of the back-end client
 * @param backendPassword its password; the defaults are meant for tests only
 * @param maxQueuedMessages how many QoS 1/2 messages the broker keeps per client (offline or with a
 *     full in-flight window) before it drops new ones; both brokers default to 1,000, too few for a
 *     bridge that is stopped for a moment under load
 * @param maxInflightMessages how many QoS 1/2 messages may be unacknowledged at once on a
 *     connection (the broker's receive maximum, and Mosquitto's outgoing window)
 */
public record MqttBrokerOptions(
    boolean acl,
    String backendUsername,
    String backendPassword,
    int maxQueuedMessages,
    int maxInflightMessages) {

  /** What a device may publish and subscribe to, {@code %c} standing for its client id. */
  public static final String DEVICE_ACL_PATTERN = "devices/%c/#";

  /** What the back-end client may publish and subscribe to. */
  public static final String BACKEND_ACL_FILTER = "devices/#";

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

    public MqttBrokerOptions build() {
      return new MqttBrokerOptions(
          acl, backendUsername, backendPassword, maxQueuedMessages, maxInflightMessages);
    }
  }
}
