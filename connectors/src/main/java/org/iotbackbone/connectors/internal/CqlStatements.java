package org.iotbackbone.connectors.internal;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iotbackbone.schemas.DeviceEvent;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.Presence;
import org.iotbackbone.schemas.ShadowDocument;

/**
 * The prepared statements of the sink and the writes made of them. Prepared statements carry the
 * partition key's position, so the driver routes every write to a replica of its partition
 * (token-aware, and shard-aware on ScyllaDB). Every write is idempotent (a replay writes the same
 * cells with the same timestamps), so the driver may retry it or send it speculatively.
 */
public final class CqlStatements {

  /** The shadow_name of the classic (unnamed) shadow; named shadows are never empty. */
  public static final String CLASSIC = "";

  private final PreparedStatement deleteDevice;
  private final PreparedStatement insertDevice;
  private final PreparedStatement insertShadow;
  private final PreparedStatement insertEvent;
  private final PreparedStatement claimEventId;
  private final ConsistencyLevel consistency;
  private final long timestampBase;
  private final int eventTtlSeconds;
  private final int eventBatchMaxRows;

  /**
   * Prepares the statements.
   *
   * @param eventTtlSeconds the TTL of archived events; 0 for the table's default
   */
  public CqlStatements(
      CqlSession session,
      String keyspace,
      String shadowsTable,
      String eventsTable,
      String eventIdsTable,
      String consistency,
      long timestampBase,
      int eventTtlSeconds,
      int eventBatchMaxRows) {
    String shadows = keyspace + "." + shadowsTable;
    this.deleteDevice =
        session.prepare("DELETE FROM " + shadows + " USING TIMESTAMP ? WHERE device_id = ?");
    this.insertDevice =
        session.prepare(
            "INSERT INTO "
                + shadows
                + " (device_id, revision, updated_at, connected, connected_at, disconnected_at,"
                + " broker) VALUES (?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?");
    this.insertShadow =
        session.prepare(
            "INSERT INTO "
                + shadows
                + " (device_id, shadow_name, version, desired, reported, delta, metadata,"
                + " shadow_updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?");
    this.insertEvent =
        session.prepare(
            "INSERT INTO "
                + keyspace
                + "."
                + eventsTable
                + " (device_id, day, received_at, event_id, event_type, payload, content_type,"
                + " user_properties, mqtt_topic, qos, broker) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?)"
                + (eventTtlSeconds > 0 ? " USING TTL " + eventTtlSeconds : ""));
    // IF NOT EXISTS comes before USING in CQL's INSERT.
    this.claimEventId =
        session.prepare(
            "INSERT INTO "
                + keyspace
                + "."
                + eventIdsTable
                + " (device_id, event_id, received_at) VALUES (?, ?, ?) IF NOT EXISTS"
                + (eventTtlSeconds > 0 ? " USING TTL " + eventTtlSeconds : ""));
    this.consistency = DefaultConsistencyLevel.valueOf(consistency);
    this.timestampBase = timestampBase;
    this.eventTtlSeconds = eventTtlSeconds;
    this.eventBatchMaxRows = eventBatchMaxRows;
  }

  /** The TTL of archived events, 0 for the table's default. */
  public int eventTtlSeconds() {
    return eventTtlSeconds;
  }

  /**
   * The write of one shadow change: the device's partition as the record has it. One partition, so
   * the unlogged batch is applied atomically and in isolation by its replicas, in one round trip.
   * See {@link WriteTimestamps} for why the timestamps make it replay-safe.
   */
  public PlannedWrite shadowWrite(ShadowChange change) {
    long insertTs = WriteTimestamps.insert(timestampBase, change.offset());
    if (change.isTombstone()) {
      return new PlannedWrite(
          deleteDevice
              .bind(insertTs, change.deviceId())
              .setConsistencyLevel(consistency)
              .setIdempotent(true),
          List.of(source(change)),
          1);
    }
    DeviceShadow shadow = change.shadow();
    BatchStatementBuilder batch = BatchStatement.builder(BatchType.UNLOGGED);
    batch.addStatement(
        deleteDevice.bind(
            WriteTimestamps.supersede(timestampBase, change.offset()), change.deviceId()));
    batch.addStatement(deviceRow(change.deviceId(), shadow, insertTs));
    int rows = 1;
    if (shadow.getClassic() != null) {
      batch.addStatement(shadowRow(change.deviceId(), CLASSIC, shadow.getClassic(), insertTs));
      rows++;
    }
    for (Map.Entry<String, ShadowDocument> named : shadow.getNamed().entrySet()) {
      batch.addStatement(shadowRow(change.deviceId(), named.getKey(), named.getValue(), insertTs));
      rows++;
    }
    return new PlannedWrite(
        batch.setConsistencyLevel(consistency).setIdempotence(true).build(),
        List.of(source(change)),
        rows);
  }

