package org.iotbackbone.streamsapp.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.iotbackbone.streamsapp.internal.rest.HttpSecurity;

/**
 * A test identity provider: an EC P-256 key, tokens it signs (good and bad ones), and the settings
 * and verifier that trust it. Signing is nimbus-jose-jwt's, as the app's verification.
 */
public final class TestTokens {

  public static final String ISSUER = "https://issuer.test/";
  public static final String AUDIENCE = "iot-rest";

  private final ECKey key;

  public TestTokens() {
    this("test-key");
  }

  public TestTokens(String keyId) {
    try {
      key = new ECKeyGenerator(Curve.P_256).keyID(keyId).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public key as a JWK. */
  public JWK publicJwk() {
    return key.toPublicJWK();
  }

  /** The public key as a JWK set (JSON), as a JWKS URL serves it. */
  public String jwks() {
    return new JWKSet(key.toPublicJWK()).toString();
  }

  /** Writes the public key as a PEM file and returns it. */
  public Path writePem(Path dir) {
    try {
      String base64 =
          Base64.getMimeEncoder(64, "\n".getBytes())
              .encodeToString(key.toECPublicKey().getEncoded());
      Path file = dir.resolve("rest-auth.pem");
      Files.writeString(
          file, "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The app's settings that trust this key through a file in {@code dir}. */
  public Map<String, String> settings(Path dir) {
    return Map.of(
        "http.auth.public.key.file", writePem(dir).toString(),
        "http.auth.issuer", ISSUER,
        "http.auth.audience", AUDIENCE);
  }

  /** A verifier trusting this key, with a minute of clock skew. */
  public TokenVerifier verifier() {
    return new TokenVerifier(
        new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK())),
        ISSUER,
        AUDIENCE,
        Duration.ofSeconds(60));
  }

  /** API security with this key's verifier, over plain HTTP. */
  public HttpSecurity security() {
    TokenVerifier verifier = verifier();
    return new HttpSecurity(verifier::verify, null);
  }

  /** A valid token for these scopes (space-separated) and, if not null, devices. */
  public String token(String scope, String devices) {
    return sign(claims(scope, devices).build());
  }

  /** {@code Authorization} header value for {@link #token}. */
  public String bearer(String scope, String devices) {
    return "Bearer " + token(scope, devices);
  }

  /** A token with every scope and no device limit. */
  public String allScopes() {
    return bearer(
        "devices:read shadows:read shadows:write commands:write jobs:read jobs:write", null);
  }

  /** Claims of a valid token, to be changed by a test into a bad one. */
  public JWTClaimsSet.Builder claims(String scope, String devices) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .subject("test")
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))));
    if (scope != null) {
      claims.claim("scope", scope);
    }
    if (devices != null) {
      claims.claim("devices", devices);
    }
    return claims;
  }

  /** The claims signed with this key (ES256, with its key id). */
  public String sign(JWTClaimsSet claims) {
    try {
      JWSSigner signer = new ECDSASigner(key);
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
