package org.iotbackbone.streamsapp.internal.shadow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.streamsapp.ShadowLimits;
import org.iotbackbone.streamsapp.internal.json.Json;
import org.iotbackbone.streamsapp.internal.json.JsonTrees;

/** Checks a request body against the rules of docs/design.md that need no state: 400 and 415. */
final class RequestParser {

  /**
   * What every UTF-8 decoder on the way (the bridge's, Avro's) leaves in place of bytes that are
   * not UTF-8; the request field is a string, so this is how invalid bytes reach us.
   */
  private static final char REPLACEMENT = '\uFFFD';

  private final ShadowLimits limits;

  RequestParser(ShadowLimits limits) {
    this.limits = limits;
  }

  ParsedRequest parse(ShadowOperation operation, String document) {
    if (document != null && document.indexOf(REPLACEMENT) >= 0) {
      throw new Rejection(
          Rejection.UNSUPPORTED_ENCODING,
          "Unsupported documented encoding; supported encoding is UTF-8");
    }
    if (document == null || document.isBlank()) {
      if (operation == ShadowOperation.UPDATE) {
        throw new Rejection(Rejection.BAD_REQUEST, "Missing required node: state");
      }
      return ParsedRequest.empty();
    }
    JsonNode root;
    try {
      root = Json.parse(document);
    } catch (JsonProcessingException e) {
      throw new Rejection(Rejection.BAD_REQUEST, "Payload contains invalid json");
    }
    if (!root.isObject()) {
      throw new Rejection(Rejection.BAD_REQUEST, "Payload contains invalid json");
    }
    String token = clientToken(root);
    try {
      Long version = version(root);
      if (operation != ShadowOperation.UPDATE) {
        return new ParsedRequest(token, version, null, null);
      }
      return update(root, token, version);
    } catch (Rejection rejection) {
      throw rejection.withClientToken(token);
    }
  }

  private ParsedRequest update(JsonNode root, String token, Long version) {
    if (!root.has("state")) {
      throw new Rejection(Rejection.BAD_REQUEST, "Missing required node: state");
    }
    JsonNode state = root.get("state");
    if (state.isNull()) {
      // {"state": null} clears the whole document, as in AWS.
      return new ParsedRequest(token, version, state, state);
    }
    if (!state.isObject()) {
      throw new Rejection(Rejection.BAD_REQUEST, "State node must be an object");
    }
    for (Map.Entry<String, JsonNode> field : state.properties()) {
      if (!field.getKey().equals("desired") && !field.getKey().equals("reported")) {
        throw new Rejection(
            Rejection.BAD_REQUEST, "State contains an invalid node: '" + field.getKey() + "'");
      }
    }
    JsonNode desired = section(state, "desired");
    JsonNode reported = section(state, "reported");
    if (desired == null && reported == null) {
      throw new Rejection(Rejection.BAD_REQUEST, "State node must contain desired or reported");
    }
    return new ParsedRequest(token, version, desired, reported);
  }

  private JsonNode section(JsonNode state, String name) {
    JsonNode section = state.get(name);
    if (section == null || section.isNull()) {
      return section;
    }
    if (!section.isObject()) {
      throw new Rejection(Rejection.BAD_REQUEST, capitalized(name) + " node must be an object");
    }
    if (JsonTrees.depth(section) > limits.maxDepth()) {
      throw new Rejection(
          Rejection.BAD_REQUEST,
          "JSON contains too many levels of nesting; maximum is " + limits.maxDepth());
    }
    return section;
  }

  private String clientToken(JsonNode root) {
    JsonNode token = root.get("clientToken");
    if (token == null || token.isNull()) {
      return null;
    }
    if (!token.isTextual()) {
      throw new Rejection(Rejection.BAD_REQUEST, "Invalid clientToken: must be a string");
    }
    if (token.asText().getBytes(StandardCharsets.UTF_8).length > limits.maxClientTokenBytes()) {
      throw new Rejection(
          Rejection.BAD_REQUEST,
          "clientToken is longer than " + limits.maxClientTokenBytes() + " bytes");
    }
    return token.asText();
  }

  private static Long version(JsonNode root) {
    JsonNode version = root.get("version");
    if (version == null) {
      return null;
    }
    if (!version.isIntegralNumber() || !version.canConvertToLong() || version.asLong() < 0) {
      throw new Rejection(Rejection.BAD_REQUEST, "Invalid version");
    }
    return version.asLong();
  }

  private static String capitalized(String name) {
    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }
}
