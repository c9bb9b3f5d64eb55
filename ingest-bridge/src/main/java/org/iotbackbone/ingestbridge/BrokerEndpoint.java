package org.iotbackbone.ingestbridge;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One edge broker the bridge serves.
 *
 * @param id the broker's id, written into every record that came through it and used to route
 *     commands to it ({@code [A-Za-z0-9_.-]{1,64}})
 * @param host its host name or address
 * @param port its MQTT port (plain TCP)
 */
public record BrokerEndpoint(String id, String host, int port) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  public BrokerEndpoint {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(host, "host");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("broker id must match " + ID + ": '" + id + "'");
    }
    if (host.isBlank()) {
      throw new IllegalArgumentException("broker " + id + ": empty host");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("broker " + id + ": port out of range: " + port);
    }
  }

  /**
   * Parses {@code id=host:port} ({@code tcp://} before the host is allowed). The id is required, so
   * that it stays the same when a broker's address changes.
   */
  public static BrokerEndpoint parse(String spec) {
    String trimmed = spec.trim();
    int eq = trimmed.indexOf('=');
    int colon = trimmed.lastIndexOf(':');
    if (eq < 1 || colon < eq) {
      throw new IllegalArgumentException("expected id=host:port, got '" + spec + "'");
    }
    String id = trimmed.substring(0, eq);
    String host = trimmed.substring(eq + 1, colon);
    String hostNoScheme = host.startsWith("tcp://") ? host.substring(6) : host;
    int port;
    try {
      port = Integer.parseInt(trimmed.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in '" + spec + "'", e);
    }
    return new BrokerEndpoint(id, hostNoScheme, port);
  }

  @Override
  public String toString() {
    return id + "=" + host + ":" + port;
  }
}
