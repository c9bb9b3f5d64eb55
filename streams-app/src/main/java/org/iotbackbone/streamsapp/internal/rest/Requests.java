package org.iotbackbone.streamsapp.internal.rest;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.iotbackbone.streamsapp.internal.streams.DeviceIds;

/** Reads what a request carries, answering a bad value with the {@link ApiError} it deserves. */
final class Requests {

  private static final Pattern SHADOW_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private Requests() {}

  /** The raw path and query, as forwarded to the instance that owns the data. */
  static String pathAndQuery(HttpExchange exchange) {
    String query = exchange.getRequestURI().getRawQuery();
    return exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query);
  }

  /** Whether another instance forwarded the request (it is answered locally then). */
  static boolean forwarded(HttpExchange exchange) {
    return exchange.getRequestHeaders().containsKey(Queries.FORWARDED_HEADER);
  }

  /** The body as text: 413 over {@code maxBodyBytes}, 415 when it is not UTF-8. */
  static String body(HttpExchange exchange, int maxBodyBytes) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(maxBodyBytes + 1);
      if (bytes.length > maxBodyBytes) {
        throw new ApiError(413, "The body is larger than " + maxBodyBytes + " bytes");
      }
      var decoder = StandardCharsets.UTF_8.newDecoder();
      try {
        return decoder.decode(ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        throw new ApiError(415, "The body is not UTF-8");
      }
    }
  }

  /** The device id of the path, 400 when it is not one. */
  static String deviceId(String raw) {
    if (!DeviceIds.isValid(raw)) {
      throw new ApiError(400, "Invalid device id: 1 to 64 characters of [A-Za-z0-9_-]");
    }
    return raw;
  }

  /** The shadow name of the path, 400 when it is not one. */
  static String shadowName(String raw) {
    if (!SHADOW_NAME.matcher(raw).matches()) {
      throw new ApiError(400, "Invalid shadow name: 1 to 64 characters of [A-Za-z0-9_-]");
    }
    return raw;
  }

  /** The query's parameters, decoded; the last of a repeated name wins. */
  static Map<String, String> params(String query) {
    Map<String, String> params = new HashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String key =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        params.put(key, value);
      }
    }
    return params;
  }

  /** {@code true} or {@code false}, 400 otherwise. */
  static Boolean bool(String value) {
    if (value.equals("true") || value.equals("false")) {
      return Boolean.valueOf(value);
    }
    throw new ApiError(400, "connected must be true or false");
  }

  /** A list size from 1 to 1000, 400 otherwise. */
  static int limit(String value) {
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= 1000) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiError(400, "limit must be a whole number from 1 to 1000");
  }
}
