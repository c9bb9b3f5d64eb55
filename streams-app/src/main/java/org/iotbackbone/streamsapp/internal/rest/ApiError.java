package org.iotbackbone.streamsapp.internal.rest;

/**
 * An HTTP error answer: {@code {"code":..,"message":..}} with that status, and a {@code
 * WWW-Authenticate} challenge where the status calls for one (401, and 403 for a missing scope).
 */
final class ApiError extends RuntimeException {

  private final int status;
  private final String challenge;

  ApiError(int status, String message) {
    this(status, message, null);
  }

  ApiError(int status, String message, String challenge) {
    super(message, null, false, false);
    this.status = status;
    this.challenge = challenge;
  }

  int status() {
    return status;
  }

  /** The {@code WWW-Authenticate} header's value, or null. */
  String challenge() {
    return challenge;
  }
}
