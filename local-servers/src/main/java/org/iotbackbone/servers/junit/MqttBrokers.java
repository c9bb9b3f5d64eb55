package org.iotbackbone.servers.junit;

import java.util.Optional;
import org.iotbackbone.servers.MqttBrokerKind;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Guards tests that need a broker which may be missing on a developer's machine (Mosquitto is a
 * system package, not a Maven dependency).
 *
 * <pre>{@code
 * @ParameterizedTest
 * @EnumSource(MqttBrokerKind.class)
 * void roundTrip(MqttBrokerKind kind) {
 *   MqttBrokers.assumeAvailable(kind);
 *   ...
 * }
 * }</pre>
 *
 * <p>On a developer's machine a missing broker skips the test and says how to install it. On a
 * build server (environment variable {@value #CI_VARIABLE}{@code =true}, as GitHub Actions, GitLab
 * CI and most others set it) it fails the test instead: a build that silently skipped the broker
 * tests would pass without having tested anything.
 */
public final class MqttBrokers {

  /** The environment variable that marks a build server. */
  public static final String CI_VARIABLE = "CI";

  private MqttBrokers() {}

  /**
   * Returns when a broker of this kind can start here; otherwise aborts the calling test (skipped)
   * or, on a build server, fails it.
   */
  public static void assumeAvailable(MqttBrokerKind kind) {
    assumeAvailable(kind, kind.unavailableReason(), isCi());
  }

  /** Whether this JVM runs on a build server ({@value #CI_VARIABLE}{@code =true}). */
  public static boolean isCi() {
    return "true".equalsIgnoreCase(System.getenv(CI_VARIABLE));
  }

  static void assumeAvailable(MqttBrokerKind kind, Optional<String> unavailableReason, boolean ci) {
    if (unavailableReason.isEmpty()) {
      return;
    }
    String reason = kind + " broker unavailable: " + unavailableReason.get();
    if (ci) {
      Assertions.fail(reason + " (" + CI_VARIABLE + "=true, so this fails instead of skipping)");
    }
    Assumptions.abort(reason + " (skipped; with " + CI_VARIABLE + "=true it would fail)");
  }
}
