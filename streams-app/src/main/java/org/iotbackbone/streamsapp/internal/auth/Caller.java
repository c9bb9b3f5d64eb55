package org.iotbackbone.streamsapp.internal.auth;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who made a request, as its token says: the subject, the scopes granted and the devices it is
 * limited to.
 *
 * @param subject the token's {@code sub}, for logs; may be null
 * @param scopes what it may do
 * @param devices the devices it may touch; {@link DevicePattern#ANY} when the token has no limit
 */
public record Caller(String subject, Set<Scope> scopes, DevicePattern devices) {

  /** Everything, every device: the caller when authentication is off. */
  public static final Caller UNRESTRICTED =
      new Caller("anonymous", EnumSet.allOf(Scope.class), DevicePattern.ANY);

  public Caller {
    scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
  }

  /** Whether the token grants the scope. */
  public boolean has(Scope scope) {
    return scopes.contains(scope);
  }

  /** Whether the token may touch this device. */
  public boolean mayAccess(String deviceId) {
    return devices.matches(deviceId);
  }
}
