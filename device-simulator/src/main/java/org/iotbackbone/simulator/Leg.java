package org.iotbackbone.simulator;

/**
 * The legs a simulation measures, each a latency in microseconds: {@link
 * SimulationReport#percentileMillis(Leg, double)} gives their percentiles.
 */
public enum Leg {
  /** Device publish of an event to its record read from {@code iot.device.events}. */
  EVENT_TO_KAFKA("device publish → iot.device.events"),
  /** Device publish of a shadow update to the changed shadow read from the changelog. */
  UPDATE_TO_CHANGELOG("device publish → iot.shadow.state"),
  /** Device publish of a shadow update to its {@code update/accepted} answer. */
  SHADOW_ROUND_TRIP("shadow update → accepted (device)"),
  /** REST call that issues a command to the command's receipt on the device. */
  COMMAND_ROUND_TRIP("REST command → device receipt"),
  /**
   * REST call that issues a command to its status read back through REST as {@code SUCCEEDED} (the
   * device received and acknowledged it, the streams app applied the ack): what a cloud integration
   * that polls {@code GET /devices/{id}/commands/{commandId}} sees, polled every tenth of the time
   * the command has been on its way (5 to 250 ms).
   */
  COMMAND_COMPLETED("REST command → SUCCEEDED through REST"),
  /** Connect call to CONNACK. */
  CONNECT("connect → CONNACK");

  private final String label;

  Leg(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
