package org.iotbackbone.streamsapp.internal.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A shadow request's body, checked.
 *
 * @param clientToken the token to echo, or null
 * @param version the version the request names, or null
 * @param desired the desired patch: null when absent, a JSON null to clear, else an object
 * @param reported the reported patch, as {@code desired}
 */
record ParsedRequest(String clientToken, Long version, JsonNode desired, JsonNode reported) {

  static ParsedRequest empty() {
    return new ParsedRequest(null, null, null, null);
  }

  /** The request's own state as the accepted response echoes it. */
  ObjectNode stateEcho() {
    ObjectNode state = org.iotbackbone.streamsapp.internal.json.Json.object();
    if (desired != null) {
      state.set("desired", desired);
    }
    if (reported != null) {
      state.set("reported", reported);
    }
    return state;
  }
}
