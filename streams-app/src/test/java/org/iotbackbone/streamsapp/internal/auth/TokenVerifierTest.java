package org.iotbackbone.streamsapp.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad token is refused with 401 (and the right challenge); good ones give a caller.
 */
class TokenVerifierTest {

  private final TestTokens tokens = new TestTokens();
  private final TokenVerifier verifier = tokens.verifier();

  @Test
  void aValidTokenGivesItsScopesAndDevices() {
    Caller caller = verifier.verify(tokens.bearer("shadows:read devices:read", "speaker-*"));

    assertThat(caller.subject()).isEqualTo("test");
    assertThat(caller.scopes()).containsExactlyInAnyOrder(Scope.SHADOWS_READ, Scope.DEVICES_READ);
    assertThat(caller.mayAccess("speaker-1")).isTrue();
    assertThat(caller.mayAccess("robot-1")).isFalse();
  }

  @Test
  void unknownScopesAreIgnoredAndNoScopeClaimGrantsNothing() {
    assertThat(verifier.verify(tokens.bearer("openid  shadows:write x", null)).scopes())
        .containsExactly(Scope.SHADOWS_WRITE);
    Caller none = verifier.verify(tokens.bearer(null, null));
    assertThat(none.scopes()).isEmpty();
    assertThat(none.mayAccess("anything")).isTrue();
  }

  @Test
  void noTokenIsAChallengeWithoutAnError() {
    for (String header : new String[] {null, "", "Basic dXNlcjpwYXNz", "Bearer"}) {
      assertThatThrownBy(() -> verifier.verify(header))
          .as(header)
          .isInstanceOfSatisfying(
              Unauthorized.class, e -> assertThat(e.challenge()).isEqualTo("Bearer realm=\"iot\""));
    }
  }

  @Test
  void aMalformedTokenIsInvalid() {
    for (String token : List.of("abc", "a.b.c", "e30.e30.", "Bearer x")) {
      assertInvalid("Bearer " + token, "not a signed JWT");
    }
    assertInvalid("Bearer  ", "empty bearer token");
  }

  @Test
  void anExpiredTokenIsInvalidButAFewSecondsLateIsAccepted() {
    Instant now = Instant.now();
    assertInvalid(at(now.minus(Duration.ofMinutes(5))), "Expired");
    assertThat(verifier.verify(at(now.minusSeconds(30))).scopes()).contains(Scope.SHADOWS_READ);
  }

  @Test
  void aTokenWithoutExpiryIsInvalid() {
    assertInvalid(
        "Bearer " + tokens.sign(tokens.claims("shadows:read", null).expirationTime(null).build()),
        "exp");
  }

  @Test
  void aTokenNotValidYetIsInvalid() {
    Date later = Date.from(Instant.now().plus(Duration.ofMinutes(5)));
    assertInvalid(
        "Bearer " + tokens.sign(tokens.claims("shadows:read", null).notBeforeTime(later).build()),
        "before");
  }

  @Test
  void anUnsignedTokenIsInvalid() {
    String none =
        new PlainJWT(new PlainHeader(), tokens.claims("shadows:read", null).build()).serialize();
    assertInvalid("Bearer " + none, "not a signed JWT");
  }

  @Test
  void aTokenSignedByAnotherKeyWithTheSameIdIsInvalid() {
    TestTokens impostor = new TestTokens("test-key");
    assertInvalid(impostor.bearer("shadows:read", null), "Invalid signature");
  }

  @Test
  void aTokenWhosePayloadWasChangedIsInvalid() {
    String[] parts = tokens.token("shadows:read", "speaker-*").split("\\.");
    String widened =
        tokens.token("shadows:read shadows:write commands:write", null).split("\\.")[1];
    assertInvalid("Bearer " + parts[0] + "." + widened + "." + parts[2], "Invalid signature");
  }

