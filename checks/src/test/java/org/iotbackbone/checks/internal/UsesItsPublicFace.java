package org.iotbackbone.checks.internal;

import org.iotbackbone.checks.fixture.UsesOnlyPublicFaces;

/**
 * An internal class that uses its own module's public face, a package cycle: {@code
 * ArchitectureTest} proves that the cycle rule catches it. Test sources only.
 */
public final class UsesItsPublicFace {

  private UsesItsPublicFace() {}

  public static int port() {
    return UsesOnlyPublicFaces.port();
  }
}
