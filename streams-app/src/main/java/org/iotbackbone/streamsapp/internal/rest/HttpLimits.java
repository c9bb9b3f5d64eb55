package org.iotbackbone.streamsapp.internal.rest;

import java.time.Duration;

/**
 * How much the REST server takes on at once, so that slow or numerous clients are refused instead
 * of exhausting it (the {@code http.*} keys of {@code StreamsAppConfig}).
 *
 * @param threads worker threads; {@link #RESERVED_THREADS} of them never run the app's routes, so
 *     that {@code /health} and {@code /ready} answer while every route is busy
 * @param queueSize requests read and waiting for a thread; beyond it the connection is closed
 * @param maxBodyBytes the largest request body; larger is 413
 * @param readTimeout how long a client may take to send a whole request before its connection is
 *     closed (whole seconds: the JDK server counts in seconds)
 * @param responseTimeout how long an answer may take, from the end of the request to the last byte
 *     a client has read, before the connection is closed
 */
public record HttpLimits(
    int threads, int queueSize, int maxBodyBytes, Duration readTimeout, Duration responseTimeout) {

  /** Threads kept for the routes that need no app ({@code /health}, {@code /ready}, the spec). */
  public static final int RESERVED_THREADS = 2;

  public HttpLimits {
    if (threads <= RESERVED_THREADS) {
      throw new IllegalArgumentException(
          "threads must be more than " + RESERVED_THREADS + ": " + threads);
    }
    if (queueSize < 1 || maxBodyBytes < 1) {
      throw new IllegalArgumentException("queueSize and maxBodyBytes must be positive");
    }
    if (readTimeout.toSeconds() < 1 || responseTimeout.toSeconds() < 1) {
      throw new IllegalArgumentException("timeouts must be at least a second");
    }
  }

  /** How many requests for the app's routes may run at once. */
  int appPermits() {
    return threads - RESERVED_THREADS;
  }
}
