package org.iotbackbone.servers;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.iotbackbone.servers.junit.SharedServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CQL server, with the ScyllaDB driver: data round-trips, and write timestamps decide which
 * write wins, as the ScyllaDB sink relies on.
 *
 * <p>On the build's shared server (which this module is the first to start), not one of its own: a
 * Cassandra start takes 1-5 minutes here, and a crash-and-restart test of its own took 446 s of a
 * 20-minute build. Restarting at the same address is {@code ProcessBackedServer}'s, tested with
 * Kafka (ingest-bridge's {@code KafkaOutageIT}) and Mosquitto ({@code MqttBrokerIT}); no test of
 * the project restarts Cassandra.
 */
class CqlServerIT {

  private static CqlSession session;

  @BeforeAll
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  static void connect() {
    CqlServer server = SharedServers.cql();
    session = connect(server);
    session.execute(
        "CREATE KEYSPACE IF NOT EXISTS it WITH replication ="
            + " {'class': 'SimpleStrategy', 'replication_factor': 1}");
  }

  @AfterAll
  static void disconnect() {
    if (session != null) {
      session.close();
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void rowsRoundTrip() {
    session.execute(
        "CREATE TABLE IF NOT EXISTS it.devices (device_id text PRIMARY KEY, state text)");
    PreparedStatement insert =
        session.prepare("INSERT INTO it.devices (device_id, state) VALUES (?, ?)");
    Map<String, String> written = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      written.put("device-" + i, "{\"temperature\":" + i + "}");
    }
    written.forEach((device, state) -> session.execute(insert.bind(device, state)));

    assertThat(devices()).isEqualTo(written);
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void anOlderWriteNeverOverwritesANewerOne() {
    session.execute(
        "CREATE TABLE IF NOT EXISTS it.shadows (device_id text PRIMARY KEY, document text)");
    String upsert =
        "INSERT INTO it.shadows (device_id, document) VALUES ('d1', ?) USING TIMESTAMP ?";
    String delete = "DELETE FROM it.shadows USING TIMESTAMP ? WHERE device_id = 'd1'";

    session.execute(session.prepare(upsert).bind("version 2", 2_000L));
    // A replayed older write, then an older delete: both lose to the newer write.
    session.execute(session.prepare(upsert).bind("version 1", 1_000L));
    session.execute(session.prepare(delete).bind(1_500L));
    assertThat(document("d1")).isEqualTo("version 2");
    assertThat(writeTime("d1")).isEqualTo(2_000L);

    // Newer writes and deletes do win.
    session.execute(session.prepare(upsert).bind("version 3", 3_000L));
    assertThat(document("d1")).isEqualTo("version 3");
    session.execute(session.prepare(delete).bind(4_000L));
    assertThat(session.execute("SELECT * FROM it.shadows WHERE device_id = 'd1'").one()).isNull();
  }

  private static CqlSession connect(CqlServer server) {
    return CqlSession.builder()
        .addContactPoint(server.contactPoint())
        .withLocalDatacenter(server.localDatacenter())
        .withConfigLoader(
            DriverConfigLoader.programmaticBuilder()
                // Build machines are shared and slow; a CREATE TABLE flushes a dozen tables.
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(60))
                .withDuration(
                    DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                .withDuration(
                    DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, Duration.ofSeconds(10))
                .build())
        .build();
  }

  private static Map<String, String> devices() {
    Map<String, String> rows = new HashMap<>();
    for (Row row : session.execute("SELECT device_id, state FROM it.devices")) {
      rows.put(row.getString("device_id"), row.getString("state"));
    }
    return rows;
  }

  private static String document(String deviceId) {
    return session
        .execute(
            session.prepare("SELECT document FROM it.shadows WHERE device_id = ?").bind(deviceId))
        .one()
        .getString("document");
  }

  private static long writeTime(String deviceId) {
    return session
        .execute(
            session
                .prepare(
                    "SELECT WRITETIME(document) AS written FROM it.shadows WHERE device_id = ?")
                .bind(deviceId))
        .one()
        .getLong("written");
  }
}
