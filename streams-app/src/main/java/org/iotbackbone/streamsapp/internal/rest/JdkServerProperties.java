package org.iotbackbone.streamsapp.internal.rest;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings of the JDK's HTTP server, which it takes only from system properties read once per
 * JVM when its first server is made; so they are set here, before {@link HttpApi} makes its server,
 * and a value already given on the command line wins.
 *
 * <ul>
 *   <li>The read and response timeouts ({@code sun.net.httpserver.maxReqTime} and {@code
 *       maxRspTime}, seconds). Without them (its default) a client that sends half a request holds
 *       a worker thread for good.
 *   <li>{@code sun.net.httpserver.nodelay}: TCP_NODELAY on every connection. Without it (its
 *       default) a small response waits for the client's delayed ACK: 44.5 ms a keep-alive request
 *       against 1.1 ms with it, measured on a bare server (docs/benchmarks.md, RestAuthBenchmark).
 * </ul>
 */
final class JdkServerProperties {

  static final String MAX_REQ_TIME = "sun.net.httpserver.maxReqTime";
  static final String MAX_RSP_TIME = "sun.net.httpserver.maxRspTime";
  static final String NO_DELAY = "sun.net.httpserver.nodelay";

  private static final Logger LOG = LoggerFactory.getLogger(JdkServerProperties.class);

  private JdkServerProperties() {}

  static synchronized void apply(Duration readTimeout, Duration responseTimeout) {
    set(MAX_REQ_TIME, readTimeout);
    set(MAX_RSP_TIME, responseTimeout);
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true");
    }
  }

  private static void set(String property, Duration timeout) {
    // Rounded up: a timeout of 1.5 s must not close a connection after 1 s.
    long seconds = (timeout.toMillis() + 999) / 1000;
    String previous = System.getProperty(property);
    if (previous == null) {
      System.setProperty(property, Long.toString(seconds));
    } else if (!previous.equals(Long.toString(seconds))) {
      LOG.warn(
          "{} is already {} s in this JVM; the configured {} s is not used",
          property,
          previous,
          seconds);
    }
  }
}
