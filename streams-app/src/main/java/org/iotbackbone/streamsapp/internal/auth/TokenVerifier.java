package org.iotbackbone.streamsapp.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Turns an {@code Authorization} header into a {@link Caller}, or refuses it with {@link
 * Unauthorized}: the token must be a JWS signed with an asymmetric algorithm by one of the
 * verification keys, name the expected issuer and audience, and carry an expiry that has not passed
 * (give or take the clock skew). Scopes come from the space-separated {@code scope} claim (RFC
 * 8693's form), the device limit from the {@code devices} claim ({@link DevicePattern}).
 *
 * <p>All cryptography and claim checks are nimbus-jose-jwt's; this class only chooses what to
 * accept. HMAC algorithms are never accepted: with a public key as the "secret" anyone could sign.
 *
 * <p>A token that passed is remembered until its {@code exp} ({@link VerifiedTokens}: at most
 * {@link #CACHED_TOKENS}, and only while the keys that verified it are still published), so a
 * client reusing its token costs one signature verification, not one a request.
 */
public final class TokenVerifier {

  /** The claim holding the granted scopes, space-separated. */
  public static final String SCOPE_CLAIM = "scope";

  /** The claim holding the devices the token is limited to (absent: every device). */
  public static final String DEVICES_CLAIM = "devices";

  private static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512,
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512);

  /** How many verified tokens are remembered: a few MB at most (32-byte keys). */
  public static final int CACHED_TOKENS = 10_000;

  private final DefaultJWTProcessor<SecurityContext> processor;
  private final VerifiedTokens verified;

  /**
   * @param keys where the verification keys come from (a local key or the provider's JWKS URL)
   * @param issuer the only accepted {@code iss}
   * @param audience the value {@code aud} must contain
   * @param clockSkew how far {@code exp} and {@code nbf} may be off the local clock
   */
  public TokenVerifier(
      JWKSource<SecurityContext> keys, String issuer, String audience, Duration clockSkew) {
    this(keys, issuer, audience, clockSkew, Clock.systemUTC(), CACHED_TOKENS);
  }

  /**
   * As {@link #TokenVerifier(JWKSource, String, String, Duration)}, with the clock that decides
   * expiry (of tokens and of remembered ones) and how many verified tokens to remember (0: none).
   */
  public TokenVerifier(
      JWKSource<SecurityContext> keys,
      String issuer,
      String audience,
      Duration clockSkew,
      Clock clock,
      int cachedTokens) {
    // Each verification records the keys it selected in its Lookup, for the cache's later checks.
    JWKSource<SecurityContext> recording =
        (selector, context) -> {
          List<JWK> found = keys.get(selector, context);
          if (context instanceof Lookup lookup) {
            lookup.selector = selector;
            lookup.keys = found;
          }
          return found;
        };
    processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, recording));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            Set.of(audience),
            new JWTClaimsSet.Builder().issuer(issuer).build(),
            Set.of(JWTClaimNames.EXPIRATION_TIME),
            Set.of()) {
          @Override
          protected Date currentTime() {
            return Date.from(clock.instant());
          }
        };
    claims.setMaxClockSkew((int) clockSkew.toSeconds());
    processor.setJWTClaimsSetVerifier(claims);
    verified = new VerifiedTokens(keys, clock, cachedTokens);
  }

  /**
   * The caller of a request with this {@code Authorization} header (null when there is none).
   *
   * @throws Unauthorized without a bearer token, or with one that does not verify
   * @throws KeysUnavailable when the identity provider's keys cannot be fetched
   */
  public Caller verify(String authorization) {
    String token = bearerToken(authorization);
    Caller known = verified.get(token);
    if (known != null) {
      return known;
    }
    SignedJWT jwt;
    try {
      // SignedJWT, not JWTParser: an unsecured token (alg "none") does not even parse as a JWS.
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      throw Unauthorized.invalid("not a signed JWT");
    }
    JWTClaimsSet claims;
    Lookup lookup = new Lookup();
    try {
      claims = processor.process(jwt, lookup);
    } catch (BadJWTException e) {
      throw Unauthorized.invalid(e.getMessage());
    } catch (BadJOSEException e) {
      throw Unauthorized.invalid("signature or key rejected: " + e.getMessage());
    } catch (RateLimitReachedException e) {
      // A key id the cached set lacks, asked again too soon: an unknown key, the token's fault.
      throw Unauthorized.invalid("signed by an unknown key");
    } catch (KeySourceException e) {
      throw new KeysUnavailable("the token's keys cannot be fetched now: " + e.getMessage(), e);
    } catch (JOSEException e) {
      throw Unauthorized.invalid("cannot be verified: " + e.getMessage());
    }
    Caller caller = caller(claims);
    if (lookup.selector != null) {
      // exp is required, so never null here.
      verified.put(
          token,
          new VerifiedTokens.Verified(
              caller, claims.getExpirationTime().getTime(), lookup.selector, lookup.keys));
    }
    return caller;
  }

  /** How many verified tokens are remembered now. */
  int cachedTokens() {
    return verified.size();
  }

  /** One verification's key lookup, handed through nimbus as its security context. */
  private static final class Lookup implements SecurityContext {
    private JWKSelector selector;
    private List<JWK> keys = List.of();
  }

  private static String bearerToken(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      throw Unauthorized.missing();
    }
    int space = authorization.indexOf(' ');
    if (space < 0 || !authorization.substring(0, space).equalsIgnoreCase("Bearer")) {
      throw Unauthorized.missing();
    }
    String token = authorization.substring(space + 1).trim();
    if (token.isEmpty()) {
      throw Unauthorized.invalid("empty bearer token");
    }
    return token;
  }

  private static Caller caller(JWTClaimsSet claims) {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    DevicePattern devices;
    try {
      String scope = claims.getStringClaim(SCOPE_CLAIM);
      if (scope != null) {
        for (String value : scope.trim().split(" +")) {
          Scope.of(value).ifPresent(scopes::add);
        }
      }
      String pattern = claims.getStringClaim(DEVICES_CLAIM);
      devices = pattern == null ? DevicePattern.ANY : DevicePattern.parse(pattern);
    } catch (ParseException e) {
      throw Unauthorized.invalid("the scope and devices claims must be strings");
    } catch (IllegalArgumentException e) {
      throw Unauthorized.invalid("bad devices claim: " + e.getMessage());
    }
    return new Caller(claims.getSubject(), scopes, devices);
  }
}
