package org.iotbackbone.streamsapp;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits a shadow request is checked against (docs/design.md, "Shadow semantics"; the defaults
 * are AWS IoT Device Shadow's).
 *
 * @param maxDepth the deepest nesting of {@code state.desired} or {@code state.reported}; deeper is
 *     rejected with 400
 * @param maxDocumentBytes the largest desired plus reported of one shadow, in UTF-8 bytes of
 *     compact JSON (metadata not counted); larger is rejected with 413
 * @param maxClientTokenBytes the longest {@code clientToken} in UTF-8 bytes; longer is 400
 * @param maxInFlight how many requests one device may have in flight; more is rejected with 429
 * @param inFlightWindow how long a request counts as in flight after it was received (its {@code
 *     requestedAt}): a device may send at most {@code maxInFlight} requests per window
 */
public record ShadowLimits(
    int maxDepth,
    int maxDocumentBytes,
    int maxClientTokenBytes,
    int maxInFlight,
    Duration inFlightWindow) {

  public ShadowLimits {
    Objects.requireNonNull(inFlightWindow, "inFlightWindow");
    if (maxDepth < 1 || maxDocumentBytes < 1 || maxClientTokenBytes < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException("shadow limits must be positive: " + this);
    }
    if (inFlightWindow.isNegative() || inFlightWindow.isZero()) {
      throw new IllegalArgumentException("inFlightWindow must be positive: " + inFlightWindow);
    }
  }

  /** AWS's limits: depth 6, 8 KiB, clientToken 64 bytes, 10 requests in flight per second. */
  public static ShadowLimits defaults() {
    return new ShadowLimits(6, 8 * 1024, 64, 10, Duration.ofSeconds(1));
  }
}
