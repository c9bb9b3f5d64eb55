package org.iotbackbone.streamsapp.internal.auth;

/**
 * A request without a usable bearer token: 401 with a {@code WWW-Authenticate: Bearer} challenge
 * (RFC 6750 section 3). Without any token the challenge names no error; with a bad one it says
 * {@code error="invalid_token"}.
 */
public final class Unauthorized extends RuntimeException {

  private final boolean tokenPresent;

  private Unauthorized(String message, boolean tokenPresent) {
    super(message, null, false, false);
    this.tokenPresent = tokenPresent;
  }

  /** No {@code Authorization: Bearer} header. */
  public static Unauthorized missing() {
    return new Unauthorized("A bearer token is required (Authorization: Bearer <token>)", false);
  }

  /** A token that is malformed, expired, wrongly signed or not for this API. */
  public static Unauthorized invalid(String why) {
    return new Unauthorized("Invalid token: " + why, true);
  }

  /** The {@code WWW-Authenticate} header's value. */
  public String challenge() {
    return tokenPresent
        ? "Bearer realm=\"iot\", error=\"invalid_token\", error_description=\""
            + getMessage().replaceAll("[^\\x20-\\x7E]|[\"\\\\]", "'")
            + "\""
        : "Bearer realm=\"iot\"";
  }
}
