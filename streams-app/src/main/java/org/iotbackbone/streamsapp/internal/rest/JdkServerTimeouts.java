package org.iotbackbone.streamsapp.internal.rest;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read and response timeouts of the JDK's HTTP server. Without them (its default) a client that
 * sends half a request holds a worker thread for good. The server takes them only from the system
 * properties {@code sun.net.httpserver.maxReqTime} and {@code maxRspTime} (seconds), read once per
 * JVM when its first server is made; so they are set here, before {@link HttpApi} makes its server,
 * and a value already given on the command line wins.
 */
final class JdkServerTimeouts {

  static final String MAX_REQ_TIME = "sun.net.httpserver.maxReqTime";
  static final String MAX_RSP_TIME = "sun.net.httpserver.maxRspTime";

  private static final Logger LOG = LoggerFactory.getLogger(JdkServerTimeouts.class);

  private JdkServerTimeouts() {}

  static synchronized void apply(Duration readTimeout, Duration responseTimeout) {
    set(MAX_REQ_TIME, readTimeout);
    set(MAX_RSP_TIME, responseTimeout);
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
