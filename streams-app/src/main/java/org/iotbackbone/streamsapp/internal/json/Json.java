package org.iotbackbone.streamsapp.internal.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one JSON mapper of the app and small helpers around it. */
public final class Json {

  /** Strict: duplicate keys and trailing tokens are errors, as they are for AWS's parser. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}

  /** A new empty object. */
  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** Parses a document; throws {@link JsonProcessingException} when it is not valid JSON. */
  public static JsonNode parse(String text) throws JsonProcessingException {
    return MAPPER.readTree(text);
  }

  /** Parses a document this app wrote itself (stored state); invalid JSON is a bug here. */
  public static ObjectNode parseObject(String text) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (!node.isObject()) {
        throw new IllegalStateException("stored JSON is not an object: " + text);
      }
      return (ObjectNode) node;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is invalid", e);
    }
  }

  /** Compact text of a node. */
  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /**
   * The size of a text in UTF-8 bytes as {@code String.getBytes(UTF_8)} encodes it, counted without
   * encoding it; 0 for null.
   */
  public static int utf8Length(CharSequence text) {
    if (text == null) {
      return 0;
    }
    int bytes = 0;
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4; // a pair is one code point of four bytes
        i++;
      } else if (Character.isSurrogate(c)) {
        bytes += 1; // a lone surrogate (a JSON escape of half a pair) is encoded as a question mark
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
