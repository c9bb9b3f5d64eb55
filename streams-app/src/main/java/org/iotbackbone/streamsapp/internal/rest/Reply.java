package org.iotbackbone.streamsapp.internal.rest;

import java.util.Map;

/** An HTTP answer: JSON unless said otherwise, with headers of its own (e.g. Location). */
record Reply(int status, String body, String contentType, Map<String, String> headers) {

  static final String JSON = "application/json";

  Reply(int status, String body, String contentType) {
    this(status, body, contentType, Map.of());
  }

  Reply(int status, String json) {
    this(status, json, JSON);
  }

  static Reply ok(String json) {
    return new Reply(200, json);
  }
}
