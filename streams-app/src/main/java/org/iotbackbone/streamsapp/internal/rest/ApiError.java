package org.iotbackbone.streamsapp.internal.rest;

/** An HTTP error answer: {@code {"code":..,"message":..}} with that status. */
final class ApiError extends RuntimeException {

  private final int status;

  ApiError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }
}
