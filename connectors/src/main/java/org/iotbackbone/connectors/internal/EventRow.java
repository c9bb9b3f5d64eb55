package org.iotbackbone.connectors.internal;

import java.util.Objects;
import org.iotbackbone.schemas.DeviceEvent;

/**
 * One record of the events topic, decoded.
 *
 * @param event the event
 * @param source what to report to the dead-letter topic if the write can never succeed
 */
public record EventRow(DeviceEvent event, Object source) {

  public EventRow {
    Objects.requireNonNull(event, "event");
  }
}
