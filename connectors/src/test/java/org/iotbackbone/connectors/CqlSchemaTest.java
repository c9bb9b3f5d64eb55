package org.iotbackbone.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CqlSchemaTest {

  @Test
  void theTablesFileIsTwoStatementsInTheConfiguredKeyspaceAndNames() {
    List<String> statements = CqlSchema.tableStatements("fleet", "state", "archive");
    assertThat(statements).hasSize(2);
    assertThat(statements.get(0)).startsWith("CREATE TABLE IF NOT EXISTS fleet.state (");
    assertThat(statements.get(1)).startsWith("CREATE TABLE IF NOT EXISTS fleet.archive (");
    assertThat(statements).noneMatch(s -> s.contains("--") || s.endsWith(";"));
  }

  @Test
  void theKeyspaceFileIsForOperators() {
    assertThat(CqlSchema.resource("cql/keyspace.cql"))
        .contains("NetworkTopologyStrategy")
        .contains("CREATE KEYSPACE IF NOT EXISTS iot");
  }
}
