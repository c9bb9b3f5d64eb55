package org.iotbackbone.streamsapp.internal.auth;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/** Where the REST API's token verification keys come from: a local file or a JWKS URL. */
public final class VerificationKeys {

  private static final String PEM_BEGIN = "-----BEGIN PUBLIC KEY-----";
  private static final String PEM_END = "-----END PUBLIC KEY-----";

  private VerificationKeys() {}

  /**
   * The public keys of a file: a PEM {@code PUBLIC KEY} (EC or RSA), a JWK, or a JWK set (JSON).
   * Private parts, if the file has any, are dropped.
   *
   * @throws IOException when it cannot be read or holds no public key
   */
  public static JWKSource<SecurityContext> fromFile(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8).trim();
    List<JWK> keys = new ArrayList<>();
    try {
      if (text.startsWith("{")) {
        JWKSet set = text.contains("\"keys\"") ? JWKSet.parse(text) : new JWKSet(JWK.parse(text));
        set.toPublicJWKSet().getKeys().forEach(keys::add);
      } else {
        keys.add(fromPem(text));
      }
    } catch (ParseException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(
          file + " is not a PEM public key, a JWK or a JWK set: " + e.getMessage(), e);
    }
    if (keys.isEmpty()) {
      throw new IOException(file + " holds no public key");
    }
    JWKSet set = new JWKSet(keys);
    JWKSet withoutIds = new JWKSet(keys.stream().filter(key -> key.getKeyID() == null).toList());
    // A key with no id (a PEM file has none) verifies a token whatever "kid" the token names, as
    // the operator gave just that key; keys with ids are matched by id, as in a JWKS.
    return (selector, context) -> {
      List<JWK> found = selector.select(set);
      if (!found.isEmpty() || withoutIds.isEmpty()) {
        return found;
      }
      return new JWKSelector(
              new JWKMatcher.Builder(selector.getMatcher()).keyIDs((Set<String>) null).build())
          .select(withoutIds);
    };
  }

  /** How long the keys of a JWKS URL are used before they are fetched again. */
  public static final Duration JWKS_TIME_TO_LIVE =
      Duration.ofMillis(JWKSourceBuilder.DEFAULT_CACHE_TIME_TO_LIVE);

  /**
   * The keys the identity provider publishes at a JWKS URL: fetched on first use, cached ({@link
   * #JWKS_TIME_TO_LIVE}, 5 min: a key removed from the set stops verifying tokens, cached ones too,
   * within that), refetched when a token names a key id it has not seen (a rotated key),
   * rate-limited so that bad tokens cannot make the app hammer the provider, and retried once on a
   * network error.
   */
  public static JWKSource<SecurityContext> fromUrl(URI jwksUrl) throws IOException {
    return fromUrl(jwksUrl, JWKS_TIME_TO_LIVE);
  }

  /**
   * As {@link #fromUrl(URI)} with another time-to-live (a test's seconds). The refresh timeout (15
   * s), the refresh-ahead time (30 s) and the least interval between fetches (30 s) shrink with it
   * when it is short, as nimbus requires them below it.
   */
  public static JWKSource<SecurityContext> fromUrl(URI jwksUrl, Duration timeToLive)
      throws IOException {
    long ttl = timeToLive.toMillis();
    return JWKSourceBuilder.<SecurityContext>create(jwksUrl.toURL())
        .cache(ttl, Math.min(JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT, ttl / 4))
        .refreshAheadCache(Math.min(JWKSourceBuilder.DEFAULT_REFRESH_AHEAD_TIME, ttl / 10), false)
        .rateLimited(Math.min(JWKSourceBuilder.DEFAULT_RATE_LIMIT_MIN_INTERVAL, ttl / 2))
        .retrying(true)
        .build();
  }

  /** A PEM SubjectPublicKeyInfo, decoded by the JDK; the signature checks stay nimbus'. */
  private static JWK fromPem(String pem) throws GeneralSecurityException {
    int begin = pem.indexOf(PEM_BEGIN);
    int end = pem.indexOf(PEM_END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("no " + PEM_BEGIN + " block");
    }
    byte[] der =
        Base64.getMimeDecoder().decode(pem.substring(begin + PEM_BEGIN.length(), end).trim());
    X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
    PublicKey key;
    try {
      key = KeyFactory.getInstance("EC").generatePublic(spec);
    } catch (GeneralSecurityException notEc) {
      key = KeyFactory.getInstance("RSA").generatePublic(spec);
    }
    if (key instanceof ECPublicKey ec) {
      Curve curve = Curve.forECParameterSpec(ec.getParams());
      if (curve == null) {
        throw new IllegalArgumentException("an EC key on a curve JOSE does not name");
      }
      return new ECKey.Builder(curve, ec).build();
    }
    return new RSAKey.Builder((RSAPublicKey) key).build();
  }
}
