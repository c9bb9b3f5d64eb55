package org.iotbackbone.connectors.internal;

import java.time.Instant;
import java.util.Objects;
import org.iotbackbone.schemas.DeviceEvent;

/**
 * One record of the events topic, decoded.
 *
 * @param event the event
 * @param source what to report to the dead-letter topic if the write can never succeed
 */
public record EventRow(DeviceEvent event, Object source) {

  /**
   * The MQTT 5 user property in which a device gives its own event id; the bridge then uses it as
   * {@code DeviceEvent.eventId} (else a random UUID per receipt) and keeps it among the event's
   * user properties, which is how the sink tells a chosen id from a drawn one.
   */
  public static final String EVENT_ID_PROPERTY = "eventId";

  public EventRow {
    Objects.requireNonNull(event, "event");
  }

  /**
   * Whether the device chose the event id: then a redelivery carries the same id, and the sink
   * deduplicates on it. A drawn id is new on every receipt and cannot be deduplicated.
   */
  public boolean hasDeviceEventId() {
    return event.getEventId().equals(event.getUserProperties().get(EVENT_ID_PROPERTY));
  }

  /** The same event as first received at {@code firstReceipt}, to be written over its first row. */
  public EventRow receivedFirstAt(Instant firstReceipt) {
    if (firstReceipt.equals(event.getReceivedAt())) {
      return this;
    }
    return new EventRow(DeviceEvent.newBuilder(event).setReceivedAt(firstReceipt).build(), source);
  }
}