  /**
   * The writes of a batch of events: those of one device and day grouped in unlogged batches of at
   * most {@code events.batch.max.rows} (one partition each, one round trip), the others alone.
   */
  public List<PlannedWrite> eventWrites(List<EventRow> events) {
    Map<String, List<EventRow>> byPartition = new LinkedHashMap<>();
    for (EventRow row : events) {
      DeviceEvent event = row.event();
      byPartition
          .computeIfAbsent(
              event.getDeviceId() + "/" + day(event.getReceivedAt()), k -> new ArrayList<>())
          .add(row);
    }
    List<PlannedWrite> writes = new ArrayList<>();
    for (List<EventRow> partition : byPartition.values()) {
      for (int from = 0; from < partition.size(); from += eventBatchMaxRows) {
        List<EventRow> chunk =
            partition.subList(from, Math.min(partition.size(), from + eventBatchMaxRows));
        List<Object> sources = chunk.stream().map(EventRow::source).toList();
        Statement<?> statement;
        if (chunk.size() == 1) {
          statement = eventRow(chunk.get(0).event());
        } else {
          BatchStatementBuilder batch = BatchStatement.builder(BatchType.UNLOGGED);
          chunk.forEach(row -> batch.addStatement(eventRow(row.event())));
          statement = batch.build();
        }
        writes.add(
            new PlannedWrite(
                statement.setConsistencyLevel(consistency).setIdempotent(true),
                sources,
                chunk.size()));
      }
    }
    return writes;
  }

  /**
   * The claim of an event id the device chose, for {@code rows} (the receipts of one event in a
   * batch, the first one's time claimed): a lightweight transaction that records the id's first
   * receipt unless one is recorded already. Its result, read with {@link #firstReceipt}, is the
   * {@code received_at} at which every receipt of the event is written, so that they are one row.
   *
   * <p>Idempotent for the driver although conditional: a retry of a claim that was applied finds
   * its own row and answers the same time. The serial phase is {@code LOCAL_SERIAL}, so that one
   * data center's outage does not stop the other's writes; one sink writes in one data center.
   */
  public PlannedWrite eventIdClaim(List<EventRow> rows) {
    DeviceEvent event = rows.get(0).event();
    return new PlannedWrite(
        claimEventId
            .bind(event.getDeviceId(), event.getEventId(), event.getReceivedAt())
            .setConsistencyLevel(consistency)
            .setSerialConsistencyLevel(DefaultConsistencyLevel.LOCAL_SERIAL)
            .setIdempotent(true),
        rows.stream().map(EventRow::source).toList(),
        1);
  }

  /**
   * The first receipt of an event id from the answer to its {@link #eventIdClaim}: the claimed time
   * when the claim was applied, else the time of the claim already there.
   */
  public static Instant firstReceipt(AsyncResultSet answer, Instant claimed) {
    // wasApplied() reads the first row: it must come before one() consumes it.
    if (answer.wasApplied()) {
      return claimed;
    }
    Row row = answer.one();
    if (row == null) {
      return claimed;
    }
    Instant first = row.getInstant("received_at");
    return first == null ? claimed : first;
  }

  private BoundStatement deviceRow(String deviceId, DeviceShadow shadow, long timestamp) {
    BoundStatementBuilder row =
        insertDevice
            .boundStatementBuilder()
            .setString("device_id", deviceId)
            .setLong("revision", shadow.getRevision())
            .setInstant("updated_at", shadow.getUpdatedAt())
            .setLong(7, timestamp);
    Presence presence = shadow.getPresence();
    // Unset (not null) where the record has nothing: the partition delete before it already
    // removed the old value, and an unset value writes no tombstone.
    if (presence != null) {
      row.setBoolean("connected", presence.getConnected());
      if (presence.getConnectedAt() != null) {
        row.setInstant("connected_at", presence.getConnectedAt());
      }
      if (presence.getDisconnectedAt() != null) {
        row.setInstant("disconnected_at", presence.getDisconnectedAt());
      }
      if (presence.getBroker() != null) {
        row.setString("broker", presence.getBroker());
      }
    }
    return row.build();
  }

  private BoundStatement shadowRow(
      String deviceId, String name, ShadowDocument document, long timestamp) {
    BoundStatementBuilder row =
        insertShadow
            .boundStatementBuilder()
            .setString("device_id", deviceId)
            .setString("shadow_name", name)
            .setLong("version", document.getVersion())
            .setInstant("shadow_updated_at", document.getUpdatedAt())
            .setLong(8, timestamp);
    if (document.getDesired() != null) {
      row.setString("desired", document.getDesired());
    }
    if (document.getReported() != null) {
      row.setString("reported", document.getReported());
    }
    if (document.getDelta() != null) {
      row.setString("delta", document.getDelta());
    }
    if (document.getMetadata() != null) {
      row.setString("metadata", document.getMetadata());
    }
    return row.build();
  }

  private BoundStatement eventRow(DeviceEvent event) {
    BoundStatementBuilder row =
        insertEvent
            .boundStatementBuilder()
            .setString("device_id", event.getDeviceId())
            .setLocalDate("day", day(event.getReceivedAt()))
            .setInstant("received_at", event.getReceivedAt())
            .setString("event_id", event.getEventId())
            .setString("event_type", event.getEventType())
            .setByteBuffer("payload", event.getPayload().duplicate())
            .setMap("user_properties", event.getUserProperties(), String.class, String.class)
            .setString("mqtt_topic", event.getMqttTopic())
            .setInt("qos", event.getQos())
            .setString("broker", event.getBroker());
    if (event.getContentType() != null) {
      row.setString("content_type", event.getContentType());
    }
    return row.build();
  }

  /** The UTC day an event belongs to: its partition with the device id. */
  public static LocalDate day(Instant receivedAt) {
    return LocalDate.ofInstant(receivedAt, ZoneOffset.UTC);
  }

  private static Object source(ShadowChange change) {
    return change.source();
  }
}
