package org.iotbackbone.streamsapp.internal.auth;

/**
 * The verification keys cannot be had now (the identity provider's JWKS URL does not answer): not
 * the token's fault, so not a 401 that would make a client drop a good token, but a 503 to retry.
 */
public final class KeysUnavailable extends RuntimeException {

  KeysUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
