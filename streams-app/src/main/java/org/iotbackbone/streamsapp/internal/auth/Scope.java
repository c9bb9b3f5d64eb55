package org.iotbackbone.streamsapp.internal.auth;

import java.util.Optional;

/**
 * What a bearer token may do: the {@code scope} claim's values (docs/design.md, "Device identity
 * and access").
 */
public enum Scope {
  DEVICES_READ("devices:read"),
  SHADOWS_READ("shadows:read"),
  SHADOWS_WRITE("shadows:write"),
  COMMANDS_WRITE("commands:write"),
  JOBS_READ("jobs:read"),
  JOBS_WRITE("jobs:write");

  private final String value;

  Scope(String value) {
    this.value = value;
  }

  /** The scope as written in a token and in the OpenAPI description. */
  public String value() {
    return value;
  }

  /** The scope of that name; empty for a name this API does not know (ignored, as OAuth 2 does). */
  public static Optional<Scope> of(String value) {
    for (Scope scope : values()) {
      if (scope.value.equals(value)) {
        return Optional.of(scope);
      }
    }
    return Optional.empty();
  }
}