  @Test
  void anHmacTokenIsInvalidWhateverTheSecret() throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("test-key").build(),
            tokens.claims("shadows:read", null).build());
    jwt.sign(new MACSigner(new byte[32]));
    assertInvalid("Bearer " + jwt.serialize(), "rejected");
  }

  @Test
  void aTokenOfAnotherIssuerIsInvalid() {
    assertInvalid(
        "Bearer "
            + tokens.sign(tokens.claims("shadows:read", null).issuer("https://evil/").build()),
        "iss");
  }

  @Test
  void aTokenForAnotherAudienceIsInvalid() {
    assertInvalid(
        "Bearer " + tokens.sign(tokens.claims("shadows:read", null).audience("billing").build()),
        "aud");
    assertInvalid(
        "Bearer "
            + tokens.sign(tokens.claims("shadows:read", null).audience((String) null).build()),
        "aud");
    // One of several audiences is enough.
    assertThat(
            verifier
                .verify(
                    "Bearer "
                        + tokens.sign(
                            tokens
                                .claims("shadows:read", null)
                                .audience(List.of("billing", TestTokens.AUDIENCE))
                                .build()))
                .scopes())
        .contains(Scope.SHADOWS_READ);
  }

  @Test
  void badScopeOrDevicesClaimsAreInvalid() {
    assertInvalid(
        "Bearer " + tokens.sign(tokens.claims(null, null).claim("scope", List.of("a")).build()),
        "strings");
    assertInvalid(tokens.bearer("shadows:read", "speaker-[0-9]"), "devices");
    assertInvalid(tokens.bearer("shadows:read", " "), "devices");
  }

  @Test
  void theChallengeOfAnInvalidTokenIsAQuotedStringWithoutQuotes() {
    assertThatThrownBy(
            () ->
                verifier.verify(
                    "Bearer "
                        + tokens.sign(
                            tokens.claims("x", null).issuer("\"quoted\" \u00e9").build())))
        .isInstanceOfSatisfying(
            Unauthorized.class,
            e ->
                assertThat(e.challenge())
                    .startsWith(
                        "Bearer realm=\"iot\", error=\"invalid_token\", error_description=\"")
                    .matches("[\\x20-\\x7E]*")
                    .satisfies(
                        challenge ->
                            assertThat(challenge.chars().filter(c -> c == '"').count())
                                .isEqualTo(6)));
  }

  @Test
  void aPemFileAndAJwkSetFileVerifyTheKeysTokens(@TempDir Path dir) throws Exception {
    TokenVerifier fromPem =
        new TokenVerifier(
            VerificationKeys.fromFile(tokens.writePem(dir)),
            TestTokens.ISSUER,
            TestTokens.AUDIENCE,
            Duration.ZERO);
    assertThat(fromPem.verify(tokens.bearer("jobs:read", null)).scopes())
        .containsExactly(Scope.JOBS_READ);
    assertThatThrownBy(() -> fromPem.verify(new TestTokens().bearer("jobs:read", null)))
        .isInstanceOf(Unauthorized.class);

    Path jwks = Files.writeString(dir.resolve("keys.json"), tokens.jwks());
    TokenVerifier fromJwks =
        new TokenVerifier(
            VerificationKeys.fromFile(jwks), TestTokens.ISSUER, TestTokens.AUDIENCE, Duration.ZERO);
    assertThat(fromJwks.verify(tokens.bearer("jobs:write", null)).scopes())
        .containsExactly(Scope.JOBS_WRITE);

    Path junk = Files.writeString(dir.resolve("junk.pem"), "not a key");
    assertThatThrownBy(() -> VerificationKeys.fromFile(junk)).hasMessageContaining("junk.pem");
  }

  @Test
  void aJwksUrlThatDoesNotAnswerIsUnavailableNotTheTokensFault() throws Exception {
    java.net.ServerSocket closed = new java.net.ServerSocket(0);
    int port = closed.getLocalPort();
    closed.close();
    TokenVerifier remote =
        new TokenVerifier(
            VerificationKeys.fromUrl(java.net.URI.create("http://127.0.0.1:" + port + "/jwks")),
            TestTokens.ISSUER,
            TestTokens.AUDIENCE,
            Duration.ZERO);
    assertThatThrownBy(() -> remote.verify(tokens.bearer("shadows:read", null)))
        .isInstanceOf(KeysUnavailable.class);
    // A token that is not even a JWT is refused without asking the provider.
    assertThatThrownBy(() -> remote.verify("Bearer junk")).isInstanceOf(Unauthorized.class);
  }

  private String at(Instant expiry) {
    JWTClaimsSet claims =
        tokens
            .claims("shadows:read", null)
            .issueTime(Date.from(expiry.minus(Duration.ofMinutes(10))))
            .expirationTime(Date.from(expiry))
            .build();
    return "Bearer " + tokens.sign(claims);
  }

  private void assertInvalid(String header, String why) {
    assertThatThrownBy(() -> verifier.verify(header))
        .isInstanceOfSatisfying(
            Unauthorized.class,
            e -> {
              assertThat(e.getMessage()).contains(why);
              assertThat(e.challenge()).contains("error=\"invalid_token\"");
            });
  }
}
