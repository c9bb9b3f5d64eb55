package org.iotbackbone.connectors;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.iotbackbone.connectors.internal.Sessions;

/**
 * The keyspace and tables of the sink, from the CQL files in this jar ({@code cql/keyspace.cql},
 * {@code cql/tables.cql}, the same files as in the plugin archive's {@code cql/} folder). Applied
 * by an operator with {@code cqlsh}, by the connector when {@value ScyllaSinkConfig#SCHEMA_CREATE}
 * is true, or from the command line:
 *
 * <pre>
 * java -cp 'iot-scylla-sink/lib/*' org.iotbackbone.connectors.CqlSchema connector.properties
 * </pre>
 *
 * <p>Every statement is {@code IF NOT EXISTS}: applying twice changes nothing.
 */
public final class CqlSchema {

  private static final Duration DDL_TIMEOUT = Duration.ofMinutes(2);

  private CqlSchema() {}

  /** Creates the keyspace (with the configured replication) and the tables when missing. */
  public static void apply(CqlSession session, ScyllaSinkConfig config) {
    ddl(
        session,
        "CREATE KEYSPACE IF NOT EXISTS "
            + config.keyspace()
            + " WITH replication = "
            + config.schemaReplication()
            + " AND durable_writes = true");
    for (String statement :
        tableStatements(
            config.keyspace(),
            config.shadowsTable(),
            config.eventsTable(),
            config.eventsIdsTable())) {
      ddl(session, statement);
    }
  }

  /** Schema changes wait for every node to agree: far longer than a write's timeout. */
  private static void ddl(CqlSession session, String statement) {
    session.execute(SimpleStatement.newInstance(statement).setTimeout(DDL_TIMEOUT));
  }

  /**
   * The statements of {@code cql/tables.cql}, with the tables in {@code keyspace} and named as
   * configured.
   */
  public static List<String> tableStatements(
      String keyspace, String shadowsTable, String eventsTable, String eventIdsTable) {
    String text = resource("cql/tables.cql");
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n")) {
      if (line.strip().startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (line.strip().endsWith(";")) {
        String statement = current.toString().strip();
        statements.add(statement.substring(0, statement.length() - 1));
        current.setLength(0);
      }
    }
    Map<String, String> names = new HashMap<>();
    names.put("shadows", shadowsTable);
    names.put("device_events", eventsTable);
    names.put("device_event_ids", eventIdsTable);
    return statements.stream()
        .map(
            s -> {
              for (var name : names.entrySet()) {
                s =
                    s.replace(
                        "CREATE TABLE IF NOT EXISTS " + name.getKey() + " ",
                        "CREATE TABLE IF NOT EXISTS " + keyspace + "." + name.getValue() + " ");
              }
              return s;
            })
        .toList();
  }

  /** A file of this jar, as text. */
  public static String resource(String path) {
    try (InputStream in =
        Objects.requireNonNull(CqlSchema.class.getClassLoader().getResourceAsStream(path), path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Applies the schema with the settings of a connector properties file. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: CqlSchema CONNECTOR.properties (the sink's scylla.* settings)");
      System.exit(2);
    }
    java.util.Properties properties = new java.util.Properties();
    try (InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(args[0]))) {
      properties.load(in);
    }
    Map<String, String> props = new HashMap<>();
    properties.stringPropertyNames().forEach(k -> props.put(k, properties.getProperty(k)));
    ScyllaSinkConfig config = new ScyllaSinkConfig(props);
    try (CqlSession session = Sessions.open(config)) {
      apply(session, config);
    }
    System.out.println("applied keyspace " + config.keyspace() + " and its tables");
  }
}
