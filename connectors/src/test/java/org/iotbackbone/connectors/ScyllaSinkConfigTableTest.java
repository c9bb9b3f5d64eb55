package org.iotbackbone.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.iotbackbone.schemas.config.ConfigTable;
import org.junit.jupiter.api.Test;

/** The connector's settings make a README table in the platform's one format (no environment). */
class ScyllaSinkConfigTableTest {

  @Test
  void everyKeyIsARowAndPasswordsShowNoDefault() {
    String table = ConfigTable.markdown(ScyllaSinkConfig.CONFIG_DEF, Optional.empty());

    assertThat(table.lines().count()).isEqualTo(2 + ScyllaSinkConfig.CONFIG_DEF.names().size());
    assertThat(table.lines().findFirst())
        .contains("| Key | Type | Default | Valid values | Description |");
    assertThat(table)
        .contains("| `" + ScyllaSinkConfig.CONTACT_POINTS + "` | list | required |")
        .contains("| `" + ScyllaSinkConfig.PASSWORD + "` | password | [hidden] |")
        .contains("| `" + ScyllaSinkConfig.TLS_TRUSTSTORE_PASSWORD + "` | password | [hidden] |")
        .doesNotContain("kafka.*");
  }
}
