package org.iotbackbone.schemas.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Gathers a service's settings, the same way for every service: defaults (the {@link ConfigDef}'s)
 * under a properties file, under the environment ({@link EnvironmentRule}), under explicit
 * overrides. Keys are the {@code ConfigDef}'s plus {@code kafka.*} ({@link KafkaClientSettings});
 * any other key fails with a {@link ConfigException} that names it. The values are parsed and
 * validated by the service's {@code AbstractConfig}, which names the key of a bad one.
 */
public final class ConfigLoader {

  private final ConfigDef definition;
  private final EnvironmentRule environmentRule;

  /** A loader of the keys of {@code definition}, with variables under {@code envPrefix}. */
  public ConfigLoader(ConfigDef definition, String envPrefix) {
    this.definition = definition;
    this.environmentRule = new EnvironmentRule(envPrefix);
  }

  /** The rule this loader reads the environment by. */
  public EnvironmentRule environmentRule() {
    return environmentRule;
  }

  /**
   * The properties file to read: the one given (such as a command-line argument), else the one the
   * variable {@code PREFIX + "CONFIG"} names, else none.
   */
  public Optional<Path> configFile(Optional<Path> given, Map<String, String> environment) {
    return given.or(
        () ->
            Optional.ofNullable(environment.get(environmentRule.configFileVariable()))
                .filter(name -> !name.isBlank())
                .map(Path::of));
  }

  /**
   * The settings of a properties file (optional), the environment over it, and {@code overrides}
   * over both.
   *
   * @throws ConfigException naming an unknown key or variable, or an unreadable file
   */
  public Map<String, Object> load(
      Optional<Path> file, Map<String, String> environment, Map<String, ?> overrides) {
    return file.isPresent()
        ? load(readFile(file.get()), "config file " + file.get(), environment, overrides)
        : load(Map.of(), "no file", environment, overrides);
  }

  /**
   * The settings of {@code base} (such as a file the service found itself), the environment over
   * it, and {@code overrides} over both.
   *
   * @param where where {@code base} comes from, for the message of an unknown key
   * @throws ConfigException naming an unknown key or variable
   */
  public Map<String, Object> load(
      Map<String, ?> base,
      String where,
      Map<String, String> environment,
      Map<String, ?> overrides) {
    requireKnown(definition, base, where);
    Map<String, Object> settings = new TreeMap<>(base);
    Map<String, String> fromEnvironment = environmentRule.settings(definition, environment);
    requireKnown(definition, fromEnvironment, "the environment");
    settings.putAll(fromEnvironment);
    requireKnown(definition, overrides, "the settings given");
    settings.putAll(overrides);
    requireRequired(settings);
    return settings;
  }

  /**
   * Checks that every key without a default is set, and names all that are not at once. {@code
   * AbstractConfig} would check too, but one key at a time and without saying where an operator
   * sets it; this message names the variables.
   */
  private void requireRequired(Map<String, Object> settings) {
    List<String> missing = new ArrayList<>();
    for (ConfigDef.ConfigKey key : definition.configKeys().values()) {
      if (!key.hasDefault() && !settings.containsKey(key.name)) {
        missing.add(
            "'"
                + key.name
                + "' ("
                + environmentRule.variableOf(key.name)
                + "): "
                + key.documentation);
      }
    }
    if (!missing.isEmpty()) {
      throw new ConfigException(
          "Missing required settings, to set in the config file or the environment: "
              + String.join("; ", missing));
    }
  }

  /** The entries of a Java properties file, keys and values trimmed. */
  public static Map<String, String> readFile(Path file) {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    } catch (IOException e) {
      throw new ConfigException("Cannot read config file " + file + ": " + e);
    }
    Map<String, String> entries = new TreeMap<>();
    properties
        .stringPropertyNames()
        .forEach(key -> entries.put(key.trim(), properties.getProperty(key).trim()));
    return entries;
  }

  /**
   * Checks that every key is one of {@code definition}'s or a {@code kafka.*} key.
   *
   * @param where where the keys come from, for the message
   * @throws ConfigException naming the first unknown key
   */
  public static void requireKnown(ConfigDef definition, Map<String, ?> settings, String where) {
    for (String key : new TreeMap<>(settings).keySet()) {
      if (KafkaClientSettings.isPassThrough(key)) {
        KafkaClientSettings.clientKey(key);
      } else if (!definition.names().contains(key)) {
        throw new ConfigException(
            "Unknown setting '"
                + key
                + "' in "
                + where
                + "; known: "
                + definition.names()
                + " and "
                + KafkaClientSettings.PREFIX
                + "*");
      }
    }
  }
}
