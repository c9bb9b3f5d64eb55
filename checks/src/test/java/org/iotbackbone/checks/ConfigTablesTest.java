package org.iotbackbone.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigDef;
import org.iotbackbone.connectors.ScyllaSinkConfig;
import org.iotbackbone.ingestbridge.BridgeConfig;
import org.iotbackbone.schemas.config.ConfigTable;
import org.iotbackbone.schemas.config.EnvironmentRule;
import org.iotbackbone.simulator.Scenario;
import org.iotbackbone.streamsapp.StreamsAppConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every module README's config table is the one its {@link ConfigDef} gives ({@link ConfigTable}):
 * the text between {@value #BEGIN} and {@value #END} must equal the generated table. Run with
 * {@code -Dconfig.tables.update=true} to rewrite the sections instead ({@code ./mvnw -pl checks -am
 * test -Dtest=ConfigTablesTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dconfig.tables.update=true}).
 */
class ConfigTablesTest {

  static final String BEGIN = "<!-- config-table:begin -->";
  static final String END = "<!-- config-table:end -->";

  static Stream<Arguments> services() {
    return Stream.of(
        Arguments.of(
            "ingest-bridge/README.md",
            BridgeConfig.configDef(),
            Optional.of(BridgeConfig.environmentRule())),
        Arguments.of(
            "streams-app/README.md",
            StreamsAppConfig.configDef(),
            Optional.of(StreamsAppConfig.environmentRule())),
        Arguments.of("connectors/README.md", ScyllaSinkConfig.CONFIG_DEF, Optional.empty()),
        Arguments.of(
            "device-simulator/README.md",
            Scenario.configDef(),
            Optional.of(Scenario.environmentRule())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("services")
  void theReadmeTableIsTheConfigDefs(
      String readme, ConfigDef definition, Optional<EnvironmentRule> environment)
      throws IOException {
    Path file = repoRoot().resolve(readme);
    if (!Files.isRegularFile(file)) {
      fail(
          readme
              + " is missing: it must show the service's config table between "
              + BEGIN
              + " and "
              + END);
    }
    String text = Files.readString(file);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    if (begin < 0 || end < begin) {
      fail(readme + " lacks the markers " + BEGIN + " and " + END + " around its config table");
    }
    String generated = "\n" + ConfigTable.markdown(definition, environment);
    String current = text.substring(begin + BEGIN.length(), end);
    if (Boolean.getBoolean("config.tables.update")) {
      Files.writeString(
          file, text.substring(0, begin + BEGIN.length()) + generated + text.substring(end));
      return;
    }
    assertThat(current)
        .as("the config table of %s (regenerate it with -Dconfig.tables.update=true)", readme)
        .isEqualTo(generated);
  }

  private static Path repoRoot() {
    String root = System.getProperty("iotbackbone.repoRoot");
    assertThat(root)
        .as("system property iotbackbone.repoRoot (set by checks/pom.xml)")
        .isNotBlank();
    return Path.of(root);
  }
}
