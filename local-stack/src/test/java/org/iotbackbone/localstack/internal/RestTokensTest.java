package org.iotbackbone.localstack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestTokensTest {

  @Test
  void theKeyIsMadeOnceAndItsTokensVerifyWithThePublicFile(@TempDir Path dir) throws Exception {
    RestTokens first = RestTokens.of(dir);
    String token =
        first.create(List.of("shadows:read"), Optional.of("speaker-*"), Duration.ofMinutes(5));
    RestTokens again = RestTokens.of(dir);

    ECKey published = (ECKey) JWKSet.load(again.publicKeys().toFile()).getKeys().get(0);
    assertThat(published.isPrivate()).isFalse();
    SignedJWT jwt = SignedJWT.parse(token);
    assertThat(jwt.verify(new ECDSAVerifier(published))).isTrue();
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(published.getKeyID());
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo(RestTokens.ISSUER);
    assertThat(claims.getAudience()).containsExactly(RestTokens.AUDIENCE);
    assertThat(claims.getStringClaim("scope")).isEqualTo("shadows:read");
    assertThat(claims.getStringClaim("devices")).isEqualTo("speaker-*");
    assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime())
        .isEqualTo(300_000);
    assertThat(Files.getPosixFilePermissions(dir.resolve("signing-key.jwk")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    String all = again.allScopes(Duration.ofDays(1));
    assertThat(SignedJWT.parse(all).getJWTClaimsSet().getStringClaim("scope").split(" "))
        .containsExactlyElementsOf(RestTokens.SCOPES);
    assertThat(SignedJWT.parse(all).getJWTClaimsSet().getClaim("devices")).isNull();
  }

  @Test
  void badRequestsAreRefusedNamingWhatIsWrong(@TempDir Path dir) throws Exception {
    RestTokens tokens = RestTokens.of(dir);
    Duration hour = Duration.ofHours(1);
    assertThatThrownBy(() -> tokens.create(List.of("shadow:read"), Optional.empty(), hour))
        .hasMessageContaining("unknown scope 'shadow:read'");
    assertThatThrownBy(() -> tokens.create(List.of(), Optional.empty(), hour))
        .hasMessageContaining("at least one scope");
    assertThatThrownBy(
            () -> tokens.create(List.of("shadows:read"), Optional.of("speaker-[1]"), hour))
        .hasMessageContaining("devices");
    assertThatThrownBy(
            () -> tokens.create(List.of("shadows:read"), Optional.empty(), Duration.ZERO))
        .hasMessageContaining("ttl");
  }
}
