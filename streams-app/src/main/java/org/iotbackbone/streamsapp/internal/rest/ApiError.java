package org.iotbackbone.streamsapp.internal.rest;

/**
 * An HTTP error answer: {@code {"code":..,"message":..}} with that status, {@code "field"} when one
 * field of the request is at fault, and a {@code WWW-Authenticate} challenge where the status calls
 * for one (401, and 403 for a missing scope).
 */
final class ApiError extends RuntimeException {

  private final int status;
  private final String challenge;
  private final String field;

  ApiError(int status, String message) {
    this(status, message, null);
  }

  ApiError(int status, String message, String challenge) {
    this(status, message, challenge, null);
  }

  private ApiError(int status, String message, String challenge, String field) {
    super(message, null, false, false);
    this.status = status;
    this.challenge = challenge;
    this.field = field;
  }

  /**
   * A 400 (or another status) about one field of the request: the message starts with the field's
   * name, {@code "limit: must be ..."}.
   */
  static ApiError field(int status, String field, String problem) {
    return new ApiError(status, field + ": " + problem, null, field);
  }

  /**
   * A message that already starts with its field, as {@code "targets[0]: not a device id"} (the
   * form of JobDocuments' refusals): the field is what comes before the first colon.
   */
  static ApiError fieldMessage(int status, String message) {
    int colon = message.indexOf(':');
    return new ApiError(status, message, null, colon > 0 ? message.substring(0, colon) : null);
  }

  int status() {
    return status;
  }

  /** The {@code WWW-Authenticate} header's value, or null. */
  String challenge() {
    return challenge;
  }

  /** The field of the request at fault, or null. */
  String field() {
    return field;
  }
}
