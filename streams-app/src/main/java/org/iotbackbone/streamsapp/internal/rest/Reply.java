package org.iotbackbone.streamsapp.internal.rest;

/** An HTTP answer: JSON unless said otherwise. */
record Reply(int status, String body, String contentType) {

  static final String JSON = "application/json";

  Reply(int status, String json) {
    this(status, json, JSON);
  }

  static Reply ok(String json) {
    return new Reply(200, json);
  }
}
