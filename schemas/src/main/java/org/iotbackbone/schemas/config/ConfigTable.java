package org.iotbackbone.schemas.config;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * A service's settings as a Markdown table, made from its {@link ConfigDef} so that a README's
 * table cannot drift from the code: key, environment variable (when the service reads the
 * environment), type, default, valid values and description, in the order of the definition. A
 * password's default is not shown.
 */
public final class ConfigTable {

  private ConfigTable() {}

  /**
   * The table of {@code definition}; with an environment rule, a column of variables and a last row
   * for the {@code kafka.*} pass-through.
   */
  public static String markdown(ConfigDef definition, Optional<EnvironmentRule> environment) {
    StringBuilder table = new StringBuilder();
    boolean env = environment.isPresent();
    row(
        table,
        env
            ? List.of(
                "Key", "Environment variable", "Type", "Default", "Valid values", "Description")
            : List.of("Key", "Type", "Default", "Valid values", "Description"));
    row(
        table,
        env
            ? List.of("---", "---", "---", "---", "---", "---")
            : List.of("---", "---", "---", "---", "---"));
    for (ConfigKey key : definition.configKeys().values()) {
      String validValues = key.validator == null ? "" : code(describe(key));
      String type = key.type.name().toLowerCase(java.util.Locale.ROOT);
      String doc = key.documentation == null ? "" : key.documentation;
      row(
          table,
          env
              ? List.of(
                  code(key.name),
                  code(environment.get().variableOf(key.name)),
                  type,
                  defaultOf(key),
                  validValues,
                  doc)
              : List.of(code(key.name), type, defaultOf(key), validValues, doc));
    }
    if (env) {
      row(
          table,
          List.of(
              code(KafkaClientSettings.PREFIX + "*"),
              code(environment.get().kafkaVariablePattern()),
              "",
              "",
              "any Kafka client setting but "
                  + KafkaClientSettings.RESERVED.stream()
                      .sorted()
                      .collect(Collectors.joining(", ")),
              "Handed without the prefix to every Kafka client of the service (producers,"
                  + " consumers, admin, Streams), over the service's own defaults: TLS, SASL,"
                  + " tuning. In the environment, KAFKA_SECURITY_PROTOCOL is"
                  + " kafka.security.protocol (lower case, _ as .): a dash cannot be written"
                  + " there, the properties file spells the key exactly."));
    }
    return table.toString();
  }

  private static String defaultOf(ConfigKey key) {
    if (!key.hasDefault()) {
      return "required";
    }
    if (key.type == Type.PASSWORD && key.defaultValue != null) {
      return "[hidden]";
    }
    Object value = key.defaultValue;
    if (value == null) {
      return "null";
    }
    String text =
        value instanceof List<?> list
            ? list.stream().map(String::valueOf).collect(Collectors.joining(","))
            : value.toString();
    return text.isEmpty() ? "\"\"" : code(text);
  }

  private static String code(String text) {
    return "`" + text + "`";
  }

  private static void row(StringBuilder table, List<String> cells) {
    table.append('|');
    for (String cell : cells) {
      table.append(' ').append(cell.replace("|", "\\|").replace('\n', ' ').strip()).append(" |");
    }
    table.append('\n');
  }

  /**
   * What a key's validator accepts. A lambda or an anonymous class without {@code toString} would
   * print as {@code Class$$Lambda@1f2e}, different in every run: refused, naming the key.
   */
  private static String describe(ConfigDef.ConfigKey key) {
    String text = key.validator.toString();
    if (text.matches(".*(\\$\\$Lambda|\\$[0-9]+@|@[0-9a-f]{4,}$).*")) {
      throw new IllegalStateException(
          "the validator of " + key.name + " does not say what it accepts (toString): " + text);
    }
    return text;
  }
}
