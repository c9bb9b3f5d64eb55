package org.iotbackbone.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./iot token create} as a user runs it, without a running stack. */
class TokenCommandTest {

  @Test
  void createPrintsATokenOfTheScopesDevicesAndTtl(@TempDir Path home) throws Exception {
    StringWriter out = new StringWriter();
    CommandLine iot = IotMain.commandLine();
    iot.setOut(new PrintWriter(out));
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    java.io.PrintStream original = System.out;
    int status;
    try {
      System.setOut(new java.io.PrintStream(printed, true, "UTF-8"));
      status =
          iot.execute(
              "token",
              "create",
              "--home",
              home.toString(),
              "--scope",
              "shadows:read,devices:read",
              "--devices",
              "speaker-*",
              "--ttl",
              "30m");
    } finally {
      System.setOut(original);
    }
    assertThat(status).isZero();
    SignedJWT jwt = SignedJWT.parse(printed.toString("UTF-8").strip());
    assertThat(jwt.getJWTClaimsSet().getStringClaim("scope"))
        .isEqualTo("shadows:read devices:read");
    assertThat(jwt.getJWTClaimsSet().getStringClaim("devices")).isEqualTo("speaker-*");
    long ttl =
        jwt.getJWTClaimsSet().getExpirationTime().getTime()
            - jwt.getJWTClaimsSet().getIssueTime().getTime();
    assertThat(ttl).isEqualTo(30 * 60_000);
    assertThat(home.resolve("rest-auth/public-keys.json")).exists();
  }

  @Test
  void anUnknownScopeOrABadTtlIsAUsageError(@TempDir Path home) {
    CommandLine iot = IotMain.commandLine();
    StringWriter err = new StringWriter();
    iot.setErr(new PrintWriter(err));
    assertThat(iot.execute("token", "create", "--home", home.toString(), "--scope", "root"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("unknown scope 'root'");
    assertThat(
            iot.execute(
                "token",
                "create",
                "--home",
                home.toString(),
                "--scope",
                "jobs:read",
                "--ttl",
                "1y"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--ttl");
    assertThat(iot.execute("token", "create", "--home", home.toString())).isEqualTo(2);
  }
}
