package org.iotbackbone.streamsapp.internal.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import org.iotbackbone.streamsapp.internal.json.Json;

/**
 * The clientTokens of one device's recently accepted updates and deletes, so that a redelivered
 * request (MQTT at-least-once: the same message twice) is answered with its first answer instead of
 * being applied again. A request is the same one when shadow, clientToken and body are equal; the
 * same token with another body is a new request. At most {@code max} tokens are kept, each for
 * {@code window} after its request was received ({@code requestedAt}, the time the bridge stamped,
 * so that a replay of the topic decides the same).
 *
 * <p>Kept as JSON text in a store of its own, beside the device's record: not in the record, which
 * downstream readers and ScyllaDB get.
 */
public final class RecentTokens {

  /** One remembered answer: enough to build the accepted response again. */
  record Entry(
      String shadow,
      String token,
      String body,
      Long version,
      long answeredAtMs,
      long receivedAtMs) {}

  private final int max;
  private final long windowMs;
  private final Deque<Entry> entries = new ArrayDeque<>();
  private boolean changed;

  private RecentTokens(int max, Duration window) {
    this.max = max;
    this.windowMs = window.toMillis();
  }

  /** The tokens a store held (null: none yet). */
  public static RecentTokens parse(String json, int max, Duration window) {
    RecentTokens tokens = new RecentTokens(max, window);
    if (json != null) {
      for (JsonNode e : Json.parseObject(json).path("entries")) {
        tokens.entries.add(
            new Entry(
                e.path("s").asText(),
                e.path("t").asText(),
                e.path("h").asText(),
                e.hasNonNull("v") ? e.get("v").asLong() : null,
                e.path("a").asLong(),
                e.path("r").asLong()));
      }
    }
    return tokens;
  }

  /** The first answer to this request, if it was accepted within the window; else null. */
  Entry find(String shadow, String token, String body, long receivedAtMs) {
    String hash = hash(body);
    for (Entry e : entries) {
      if (e.shadow.equals(shadow)
          && e.token.equals(token)
          && e.body.equals(hash)
          && receivedAtMs - e.receivedAtMs <= windowMs) {
        return e;
      }
    }
    return null;
  }

  /** Remembers an accepted request, forgetting what is out of the window or over the count. */
  void remember(
      String shadow, String token, String body, Long version, long answeredAtMs, long receivedAt) {
    entries.removeIf(e -> e.shadow.equals(shadow) && e.token.equals(token));
    entries.addLast(new Entry(shadow, token, hash(body), version, answeredAtMs, receivedAt));
    entries.removeIf(e -> receivedAt - e.receivedAtMs > windowMs);
    while (entries.size() > max) {
      entries.removeFirst();
    }
    changed = true;
  }

  /** Whether {@link #remember} changed what is to be stored. */
  public boolean changed() {
    return changed;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public String toJson() {
    ObjectNode root = Json.object();
    ArrayNode list = root.putArray("entries");
    for (Entry e : entries) {
      ObjectNode node = list.addObject();
      node.put("s", e.shadow);
      node.put("t", e.token);
      node.put("h", e.body);
      if (e.version != null) {
        node.put("v", e.version);
      }
      node.put("a", e.answeredAtMs);
      node.put("r", e.receivedAtMs);
    }
    return Json.write(root);
  }

  /** A short digest of the body: equal bodies, equal digests, and no body kept in the store. */
  private static String hash(String body) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(String.valueOf(body).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
