package org.iotbackbone.streamsapp.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The verifier with its cache of verified tokens: a hit gives what verification gave, and never
 * accepts what verification would refuse (expired, another token, a key no longer published).
 */
class TokenVerifierCacheTest {

  private static final Instant START = Instant.parse("2026-12-06T08:00:00Z");
  private static final Duration SKEW = Duration.ofSeconds(60);

  private final TestClock clock = new TestClock(START);
  private final TestTokens idp = new TestTokens("key-a");
  private final AtomicReference<JWKSet> published = new AtomicReference<>(set(idp));
  private final JWKSource<SecurityContext> keys =
      (selector, context) -> selector.select(published.get());
  private final TokenVerifier verifier =
      new TokenVerifier(keys, TestTokens.ISSUER, TestTokens.AUDIENCE, SKEW, clock, 100);

  @Test
  void aSecondUseOfATokenIsAHitWithTheSameScopesAndDevices() {
    String bearer = bearer(idp, "shadows:read devices:read", "speaker-*", START.plusSeconds(600));

    Caller first = verifier.verify(bearer);
    Caller second = verifier.verify(bearer);

    assertThat(verifier.cachedTokens()).isEqualTo(1);
    // The very same object: it came from the cache, not from a second verification.
    assertThat(second).isSameAs(first);
    assertThat(second.subject()).isEqualTo("test");
    assertThat(second.scopes()).containsExactlyInAnyOrder(Scope.SHADOWS_READ, Scope.DEVICES_READ);
    assertThat(second.mayAccess("speaker-1")).isTrue();
    assertThat(second.mayAccess("robot-1")).isFalse();
    // Another token of the same caller is verified, and cached, on its own.
    Caller other =
        verifier.verify(bearer(idp, "shadows:read", "speaker-*", START.plusSeconds(601)));
    assertThat(other).isNotSameAs(first);
    assertThat(verifier.cachedTokens()).isEqualTo(2);
  }

  @Test
  void aCachedTokenIsNotAcceptedFromTheCacheFromItsExpiryAndRefusedAfterTheSkew() {
    Instant exp = START.plusSeconds(600);
    String bearer = bearer(idp, "shadows:read", null, exp);
    Caller cached = verifier.verify(bearer);

    clock.set(exp.minusMillis(1));
    assertThat(verifier.verify(bearer)).isSameAs(cached);
    // From exp on, verified again: the skew still lets it through, as without a cache, but it is
    // not stored again.
    clock.set(exp);
    Caller again = verifier.verify(bearer);
    assertThat(again).isNotSameAs(cached).isEqualTo(cached);
    assertThat(verifier.cachedTokens()).isZero();
    clock.set(exp.plus(SKEW).plusSeconds(1));
    assertThatThrownBy(() -> verifier.verify(bearer))
        .isInstanceOf(Unauthorized.class)
        .hasMessageContaining("Expired");
  }

  @Test
  void withoutSkewACachedTokenIsRefusedAtItsExpiry() {
    TokenVerifier strict =
        new TokenVerifier(keys, TestTokens.ISSUER, TestTokens.AUDIENCE, Duration.ZERO, clock, 100);
    Instant exp = START.plusSeconds(600);
    String bearer = bearer(idp, "shadows:read", null, exp);
    strict.verify(bearer);

    clock.set(exp);
    assertThatThrownBy(() -> strict.verify(bearer))
        .isInstanceOf(Unauthorized.class)
        .hasMessageContaining("Expired");
  }

  @Test
  void aRotationInvalidatesCachedTokensOfTheRemovedKey() {
    TestTokens next = new TestTokens("key-b");
    String old = bearer(idp, "shadows:read", null, START.plusSeconds(600));
    String fresh = bearer(next, "shadows:read", null, START.plusSeconds(600));
    verifier.verify(old);
    // Not published yet: refused, and the refusal is not remembered.
    assertThatThrownBy(() -> verifier.verify(fresh)).isInstanceOf(Unauthorized.class);

    published.set(set(idp, next));
    assertThat(verifier.verify(fresh).scopes()).containsExactly(Scope.SHADOWS_READ);
    assertThat(verifier.verify(old).scopes()).containsExactly(Scope.SHADOWS_READ);

    published.set(set(next));
    assertThatThrownBy(() -> verifier.verify(old)).isInstanceOf(Unauthorized.class);
    assertThat(verifier.verify(fresh).scopes()).containsExactly(Scope.SHADOWS_READ);
  }

