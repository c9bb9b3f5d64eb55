package org.iotbackbone.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.junit.jupiter.api.Test;

class ConfigTableTest {

  static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(
              "bootstrap.servers",
              Type.LIST,
              ConfigDef.NO_DEFAULT_VALUE,
              Importance.HIGH,
              "The brokers.")
          .define("http.port", Type.INT, 8080, Range.between(0, 65535), Importance.LOW, "A | port.")
          .define("mqtt.password", Type.PASSWORD, "s3cret", Importance.LOW, "Its password.")
          .define("mqtt.username", Type.STRING, "", Importance.LOW, "A user.")
          .define("topics", Type.LIST, List.of("a", "b"), Importance.LOW, "Topics.");

  @Test
  void aValidatorThatCannotSayWhatItAcceptsIsRefusedNamingTheKey() {
    ConfigDef.Validator silent = (name, value) -> {};
    ConfigDef definition =
        new ConfigDef().define("table.name", Type.STRING, "t", silent, Importance.LOW, "A table.");

    assertThatThrownBy(() -> ConfigTable.markdown(definition, Optional.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("table.name");
  }

  @Test
  void withTheEnvironmentEveryKeyIsARowWithItsVariable() {
    String table = ConfigTable.markdown(DEFINITION, Optional.of(new EnvironmentRule("IOT_T_")));
    List<String> lines = table.lines().toList();

    assertThat(lines.get(0))
        .isEqualTo("| Key | Environment variable | Type | Default | Valid values | Description |");
    assertThat(lines.get(2))
        .isEqualTo(
            "| `bootstrap.servers` | `IOT_T_BOOTSTRAP_SERVERS` | list | required |  | The brokers. |");
    assertThat(lines.get(3))
        .isEqualTo(
            "| `http.port` | `IOT_T_HTTP_PORT` | int | `8080` | `[0,...,65535]` | A \\| port. |");
    assertThat(lines.get(4)).contains("[hidden]").doesNotContain("s3cret");
    assertThat(lines.get(5)).contains("| \"\" |");
    assertThat(lines.get(6)).contains("| `a,b` |");
    assertThat(lines.get(7)).startsWith("| `kafka.*` | `IOT_T_KAFKA_*` |");
    assertThat(lines).hasSize(8);
  }

  @Test
  void withoutTheEnvironmentThereIsNoVariableColumnNorPassThroughRow() {
    String table = ConfigTable.markdown(DEFINITION, Optional.empty());
    List<String> lines = table.lines().toList();

    assertThat(lines.get(0)).isEqualTo("| Key | Type | Default | Valid values | Description |");
    assertThat(lines.get(3))
        .isEqualTo("| `http.port` | int | `8080` | `[0,...,65535]` | A \\| port. |");
    assertThat(table).doesNotContain("kafka.*");
    assertThat(lines).hasSize(7);
  }
}
