package org.iotbackbone.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.pki.IssuedCertificate;
import org.iotbackbone.pki.Pem;
import org.iotbackbone.pki.SecretHashes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./iot devices} as a user runs it, in-process, without a running stack. */
class DevicesCommandTest {

  @TempDir Path home;

  record Run(int status, String out, String err) {}

  private Run iot(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine iot = IotMain.commandLine();
    iot.setOut(new PrintWriter(out));
    iot.setErr(new PrintWriter(err));
    int status = iot.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void createWritesCertificatesAndKeysAndNamesTheCa() throws Exception {
    Run run = iot("devices", "create", "lamp-1", "lamp-2", "--home", home.toString());

    assertThat(run.status()).as(run.err()).isZero();
    Path devices = home.resolve("devices").toAbsolutePath();
    Path ca = home.resolve("pki/ca.crt").toAbsolutePath();
    assertThat(run.out())
        .contains(
            "lamp-1 " + devices.resolve("lamp-1.crt") + " " + devices.resolve("lamp-1.key"),
            "lamp-2 " + devices.resolve("lamp-2.crt"),
            "devices trust the broker with " + ca);
    X509Certificate certificate = Pem.readCertificate(devices.resolve("lamp-1.crt"));
    assertThat(certificate.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=lamp-1"));
    certificate.verify(Pem.readCertificate(ca).getPublicKey());
    assertThat(Pem.readPrivateKey(devices.resolve("lamp-2.key"))).isNotNull();

    // A second run uses the same CA, and --dir puts the files elsewhere.
    Path elsewhere = home.resolve("elsewhere");
    Run again =
        iot(
            "devices",
            "create",
            "lamp-3",
            "--dir",
            elsewhere.toString(),
            "--home",
            home.toString());
    assertThat(again.status()).as(again.err()).isZero();
    Pem.readCertificate(elsewhere.resolve("lamp-3.crt"))
        .verify(Pem.readCertificate(ca).getPublicKey());
    assertThat(DevicePki.open(home.resolve("pki")).issued()).hasSize(3);
  }

  @Test
  void createWithSecretPrintsSecretsAndKeepsOnlyTheirHashes() {
    Run run =
        iot("devices", "create", "sensor-1", "sensor-2", "--secret", "--home", home.toString());

    assertThat(run.status()).as(run.err()).isZero();
    Map<String, String> hashes = SecretHashes.read(home.resolve("pki/secrets"));
    for (String id : List.of("sensor-1", "sensor-2")) {
      String line = run.out().lines().filter(l -> l.startsWith(id + " ")).findFirst().orElseThrow();
      String secret = line.substring(id.length() + 1);
      assertThat(SecretHashes.verify(secret, hashes.get(id))).isTrue();
    }
    assertThat(home.resolve("devices")).doesNotExist();
    assertThat(
            iot("devices", "create", "s-3", "--secret", "--dir", "x", "--home", home.toString())
                .status())
        .isEqualTo(2);
  }

  @Test
  void aBadIdIsAUsageErrorNamingItAndNothingIsWritten() {
    for (String bad : List.of("a/b", "lamp+", "#", "with space", "x".repeat(65), "iot-backend")) {
      Run run = iot("devices", "create", "good-1", bad, "good-2", "--home", home.toString());
      assertThat(run.status()).as(bad).isEqualTo(2);
      assertThat(run.err()).contains("'" + bad + "'");
    }
    assertThat(iot("devices", "create", "", "--home", home.toString()).err()).contains("empty");
    assertThat(home.resolve("devices")).doesNotExist();
    assertThat(home.resolve("pki")).doesNotExist();
    assertThat(iot("devices", "create", "--home", home.toString()).status()).isEqualTo(2);
  }

  @Test
  void revokePutsEveryCertificateOfTheIdOnTheCrl() {
    iot("devices", "create", "lamp-1", "lamp-2", "--home", home.toString());
    iot("devices", "create", "lamp-1", "--secret", "--home", home.toString());
    DevicePki pki = DevicePki.open(home.resolve("pki"));
    String serial = pki.issued().get(0).serial();

    Run run = iot("devices", "revoke", "lamp-1", "--home", home.toString());

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("revoked lamp-1: device certificate " + serial + ", secret")
        .contains("revocation list: " + home.resolve("pki/crl.pem").toAbsolutePath())
        .contains("brokers: no broker of the stack runs");
    X509Certificate lamp1 = Pem.readCertificate(home.resolve("devices/lamp-1.crt"));
    X509Certificate lamp2 = Pem.readCertificate(home.resolve("devices/lamp-2.crt"));
    assertThat(pki.isRevoked(lamp1)).isTrue();
    assertThat(pki.isRevoked(lamp2)).isFalse();
    assertThat(SecretHashes.read(pki.secrets())).doesNotContainKey("lamp-1");
    assertThat(iot("devices", "revoke", "lamp-1", "--home", home.toString()).out())
        .contains("revoked lamp-1: nothing left (already revoked)");
  }

  @Test
  void revokeOfAnUnknownIdRevokesNothing() {
    iot("devices", "create", "lamp-1", "--home", home.toString());

    Run run = iot("devices", "revoke", "lamp-1", "lamp-9", "--home", home.toString());

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("unknown device id 'lamp-9'");
    assertThat(DevicePki.open(home.resolve("pki")).issued()).noneMatch(IssuedCertificate::revoked);
  }

  @Test
  void revokeAndListWithoutACaSayHowToMakeOne() {
    Run revoke = iot("devices", "revoke", "lamp-1", "--home", home.toString());
    assertThat(revoke.status()).isEqualTo(2);
    assertThat(revoke.err()).contains("no device CA in").contains("./iot devices create");
    assertThat(iot("devices", "list", "--home", home.toString()).status()).isEqualTo(2);
    assertThat(home.resolve("pki")).doesNotExist();
  }

  @Test
  void aCorruptCaIsOneLineNamingItNotAStackTrace() throws Exception {
    assertThat(iot("devices", "create", "lamp-1", "--home", home.toString()).status()).isZero();
    Files.writeString(home.resolve("pki/ca.key"), "-----BEGIN PRIVATE KEY-----\nnot a key\n");

    for (String[] args :
        new String[][] {
          {"devices", "create", "lamp-2", "--home", home.toString()},
          {"devices", "revoke", "lamp-1", "--home", home.toString()},
          {"devices", "list", "--home", home.toString()}
        }) {
      Run run = iot(args);
      assertThat(run.status()).as(String.join(" ", args)).isEqualTo(1);
      assertThat(run.err().strip())
          .startsWith("iot devices " + args[1] + ": the device CA at ")
          .contains("is corrupt: " + home.resolve("pki/ca.key") + ": not a PEM private key")
          .doesNotContain("\n", "\tat ");
    }
    assertThat(home.resolve("devices/lamp-2.crt")).doesNotExist();
  }

  @Test
  void listShowsCertificatesAndSecrets() {
    iot("devices", "create", "lamp-1", "lamp-2", "--home", home.toString());
    iot("devices", "create", "sensor-1", "--secret", "--home", home.toString());
    iot("devices", "revoke", "lamp-2", "--home", home.toString());
    DevicePki pki = DevicePki.open(home.resolve("pki"));

    Run run = iot("devices", "list", "--home", home.toString());

    assertThat(run.status()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).startsWith("ID").contains("KIND", "SERIAL", "NOT-AFTER", "REVOKED");
    IssuedCertificate lamp1 = pki.issued().get(0);
    IssuedCertificate lamp2 = pki.issued().get(1);
    assertThat(lines.get(1).split("\\s+"))
        .containsExactly("lamp-1", "device", lamp1.serial(), lamp1.notAfter().toString(), "-");
    assertThat(lines.get(2).split("\\s+"))
        .containsExactly(
            "lamp-2",
            "device",
            lamp2.serial(),
            lamp2.notAfter().toString(),
            lamp2.revokedAt().toString());
    assertThat(lines.get(3).split("\\s+")).containsExactly("sensor-1", "secret", "-", "-", "-");
    assertThat(lines).hasSize(4);
  }

  @Test
  void downKeepsTheCa() throws Exception {
    iot("devices", "create", "lamp-1", "--home", home.toString());
    org.iotbackbone.localstack.internal.StackStop.stopAll(
        new org.iotbackbone.localstack.internal.StackDir(home), line -> {});
    assertThat(Files.exists(home.resolve("pki/ca.crt"))).isTrue();
    assertThat(DevicePki.open(home.resolve("pki")).issued()).hasSize(1);
  }
}
