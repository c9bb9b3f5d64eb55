package org.iotbackbone.localstack.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The local stack's identity provider: an EC P-256 key made once into {@code .iot/rest-auth/} (kept
 * across {@code down} and {@code up}, so that tokens stay valid), the public half the streams app
 * verifies with, and the tokens {@code ./iot token create} and {@code ./iot up} sign with it.
 */
public final class RestTokens {

  /** The tokens' {@code iss}, and what the stack's streams app requires. */
  public static final String ISSUER = "iot-local-stack";

  /** The tokens' {@code aud}, and what the stack's streams app requires. */
  public static final String AUDIENCE = "iot-rest";

  /**
   * The scopes of the REST API (docs/design.md, "Device identity and access"; the streams app's
   * {@code Scope}).
   */
  public static final List<String> SCOPES =
      List.of(
          "devices:read",
          "shadows:read",
          "shadows:write",
          "commands:write",
          "jobs:read",
          "jobs:write");

  private static final Pattern DEVICES =
      Pattern.compile("[A-Za-z0-9_*-]{1,64}( [A-Za-z0-9_*-]{1,64})*");

  private final ECKey key;
  private final Path publicKeys;
  private final Clock clock;

  private RestTokens(ECKey key, Path publicKeys, Clock clock) {
    this.key = key;
    this.publicKeys = publicKeys;
    this.clock = clock;
  }

  /** The stack's key in {@code dir}, made (and its public JWK set written) the first time. */
  public static RestTokens of(Path dir) throws IOException {
    return of(dir, Clock.systemUTC());
  }

  static RestTokens of(Path dir, Clock clock) throws IOException {
    Files.createDirectories(dir);
    Path privateKey = dir.resolve("signing-key.jwk");
    Path publicKeys = dir.resolve("public-keys.json");
    ECKey key;
    if (Files.exists(privateKey)) {
      try {
        key = ECKey.parse(Files.readString(privateKey, StandardCharsets.UTF_8));
      } catch (ParseException e) {
        throw new IOException(privateKey + " is not an EC JWK (delete it to make a new key)", e);
      }
    } else {
      try {
        key =
            new ECKeyGenerator(Curve.P_256)
                .keyID(UUID.randomUUID().toString().substring(0, 8))
                .generate();
      } catch (JOSEException e) {
        throw new IllegalStateException("cannot make an EC P-256 key", e);
      }
      // Written readable by the owner only, then moved in place: never a half-written key.
      Path temporary = Files.createTempFile(dir, "signing-key", ".tmp");
      try {
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the directory's permissions are all there is.
      }
      Files.writeString(temporary, key.toJSONString(), StandardCharsets.UTF_8);
      Files.move(temporary, privateKey, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.writeString(publicKeys, new JWKSet(key.toPublicJWK()).toString(), StandardCharsets.UTF_8);
    return new RestTokens(key, publicKeys, clock);
  }

  /** The public JWK set file the streams app is configured with. */
  public Path publicKeys() {
    return publicKeys;
  }

  /** A token with every scope and no device limit, as {@code ./iot up} writes it. */
  public String allScopes(Duration ttl) {
    return create(SCOPES, Optional.empty(), ttl);
  }

  /**
   * A token for these scopes, limited to the devices of the pattern if given.
   *
   * @throws IllegalArgumentException naming an unknown scope, a bad pattern or a ttl not positive
   */
  public String create(List<String> scopes, Optional<String> devices, Duration ttl) {
    for (String scope : scopes) {
      if (!SCOPES.contains(scope)) {
        throw new IllegalArgumentException("unknown scope '" + scope + "'; scopes: " + SCOPES);
      }
    }
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("at least one scope; scopes: " + SCOPES);
    }
    if (devices.isPresent() && !DEVICES.matcher(devices.get()).matches()) {
      throw new IllegalArgumentException(
          "devices must be globs of [A-Za-z0-9_-] and *, separated by spaces: " + devices.get());
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    Instant now = clock.instant();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .subject("local-user")
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ttl)))
            .claim("scope", String.join(" ", scopes));
    devices.ifPresent(pattern -> claims.claim("devices", pattern));
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
            claims.build());
    try {
      jwt.sign(new ECDSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign", e);
    }
    return jwt.serialize();
  }
}
