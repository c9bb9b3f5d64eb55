package org.iotbackbone.streamsapp.internal.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tokens that passed every check, remembered so that a client reusing its token (as clients do,
 * until it expires) is not verified again on each request: an ES256 verification costs about a
 * millisecond of CPU, a hit a few microseconds.
 *
 * <p>What a hit may never do is accept what {@link TokenVerifier} would refuse:
 *
 * <ul>
 *   <li><b>Keyed by the SHA-256 of the exact token</b>, not the token: a hit needs the very same
 *       bytes (SHA-256 has no known collisions), a key is 32 bytes whatever the token's size, and
 *       the heap holds no reusable bearer token for up to its lifetime (a heap dump or a leak of
 *       the cache gives nothing to replay). Hashing costs a microsecond or two.
 *   <li><b>Kept until the token's {@code exp}</b>, never longer; the verifier's clock skew is not
 *       added: after {@code exp} the token is verified again on each request, and the verifier
 *       decides, with its skew, as without a cache.
 *   <li><b>Trusted only while its keys are</b>: an entry keeps the keys that could have verified it
 *       (and the selector that found them); a hit asks the key source again (a lookup in its cached
 *       set, which also lets the source refresh after its time-to-live as it does for uncached
 *       tokens) and counts only when every one of them is still there. A key removed from the JWKS
 *       therefore stops its tokens at the source's next refresh, exactly as without a cache; a
 *       source that cannot answer sends the token to full verification (and its 503).
 *   <li><b>Only valid tokens</b>: {@link TokenVerifier} stores a token after every check passed.
 *       Refusals are not remembered: anyone can make new bad tokens, so a refusal cache would stop
 *       no flood but could be filled by one; most refusals (malformed, unknown key) are cheap
 *       anyway; a token of a key id not seen yet must be accepted as soon as the provider publishes
 *       the key; and an unreachable provider (503) is nothing the token did.
 * </ul>
 *
 * <p>Bounded by a number of entries. A ConcurrentHashMap, not a caching library: none is on the
 * classpath, and lookups need no lock. When an insert takes it past the bound, one thread drops the
 * expired entries and, if that is not enough, those closest to their expiry (with tokens of one
 * lifetime, the oldest) down to nine tenths of the bound, so the sort is paid once per tenth of the
 * bound's inserts; the bound may be passed by the inserts running meanwhile (one per REST thread at
 * most).
 */
final class VerifiedTokens {

  /**
   * A verified token's caller and what it still depends on.
   *
   * @param caller what the token grants
   * @param expiresAtMillis its {@code exp}, in epoch milliseconds
   * @param selector how its keys were selected (from its header)
   * @param keys the keys that could have verified it
   */
  record Verified(Caller caller, long expiresAtMillis, JWKSelector selector, List<JWK> keys) {}

  private record Digest(long a, long b, long c, long d) {}

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("every JDK has SHA-256", e);
            }
          });

  private final JWKSource<SecurityContext> keys;
  private final Clock clock;
  private final int maxEntries;
  private final Map<Digest, Verified> entries = new ConcurrentHashMap<>();
  private final ReentrantLock eviction = new ReentrantLock();

  /**
   * @param keys the source the tokens were verified with, asked again on each hit
   * @param clock the clock that ends entries at their expiry
   * @param maxEntries the bound; 0 caches nothing
   */
  VerifiedTokens(JWKSource<SecurityContext> keys, Clock clock, int maxEntries) {
    if (maxEntries < 0) {
      throw new IllegalArgumentException("maxEntries < 0");
    }
    this.keys = keys;
    this.clock = clock;
    this.maxEntries = maxEntries;
  }

  /** The caller of a token verified before, still unexpired and with its keys; else null. */
  Caller get(String token) {
    if (maxEntries == 0) {
      return null;
    }
    Digest digest = digest(token);
    Verified entry = entries.get(digest);
    if (entry == null) {
      return null;
    }
    if (clock.millis() >= entry.expiresAtMillis() || !keysStillTrusted(entry)) {
      entries.remove(digest, entry);
      return null;
    }
    return entry.caller();
  }

  /** Remembers a token that passed every check, unless it has expired already. */
  void put(String token, Verified verified) {
    if (maxEntries == 0 || clock.millis() >= verified.expiresAtMillis()) {
      return;
    }
    entries.put(digest(token), verified);
    if (entries.size() > maxEntries) {
      evict();
    }
  }

  /** How many tokens are remembered. */
  int size() {
    return entries.size();
  }

  private boolean keysStillTrusted(Verified entry) {
    try {
      // The same lookup verification makes; the key source's cache answers it without a fetch
      // until its time-to-live has passed.
      return keys.get(entry.selector(), null).containsAll(entry.keys());
    } catch (Exception e) {
      // A source that cannot answer now (or is rate-limited): full verification decides.
      return false;
    }
  }

  private void evict() {
    eviction.lock();
    try {
      if (entries.size() <= maxEntries) {
        return; // another thread has made room meanwhile
      }
      long now = clock.millis();
      entries.values().removeIf(entry -> now >= entry.expiresAtMillis());
      int target = maxEntries - maxEntries / 10;
      int excess = entries.size() - target;
      if (excess <= 0) {
        return;
      }
      List<Map.Entry<Digest, Verified>> soonest = new ArrayList<>(entries.entrySet());
      soonest.sort(Comparator.comparingLong(entry -> entry.getValue().expiresAtMillis()));
      for (Map.Entry<Digest, Verified> entry : soonest.subList(0, excess)) {
        entries.remove(entry.getKey(), entry.getValue());
      }
    } finally {
      eviction.unlock();
    }
  }

  private static Digest digest(String token) {
    // UTF-8, not ASCII: the encoding must be one-to-one, or two tokens could share a digest.
    byte[] hash = SHA256.get().digest(token.getBytes(StandardCharsets.UTF_8));
    ByteBuffer bytes = ByteBuffer.wrap(hash);
    return new Digest(bytes.getLong(), bytes.getLong(), bytes.getLong(), bytes.getLong());
  }
}
