package org.iotbackbone.streamsapp.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The cache of verified tokens alone: expiry, keys, the bound. Pure logic, a clock moved by hand.
 */
class VerifiedTokensTest {

  private static final Instant START = Instant.parse("2026-12-06T08:00:00Z");

  private final TestClock clock = new TestClock(START);
  private final TestTokens idp = new TestTokens("key-a");
  private final AtomicReference<JWKSet> published = new AtomicReference<>(set(idp));
  private final AtomicBoolean sourceDown = new AtomicBoolean();
  private final JWKSource<SecurityContext> source =
      (selector, context) -> {
        if (sourceDown.get()) {
          throw new KeySourceException("the provider does not answer");
        }
        return selector.select(published.get());
      };
  private final Caller caller =
      new Caller("s", EnumSet.of(Scope.SHADOWS_READ), DevicePattern.parse("lamp-*"));

  @Test
  void aHitGivesTheSameCallerUntilTheTokensExpiryAndNotAtIt() {
    VerifiedTokens cache = new VerifiedTokens(source, clock, 10);
    cache.put("token-1", verified(caller, START.plusSeconds(600)));

    Caller hit = cache.get("token-1");
    assertThat(hit).isSameAs(caller);
    assertThat(hit.scopes()).containsExactly(Scope.SHADOWS_READ);
    assertThat(hit.mayAccess("lamp-1")).isTrue();
    assertThat(hit.mayAccess("robot-1")).isFalse();

    clock.set(START.plusSeconds(600).minusMillis(1));
    assertThat(cache.get("token-1")).isSameAs(caller);
    clock.set(START.plusSeconds(600));
    assertThat(cache.get("token-1")).isNull();
    assertThat(cache.size()).isZero();
  }

  @Test
  void onlyTheExactTokenHits() {
    VerifiedTokens cache = new VerifiedTokens(source, clock, 10);
    cache.put("aaaa.bbbb.cccc", verified(caller, START.plusSeconds(600)));

    assertThat(cache.get("aaaa.bbbb.cccd")).isNull();
    assertThat(cache.get("aaaa.bbbb.ccc")).isNull();
    assertThat(cache.get("aaaa.bbbb.cccc ")).isNull();
    assertThat(cache.get("aaaa.bbbb.cccc")).isSameAs(caller);
  }

  @Test
  void aTokenWhoseKeyIsNoLongerPublishedIsNotAHit() {
    VerifiedTokens cache = new VerifiedTokens(source, clock, 10);
    cache.put("token-1", verified(caller, START.plusSeconds(600)));

    published.set(set(new TestTokens("key-b")));
    assertThat(cache.get("token-1")).isNull();
    // Dropped, not just skipped: the key coming back does not revive it.
    published.set(set(idp));
    assertThat(cache.get("token-1")).isNull();
  }

  @Test
  void aKeyWithTheSameIdButAnotherValueIsNotTheSameKey() {
    VerifiedTokens cache = new VerifiedTokens(source, clock, 10);
    cache.put("token-1", verified(caller, START.plusSeconds(600)));

    published.set(set(new TestTokens("key-a")));
    assertThat(cache.get("token-1")).isNull();
  }

  @Test
  void aKeySourceThatCannotAnswerIsNotAHit() {
    VerifiedTokens cache = new VerifiedTokens(source, clock, 10);
    cache.put("token-1", verified(caller, START.plusSeconds(600)));

    sourceDown.set(true);
    assertThat(cache.get("token-1")).isNull();
  }

  @Test
  void anExpiredTokenIsNotStoredAndZeroEntriesStoresNothing() {
    VerifiedTokens cache = new VerifiedTokens(source, clock, 10);
    cache.put("token-1", verified(caller, START));
    assertThat(cache.size()).isZero();

    VerifiedTokens none = new VerifiedTokens(source, clock, 0);
    none.put("token-1", verified(caller, START.plusSeconds(600)));
    assertThat(none.size()).isZero();
    assertThat(none.get("token-1")).isNull();
  }

  @Test
  void theBoundHoldsAndTheTokensClosestToExpiryGoFirst() {
    VerifiedTokens cache = new VerifiedTokens(source, clock, 100);
    for (int i = 0; i < 1_000; i++) {
      cache.put("token-" + i, verified(caller, START.plusSeconds(600 + i)));
      assertThat(cache.size()).isLessThanOrEqualTo(100);
    }
    assertThat(cache.get("token-999")).isSameAs(caller);
    assertThat(cache.get("token-0")).isNull();
    assertThat(cache.get("token-899")).isNull();
  }

  @Test
  void expiredTokensMakeRoomBeforeLiveOnes() {
    VerifiedTokens cache = new VerifiedTokens(source, clock, 100);
    for (int i = 0; i < 50; i++) {
      cache.put("short-" + i, verified(caller, START.plusSeconds(10)));
    }
    for (int i = 0; i < 50; i++) {
      cache.put("long-" + i, verified(caller, START.plusSeconds(3_600)));
    }
    clock.advance(Duration.ofSeconds(60));
    cache.put("new", verified(caller, START.plusSeconds(600)));

    assertThat(cache.size()).isEqualTo(51);
    assertThat(cache.get("new")).isSameAs(caller);
    assertThat(cache.get("long-0")).isSameAs(caller);
  }

  private VerifiedTokens.Verified verified(Caller who, Instant expiry) {
    JWKSelector selector =
        new JWKSelector(
            JWKMatcher.forJWSHeader(
                new JWSHeader.Builder(JWSAlgorithm.ES256)
                    .keyID(idp.publicJwk().getKeyID())
                    .build()));
    List<JWK> keys = selector.select(published.get());
    assertThat(keys).hasSize(1);
    return new VerifiedTokens.Verified(who, expiry.toEpochMilli(), selector, keys);
  }

  private static JWKSet set(TestTokens... idps) {
    return new JWKSet(java.util.Arrays.stream(idps).map(TestTokens::publicJwk).toList());
  }
}
