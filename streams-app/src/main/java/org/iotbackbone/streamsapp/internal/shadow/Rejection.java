package org.iotbackbone.streamsapp.internal.shadow;

/**
 * A request refused with one of AWS's error codes. Thrown while a request is checked and turned
 * into a rejected response by the engine; it never leaves the engine.
 */
final class Rejection extends RuntimeException {

  static final int BAD_REQUEST = 400;
  static final int NOT_FOUND = 404;
  static final int CONFLICT = 409;
  static final int PAYLOAD_TOO_LARGE = 413;
  static final int UNSUPPORTED_ENCODING = 415;
  static final int TOO_MANY_REQUESTS = 429;

  private final int code;
  private final String clientToken;

  Rejection(int code, String message, String clientToken) {
    super(message, null, false, false);
    this.code = code;
    this.clientToken = clientToken;
  }

  Rejection(int code, String message) {
    this(code, message, null);
  }

  int code() {
    return code;
  }

  /** The request's clientToken when it was read before the rejection, else null. */
  String clientToken() {
    return clientToken;
  }

  Rejection withClientToken(String token) {
    return new Rejection(code, getMessage(), token);
  }
}
