package org.iotbackbone.schemas.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The one rule by which every service reads its settings from environment variables.
 *
 * <p>A declared setting {@code some.key-name} is read from {@code PREFIX + "SOME_KEY_NAME"}: the
 * key in upper case with {@code .} and {@code -} as {@code _}. {@code PREFIX + "CONFIG"} may name a
 * properties file. A Kafka client setting passed through ({@link KafkaClientSettings}) is read from
 * {@code PREFIX + "KAFKA_" + NAME}: {@code IOT_BRIDGE_KAFKA_SECURITY_PROTOCOL} is {@code
 * kafka.security.protocol}, the name in lower case with {@code _} as {@code .}. A variable cannot
 * express a dash in a Kafka key (none of Kafka's client settings has one); the properties file
 * spells the key exactly. Any other variable under the prefix is a mistake and fails.
 *
 * @param prefix the variables' prefix, such as {@code IOT_BRIDGE_}
 */
public record EnvironmentRule(String prefix) {

  private static final String KAFKA_VARIABLE = "KAFKA_";

  public EnvironmentRule {
    if (!prefix.matches("[A-Z][A-Z0-9_]*_")) {
      throw new IllegalArgumentException("a prefix is upper case and ends with _: " + prefix);
    }
  }

  /** The variable that sets a declared key: {@code mqtt.share.group} is {@code PREFIX_MQTT_...}. */
  public String variableOf(String key) {
    return prefix + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The variable that may name the properties file: {@code PREFIX + "CONFIG"}. */
  public String configFileVariable() {
    return prefix + "CONFIG";
  }

  /**
   * The variable that hands the Kafka client setting {@code clientKey} (such as {@code
   * sasl.jaas.config}) to the service: {@code PREFIX_KAFKA_SASL_JAAS_CONFIG}.
   */
  public String kafkaVariableOf(String clientKey) {
    return prefix + KAFKA_VARIABLE + clientKey.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** The variable form of the pass-through, {@code PREFIX_KAFKA_*}, for documentation. */
  public String kafkaVariablePattern() {
    return prefix + KAFKA_VARIABLE + "*";
  }

  /**
   * The settings the environment's variables under the prefix give, as keys of {@code definition}
   * or {@code kafka.*} keys.
   *
   * @throws ConfigException naming a variable under the prefix that is none of these
   */
  public Map<String, String> settings(ConfigDef definition, Map<String, String> environment) {
    Map<String, String> keyOfVariable = new LinkedHashMap<>();
    for (String key : definition.names()) {
      keyOfVariable.put(variableOf(key), key);
    }
    // Sorted, so that the first unknown variable reported does not depend on the map's order.
    Map<String, String> settings = new TreeMap<>();
    for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
      String name = variable.getKey();
      if (!name.startsWith(prefix) || name.equals(configFileVariable())) {
        continue;
      }
      String key = keyOfVariable.get(name);
      String rest = name.substring(prefix.length());
      if (key == null
          && rest.startsWith(KAFKA_VARIABLE)
          && rest.length() > KAFKA_VARIABLE.length()) {
        key =
            KafkaClientSettings.PREFIX
                + rest.substring(KAFKA_VARIABLE.length())
                    .toLowerCase(Locale.ROOT)
                    .replace('_', '.');
      }
      if (key == null) {
        throw new ConfigException(
            "Unknown environment variable "
                + name
                + ": no setting of this service is read from it (settings are "
                + prefix
                + "<KEY>, Kafka client settings "
                + kafkaVariablePattern()
                + ")");
      }
      settings.put(key, variable.getValue());
    }
    return settings;
  }
}
