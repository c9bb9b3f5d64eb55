package org.iotbackbone.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretHashesTest {

  /** Made by mosquitto 2.0.11: {@code mosquitto_passwd -b -c FILE user secret}. */
  static final String MOSQUITTO_HASH =
      "$7$101$/4475/4O+yeIpqVX$EgNAE03HgWMZhXZop2lyx+UfOjIYrCiJFtmlxSoojpfYNJQtJpQk9joi6EIskmgqnT8GF40hyvUYloUZp2xlKw==";

  private final SecureRandom random = new SecureRandom();

  @Test
  void verifiesAHashMadeByMosquittoPasswd() {
    assertThat(SecretHashes.verify("secret", MOSQUITTO_HASH)).isTrue();
    assertThat(SecretHashes.verify("Secret", MOSQUITTO_HASH)).isFalse();
    assertThat(SecretHashes.verify("", MOSQUITTO_HASH)).isFalse();
  }

  @Test
  void roundTripsInMosquittosFormat() {
    String hash = SecretHashes.hash("s3cr3t-ü", random);
    assertThat(hash).matches("\\$7\\$101\\$[A-Za-z0-9+/]{16}\\$[A-Za-z0-9+/]{86}==");
    assertThat(SecretHashes.verify("s3cr3t-ü", hash)).isTrue();
    assertThat(SecretHashes.verify("s3cr3t-u", hash)).isFalse();
    assertThat(SecretHashes.hash("s3cr3t-ü", random)).as("salted").isNotEqualTo(hash);
  }

  @Test
  void hashesTheEmptySecret() {
    assertThat(SecretHashes.verify("", SecretHashes.hash("", random))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "secret",
        "$6$101$c2FsdA==$aGFzaA==",
        "$7$x$/4475/4O+yeIpqVX$EgNA",
        "$7$0$/4475/4O+yeIpqVX$EgNAE03HgWMZhXZop2lyx+UfOjIYrCiJFtmlxSoojpfYNJQtJpQk9joi6EIskmgqnT8GF40hyvUYloUZp2xlKw==",
        "$7$101$!!!$EgNAE03HgWMZhXZop2lyx+UfOjIYrCiJFtmlxSoojpfYNJQtJpQk9joi6EIskmgqnT8GF40hyvUYloUZp2xlKw==",
        "$7$101$/4475/4O+yeIpqVX$EgNAE03H",
        "$7$101$/4475/4O+yeIpqVX",
        "$7$999999999999$/4475/4O+yeIpqVX$EgNA",
        "$7$101$/4475/4O+yeIpqVX$EgNAE03HgWMZhXZop2lyx+UfOjIYrCiJFtmlxSoojpfYNJQtJpQk9joi6EIskmgqnT8GF40hyvUYloUZp2xlKw==$"
      })
  void aMalformedHashIsFalseNotAnException(String hash) {
    assertThat(SecretHashes.verify("secret", hash)).isFalse();
  }

  @Test
  void nullsAreFalse() {
    assertThat(SecretHashes.verify(null, MOSQUITTO_HASH)).isFalse();
    assertThat(SecretHashes.verify("secret", null)).isFalse();
  }

  @Test
  void readsAMosquittoPasswordFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("p");
    Files.writeString(file, "# a comment\n\nuser:" + MOSQUITTO_HASH + "\nother:$7$x\n");
    assertThat(SecretHashes.read(file))
        .containsExactly(
            java.util.Map.entry("user", MOSQUITTO_HASH), java.util.Map.entry("other", "$7$x"));
  }

  /** Both ways with the installed mosquitto_passwd: skipped where it is not installed. */
  @Test
  void agreesWithTheInstalledMosquittoPasswd(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("passwords");
    Process process;
    try {
      process =
          new ProcessBuilder("mosquitto_passwd", "-b", "-c", file.toString(), "lamp-1", "pa55")
              .redirectErrorStream(true)
              .start();
    } catch (java.io.IOException e) {
      assumeTrue(false, "mosquitto_passwd is not installed");
      return;
    }
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue())
        .as(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isZero();
    String hash = SecretHashes.read(file).get("lamp-1");
    assertThat(SecretHashes.verify("pa55", hash)).isTrue();
    assertThat(SecretHashes.verify("pa56", hash)).isFalse();
  }
}
