package org.iotbackbone.connectors.internal;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Deduplication of the events of a batch whose id the device chose ({@link
 * EventRow#hasDeviceEventId()}). A redelivered event reaches Kafka again with the same id but the
 * time of its new receipt, so its row would be a second one (the table is clustered by {@code
 * received_at}). Each such event is claimed once per batch ({@link CqlStatements#eventIdClaim}),
 * and all its receipts are then written at the time of its first receipt ever: the same row, an
 * overwrite. Events with an id the bridge drew are written as they are.
 *
 * <p>Used in two steps: send {@link #claims}, hand each answer to {@link #answered}, then write
 * {@link #rows}.
 */
public final class EventIdClaims {

  private final List<List<EventRow>> events = new ArrayList<>();
  private final Map<List<String>, Integer> indexById = new LinkedHashMap<>();
  private final AtomicReferenceArray<Instant> firstReceipts;

  public EventIdClaims(List<EventRow> rows) {
    for (EventRow row : rows) {
      if (row.hasDeviceEventId()) {
        Integer index =
            indexById.computeIfAbsent(
                key(row),
                k -> {
                  events.add(new ArrayList<>());
                  return events.size() - 1;
                });
        events.get(index).add(row);
      }
    }
    firstReceipts = new AtomicReferenceArray<>(events.size());
  }

  private static List<String> key(EventRow row) {
    return List.of(row.event().getDeviceId(), row.event().getEventId());
  }

  /**
   * One claim per event, in the order of the events' first receipt in the batch (Kafka's order for
   * one device, so the earliest receipt claims).
   */
  public List<PlannedWrite> claims(CqlStatements statements) {
    return events.stream().map(statements::eventIdClaim).toList();
  }

  /** The answer to the claim at {@code index} of {@link #claims}. */
  public void answered(int index, AsyncResultSet answer) {
    Instant claimed = events.get(index).get(0).event().getReceivedAt();
    firstReceipts.set(index, CqlStatements.firstReceipt(answer, claimed));
  }

  /**
   * The rows to write, in their order: an event with a drawn id as it is, one with a chosen id at
   * its first receipt, none for an event whose claim failed (that failure retries the batch or
   * dead-letters the event).
   */
  public List<EventRow> rows(List<EventRow> rows) {
    List<EventRow> written = new ArrayList<>(rows.size());
    for (EventRow row : rows) {
      if (!row.hasDeviceEventId()) {
        written.add(row);
        continue;
      }
      Instant first = firstReceipts.get(indexById.get(key(row)));
      if (first != null) {
        written.add(row.receivedFirstAt(first));
      }
    }
    return written;
  }
}
