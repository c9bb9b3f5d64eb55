package org.iotbackbone.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CqlSchemaTest {

  @Test
  void theTablesFileIsThreeStatementsInTheConfiguredKeyspaceAndNames() {
    List<String> statements = CqlSchema.tableStatements("fleet", "state", "archive", "firsts");
    assertThat(statements).hasSize(3);
    assertThat(statements.get(0)).startsWith("CREATE TABLE IF NOT EXISTS fleet.state (");
    assertThat(statements.get(1)).startsWith("CREATE TABLE IF NOT EXISTS fleet.archive (");
    assertThat(statements.get(2)).startsWith("CREATE TABLE IF NOT EXISTS fleet.firsts (");
    assertThat(statements).noneMatch(s -> s.contains("--") || s.endsWith(";"));
  }

  @Test
  void theKeyspaceFileIsForOperators() {
    assertThat(CqlSchema.resource("cql/keyspace.cql"))
        .contains("NetworkTopologyStrategy")
        .contains("CREATE KEYSPACE IF NOT EXISTS iot");
  }
}
