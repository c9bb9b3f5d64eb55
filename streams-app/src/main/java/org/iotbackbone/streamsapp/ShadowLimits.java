package org.iotbackbone.streamsapp;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits a shadow request is checked against (docs/design.md, "Shadow semantics"; the defaults
 * are AWS IoT Device Shadow's where AWS has one).
 *
 * @param maxDepth the deepest nesting of {@code state.desired} or {@code state.reported}; deeper is
 *     rejected with 400
 * @param maxDocumentBytes the largest desired plus reported of one shadow, in UTF-8 bytes of
 *     compact JSON (metadata not counted); larger is rejected with 413
 * @param maxClientTokenBytes the longest {@code clientToken} in UTF-8 bytes; longer is 400
 * @param maxInFlight how many requests one device may have in flight; more is rejected with 429
 * @param inFlightWindow how long a request counts as in flight after it was received (its {@code
 *     requestedAt}): a device may send at most {@code maxInFlight} requests per window
 * @param maxNamedShadows how many named shadows one device may have; an update that would create
 *     one more is rejected with 400
 * @param maxDeviceBytes the largest serialized record of one device (every shadow with its
 *     metadata, presence); an update or delete that would pass it is rejected with 413. At most
 *     {@link #MAX_DEVICE_BYTES}, so that the record always fits the changelog topic and ScyllaDB
 * @param clientTokensRemembered how many clientTokens of accepted updates and deletes are kept per
 *     device to answer a redelivered request with its first answer; 0 keeps none
 * @param clientTokenWindow how long a clientToken is kept after its request was received
 */
public record ShadowLimits(
    int maxDepth,
    int maxDocumentBytes,
    int maxClientTokenBytes,
    int maxInFlight,
    Duration inFlightWindow,
    int maxNamedShadows,
    int maxDeviceBytes,
    int clientTokensRemembered,
    Duration clientTokenWindow) {

  /**
   * The most a device's record may be: 900 KiB leaves room under Kafka's default 1 MiB ({@code
   * max.message.bytes} of {@code iot.shadow.state} and its changelog) for the Confluent frame, the
   * key, the record batch and headers.
   */
  public static final int MAX_DEVICE_BYTES = 900 * 1024;

  public static final int DEFAULT_MAX_NAMED = 25;
  public static final int DEFAULT_MAX_DEVICE_BYTES = 512 * 1024;
  public static final int DEFAULT_CLIENT_TOKENS_REMEMBERED = 16;
  public static final Duration DEFAULT_CLIENT_TOKEN_WINDOW = Duration.ofMinutes(10);

  public ShadowLimits {
    Objects.requireNonNull(inFlightWindow, "inFlightWindow");
    Objects.requireNonNull(clientTokenWindow, "clientTokenWindow");
    if (maxDepth < 1 || maxDocumentBytes < 1 || maxClientTokenBytes < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException("shadow limits must be positive: " + this);
    }
    if (inFlightWindow.isNegative() || inFlightWindow.isZero()) {
      throw new IllegalArgumentException("inFlightWindow must be positive: " + inFlightWindow);
    }
    if (maxNamedShadows < 0 || clientTokensRemembered < 0) {
      throw new IllegalArgumentException("shadow limits must not be negative: " + this);
    }
    if (maxDeviceBytes < maxDocumentBytes || maxDeviceBytes > MAX_DEVICE_BYTES) {
      throw new IllegalArgumentException(
          "maxDeviceBytes must be between maxDocumentBytes and " + MAX_DEVICE_BYTES + ": " + this);
    }
    if (clientTokenWindow.isNegative() || clientTokenWindow.isZero()) {
      throw new IllegalArgumentException(
          "clientTokenWindow must be positive: " + clientTokenWindow);
    }
  }

  /** The first five limits, with the defaults for the per-device ones. */
  public ShadowLimits(
      int maxDepth,
      int maxDocumentBytes,
      int maxClientTokenBytes,
      int maxInFlight,
      Duration inFlightWindow) {
    this(
        maxDepth,
        maxDocumentBytes,
        maxClientTokenBytes,
        maxInFlight,
        inFlightWindow,
        DEFAULT_MAX_NAMED,
        Math.max(DEFAULT_MAX_DEVICE_BYTES, maxDocumentBytes),
        DEFAULT_CLIENT_TOKENS_REMEMBERED,
        DEFAULT_CLIENT_TOKEN_WINDOW);
  }

  /**
   * AWS's limits: depth 6, 8 KiB, clientToken 64 bytes, 10 requests in flight per second; and this
   * platform's per-device ones: 25 named shadows, 512 KiB a record, 16 clientTokens for 10 min.
   */
  public static ShadowLimits defaults() {
    return new ShadowLimits(6, 8 * 1024, 64, 10, Duration.ofSeconds(1));
  }

  /** These limits with other per-device caps. */
  public ShadowLimits withDeviceCaps(int maxNamedShadows, int maxDeviceBytes) {
    return new ShadowLimits(
        maxDepth,
        maxDocumentBytes,
        maxClientTokenBytes,
        maxInFlight,
        inFlightWindow,
        maxNamedShadows,
        maxDeviceBytes,
        clientTokensRemembered,
        clientTokenWindow);
  }

  /** These limits with another clientToken memory. */
  public ShadowLimits withClientTokens(int remembered, Duration window) {
    return new ShadowLimits(
        maxDepth,
        maxDocumentBytes,
        maxClientTokenBytes,
        maxInFlight,
        inFlightWindow,
        maxNamedShadows,
        maxDeviceBytes,
        remembered,
        window);
  }
}
