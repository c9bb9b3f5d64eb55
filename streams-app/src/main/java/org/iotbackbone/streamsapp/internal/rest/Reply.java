package org.iotbackbone.streamsapp.internal.rest;

/** An HTTP answer with a JSON body. */
record Reply(int status, String json) {

  static Reply ok(String json) {
    return new Reply(200, json);
  }
}
