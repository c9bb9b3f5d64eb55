package org.iotbackbone.localstack.internal.fuzz;

import java.util.List;
import org.iotbackbone.ingestbridge.IngestBridge;

/**
 * What the platform must do with a publish, decided before it is sent, from the contract's rules:
 * the broker's ACL ({@code devices/%c/#}: a client publishes only under its own id) and the
 * bridge's subscriptions (the uplink topics). The fuzzer checks each input against its fate.
 */
enum MqttFate {
  /** The bridge receives it: a record or a dead letter with a reason must be in Kafka. */
  BRIDGE,
  /** Outside the client's own tree with the ACL on: the broker refuses it (NOT_AUTHORIZED). */
  ACL_REFUSED,
  /** Allowed, but no subscriber's filter matches it: the broker delivers it to nobody. */
  NO_SUBSCRIBER;

  /**
   * The bridge's filters. Taken from the bridge itself, so the rule is written once: a filter the
   * bridge adds is a topic the fuzzer then expects in Kafka.
   */
  private static final List<String> BRIDGE_FILTERS = IngestBridge.UPLINK_TOPIC_FILTERS;

  static MqttFate of(String topic, String clientId, boolean aclEnforced) {
    if (aclEnforced && !matches("devices/" + clientId + "/#", topic)) {
      return ACL_REFUSED;
    }
    for (String filter : BRIDGE_FILTERS) {
      if (matches(filter, topic)) {
        return BRIDGE;
      }
    }
    return NO_SUBSCRIBER;
  }

  /**
   * MQTT filter matching ({@code +} one level, {@code #} the rest, including the parent level);
   * topics starting with {@code $} match no filter that starts with a wildcard.
   */
  static boolean matches(String filter, String topic) {
    if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
      return false;
    }
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return true;
      }
      if (i >= t.length) {
        return false;
      }
      if (!f[i].equals("+") && !f[i].equals(t[i])) {
        return false;
      }
    }
    return f.length == t.length;
  }
}
