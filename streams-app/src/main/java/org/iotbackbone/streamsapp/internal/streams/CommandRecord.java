package org.iotbackbone.streamsapp.internal.streams;

/**
 * A record of the command status fold: a command's or an event's status view (JSON text, {@link
 * CommandStatusView}), and for an event the raw value it was read from, so that an answer held
 * before its command and refused later is dead-lettered byte for byte, as one refused at once is.
 *
 * @param view the status view
 * @param rawEvent the event's value as read from {@code iot.command.events}; null for a command
 */
public record CommandRecord(String view, byte[] rawEvent) {

  /** A command's view. */
  public static CommandRecord command(String view) {
    return new CommandRecord(view, null);
  }
}