  @Test
  void aBadTokenIsNeverAcceptedFromTheCache() {
    String good = idp.token("shadows:read", "speaker-*");
    TokenVerifier real = idp.verifier();
    real.verify("Bearer " + good);
    assertThat(real.cachedTokens()).isEqualTo(1);

    // The cached token's header and signature with a widened payload.
    String[] parts = good.split("\\.");
    String widened = idp.token("shadows:read shadows:write", null).split("\\.")[1];
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> real.verify("Bearer " + parts[0] + "." + widened + "." + parts[2]))
          .isInstanceOf(Unauthorized.class)
          .hasMessageContaining("Invalid signature");
    }
    // Signed by an impostor key with the same id; another audience: refused, every time.
    String impostor = new TestTokens("test-key").bearer("shadows:read", null);
    String otherAudience =
        "Bearer " + idp.sign(idp.claims("shadows:read", null).audience("billing").build());
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> real.verify(impostor)).isInstanceOf(Unauthorized.class);
      assertThatThrownBy(() -> real.verify(otherAudience)).isInstanceOf(Unauthorized.class);
    }
    assertThat(real.cachedTokens()).isEqualTo(1);
  }

  /**
   * Against a JWKS URL on a real HTTP server, with a one-second time-to-live: a new key is accepted
   * once published, and a key removed stops its tokens, cached ones too, at the next refresh.
   */
  @Test
  void aJwksRotationIsFollowedAfterTheRefresh() throws Exception {
    TestTokens next = new TestTokens("key-b");
    AtomicReference<JWKSet> served = new AtomicReference<>(set(idp));
    AtomicInteger fetches = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/jwks",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body = served.get().toString().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      Duration ttl = Duration.ofSeconds(1);
      TokenVerifier remote =
          new TokenVerifier(
              VerificationKeys.fromUrl(
                  URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks"), ttl),
              TestTokens.ISSUER,
              TestTokens.AUDIENCE,
              SKEW,
              Clock.systemUTC(),
              100);
      String old = idp.bearer("shadows:read", null);
      String fresh = next.bearer("shadows:read", null);
      // (Awaited: on a loaded machine a fetch may pass nimbus' 500 ms timeout, a 503 that passes.)
      Caller cached =
          await()
              .atMost(Duration.ofSeconds(20))
              .ignoreExceptions()
              .until(() -> remote.verify(old), c -> true);
      assertThat(remote.verify(old)).isSameAs(cached);

      served.set(set(idp, next));
      // Refused until fetched again (a refetch for the unknown key id, rate-limited), then
      // accepted.
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(() -> remote.verify(fresh).has(Scope.SHADOWS_READ));
      assertThat(remote.verify(old)).isSameAs(cached);

      served.set(set(next));
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> refused(remote, old));
      // And stays refused, while the new key's token goes on.
      Thread.sleep(ttl.toMillis() * 2);
      assertThat(accepted(remote, old)).isFalse();
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(() -> remote.verify(fresh).has(Scope.SHADOWS_READ));
      // Hits ask the source's cache, not the provider: a handful of fetches, not one a request.
      int before = fetches.get();
      for (int i = 0; i < 200; i++) {
        remote.verify(fresh);
      }
      assertThat(fetches.get() - before).isLessThanOrEqualTo(3);
    } finally {
      server.stop(0);
    }
  }

  /** Whether the token is refused as invalid (401); a 503 (keys unavailable) is not a refusal. */
  private static boolean refused(TokenVerifier verifier, String bearer) {
    try {
      verifier.verify(bearer);
      return false;
    } catch (Unauthorized e) {
      return true;
    } catch (KeysUnavailable e) {
      return false;
    }
  }

  /** Whether the token is accepted (neither 401 nor 503). */
  private static boolean accepted(TokenVerifier verifier, String bearer) {
    try {
      verifier.verify(bearer);
      return true;
    } catch (Unauthorized | KeysUnavailable e) {
      return false;
    }
  }

  private String bearer(TestTokens by, String scope, String devices, Instant exp) {
    return "Bearer "
        + by.sign(
            by.claims(scope, devices)
                .issueTime(Date.from(exp.minusSeconds(3_600)))
                .expirationTime(Date.from(exp))
                .build());
  }

  private static JWKSet set(TestTokens... idps) {
    return new JWKSet(List.of(idps).stream().map(TestTokens::publicJwk).toList());
  }
}
