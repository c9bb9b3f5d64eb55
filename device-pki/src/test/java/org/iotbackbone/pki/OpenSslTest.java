package org.iotbackbone.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files as Mosquitto sees them: through OpenSSL's command line ({@code openssl verify
 * -crl_check} checks as a broker with {@code crlfile} does). Skipped where openssl is absent.
 */
class OpenSslTest {

  @TempDir Path dir;
  DevicePki pki;

  @BeforeAll
  static void openssl() {
    boolean installed = run("openssl", "version").exit() == 0;
    // On a build server a skipped check would pass having checked nothing: .ci/run installs it.
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      assertThat(installed).as("openssl is installed (CI=true)").isTrue();
    }
    assumeTrue(installed, "openssl is not installed");
  }

  @BeforeEach
  void create() {
    pki = DevicePki.create(dir.resolve("pki"));
  }

  @Test
  void readsTheCrl() {
    Result empty = run("openssl", "crl", "-in", pki.crl().toString(), "-noout", "-text");
    assertThat(empty.exit()).as(empty.output()).isZero();
    assertThat(empty.output())
        .contains("Version 2", "Issuer: CN = IoT backbone device CA", "X509v3 CRL Number")
        .contains("X509v3 Authority Key Identifier", "No Revoked Certificates");
    Result verified = run("openssl", "crl", "-in", pki.crl().toString(), "-noout", "-CAfile", ca());
    assertThat(verified.output()).contains("verify OK");
  }

  @Test
  void acceptsADeviceAndRefusesItOnceRevoked() {
    Path crt = device("lamp-1");
    Result ok = verify("-purpose", "sslclient", crt.toString());
    assertThat(ok.exit()).as(ok.output()).isZero();
    assertThat(ok.output()).contains(": OK");

    pki.revoke("lamp-1");
    Result revoked = verify("-purpose", "sslclient", crt.toString());
    assertThat(revoked.exit()).isNotZero();
    assertThat(revoked.output()).contains("certificate revoked");
    String serial = pki.issued().get(0).serial();
    // OpenSSL prints whole bytes: a serial whose hex has an odd number of digits gets a leading 0
    // (about one run in sixteen).
    String printed = serial.length() % 2 == 0 ? serial : "0" + serial;
    assertThat(run("openssl", "crl", "-in", pki.crl().toString(), "-noout", "-text").output())
        .containsIgnoringCase("Serial Number: " + printed);
  }

  @Test
  void refusesAnExpiredDeviceAndOneOfAnotherCa() throws Exception {
    Path expired = dir.resolve("expired.crt");
    pki.issueDevice(
            "old-1", Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2021-01-01T00:00:00Z"))
        .write(expired, dir.resolve("expired.key"));
    Result old = verify(expired.toString());
    assertThat(old.exit()).isNotZero();
    assertThat(old.output()).contains("certificate has expired");

    Path stranger = dir.resolve("stranger.crt");
    DevicePki.create(dir.resolve("other"))
        .issueDevice("lamp-1")
        .write(stranger, dir.resolve("s.key"));
    Result foreign = verify(stranger.toString());
    assertThat(foreign.exit()).isNotZero();
    assertThat(foreign.output()).contains("unable to get local issuer certificate");
  }

  @Test
  void aDeviceCertificateIsNoServerCertificate() {
    Result result = verify("-purpose", "sslserver", device("lamp-1").toString());
    assertThat(result.exit()).isNotZero();
    assertThat(result.output()).contains("unsuitable certificate purpose");
  }

  @Test
  void acceptsTheServerForLocalhostAndItsIp() {
    Path crt = dir.resolve("broker.crt");
    pki.issueServer("broker", List.of("localhost", "127.0.0.1"))
        .write(crt, dir.resolve("broker.key"));
    for (List<String> check :
        List.of(List.of("-verify_hostname", "localhost"), List.of("-verify_ip", "127.0.0.1"))) {
      List<String> args = new ArrayList<>(List.of("-purpose", "sslserver"));
      args.addAll(check);
      args.add(crt.toString());
      Result result = verify(args.toArray(String[]::new));
      assertThat(result.exit()).as(check + ": " + result.output()).isZero();
    }
    Result wrongHost = verify("-verify_hostname", "example.com", crt.toString());
    assertThat(wrongHost.exit()).isNotZero();
    assertThat(wrongHost.output()).contains("hostname mismatch");
  }

  @Test
  void readsTheKeysAsPkcs8() {
    Path crt = device("lamp-1");
    Path key = crt.resolveSibling("lamp-1.key");
    Result result = run("openssl", "pkey", "-in", key.toString(), "-noout", "-text");
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output()).contains("prime256v1");
    Result ca = run("openssl", "pkey", "-in", pki.dir().resolve("ca.key").toString(), "-noout");
    assertThat(ca.exit()).as(ca.output()).isZero();
  }

  private Path device(String id) {
    return pki.writeDevices(List.of(id), dir.resolve("devices")).get(0);
  }

  private String ca() {
    return pki.caCertificate().toString();
  }

  private Result verify(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "openssl",
                "verify",
                "-crl_check",
                "-CAfile",
                ca(),
                "-CRLfile",
                pki.crl().toString()));
    command.addAll(List.of(args));
    return run(command.toArray(String[]::new));
  }

  record Result(int exit, String output) {}

  static Result run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, output);
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, e.toString());
    }
  }
}
