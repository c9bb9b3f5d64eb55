package org.iotbackbone.streamsapp.internal.rest;

import java.time.Duration;

/**
 * The limits every unit test's server uses. One value for all of them: the JDK server reads its
 * timeouts once per JVM, and the test classes share one.
 */
public final class TestHttpLimits {

  /** Four threads (two for the app's routes), a queue of four, a 2-second read timeout. */
  public static final HttpLimits SMALL =
      new HttpLimits(4, 4, 1024, Duration.ofSeconds(2), Duration.ofSeconds(30));

  private TestHttpLimits() {}
}
