package org.iotbackbone.schemas.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigException;

/**
 * What every Kafka client of a service is given: the brokers and the operator's {@code kafka.*}
 * settings.
 *
 * <p>Any setting {@code kafka.X} of a service (such as {@code kafka.security.protocol}, {@code
 * kafka.ssl.truststore.location}, {@code kafka.sasl.jaas.config} or {@code kafka.linger.ms}) is
 * handed as {@code X} to every producer, consumer, admin client and Kafka Streams instance the
 * service makes, after the service's own defaults, so that the operator's value wins: this is how
 * TLS and SASL reach every client. A client ignores (and logs) a setting that is not its own. The
 * settings that give a client its identity ({@link #RESERVED}) are the service's and are refused.
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers}
 * @param overrides the {@code kafka.*} settings without the prefix
 */
public record KafkaClientSettings(String bootstrapServers, Map<String, Object> overrides) {

  /** The prefix of the settings passed through to the clients. */
  public static final String PREFIX = "kafka.";

  /**
   * Client settings a service sets itself: the brokers have their own setting ({@code
   * bootstrap.servers}), and a group or application id passed to every client would merge consumers
   * that must stay apart.
   */
  public static final Set<String> RESERVED =
      Set.of("bootstrap.servers", "group.id", "application.id", "transactional.id");

  public KafkaClientSettings {
    overrides = Map.copyOf(overrides);
  }

  /**
   * The brokers and the {@code kafka.*} entries of a service's settings (other entries are
   * ignored).
   *
   * @throws ConfigException naming a {@code kafka.*} key that is empty or {@link #RESERVED}
   */
  public static KafkaClientSettings of(String bootstrapServers, Map<String, ?> settings) {
    Map<String, Object> overrides = new TreeMap<>();
    settings.forEach(
        (key, value) -> {
          if (isPassThrough(key)) {
            overrides.put(clientKey(key), value);
          }
        });
    return new KafkaClientSettings(bootstrapServers, overrides);
  }

  /** Whether a key is a {@code kafka.*} setting. */
  public static boolean isPassThrough(String key) {
    return key.startsWith(PREFIX);
  }

  /**
   * The client's name of a {@code kafka.*} key, checked.
   *
   * @throws ConfigException naming the key when it is empty or {@link #RESERVED}
   */
  public static String clientKey(String key) {
    String name = key.substring(PREFIX.length());
    if (name.isEmpty()) {
      throw new ConfigException("Setting '" + key + "' names no Kafka client setting");
    }
    if (RESERVED.contains(name)) {
      throw new ConfigException(
          "Setting '"
              + key
              + "' is set by the service itself"
              + (name.equals("bootstrap.servers") ? ": use bootstrap.servers" : ""));
    }
    return name;
  }

  /**
   * The {@code kafka.*} settings for a log line, the values of those that may hold a secret (a
   * password, key or JAAS configuration) masked.
   */
  public Map<String, String> describe() {
    Map<String, String> out = new TreeMap<>();
    overrides.forEach(
        (key, value) ->
            out.put(
                PREFIX + key,
                key.matches(".*(password|secret|jaas|key|credentials).*")
                    ? "[hidden]"
                    : String.valueOf(value)));
    return out;
  }

  /**
   * A client's configuration: the service's {@code defaults}, the brokers, then the operator's
   * settings over them.
   */
  public Map<String, Object> config(Map<String, ?> defaults) {
    Map<String, Object> config = new HashMap<>(defaults);
    config.put("bootstrap.servers", bootstrapServers);
    config.putAll(overrides);
    return config;
  }
}
