package org.iotbackbone.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevicePkiTest {

  static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

  @TempDir Path dir;
  Path caDir;
  DevicePki pki;

  @BeforeEach
  void create() {
    caDir = dir.resolve("pki");
    pki = DevicePki.create(caDir);
  }

  @Test
  void createsACaWithItsFiles() throws Exception {
    X509Certificate ca = Pem.readCertificate(pki.caCertificate());
    assertThat(ca.getSubjectX500Principal())
        .isEqualTo(new X500Principal("CN=IoT backbone device CA"));
    assertThat(ca.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
    assertThat(ca.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(ca.getPublicKey().toString()).contains("secp256r1");
    assertThat(ca.getBasicConstraints()).isZero(); // CA, path length 0
    assertThat(ca.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
    boolean[] usage = ca.getKeyUsage();
    assertThat(usage[5]).as("keyCertSign").isTrue();
    assertThat(usage[6]).as("cRLSign").isTrue();
    assertThat(usage[0]).as("digitalSignature").isFalse();
    assertThat(Duration.between(ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant()))
        .isBetween(Duration.ofDays(3650), Duration.ofDays(3650).plusMinutes(6));
    ca.verify(ca.getPublicKey());
    assertThat(ca.getExtensionValue("2.5.29.14")).as("subject key id").isNotNull();

    PrivateKey key = Pem.readPrivateKey(caDir.resolve("ca.key"));
    assertThat(Files.readString(caDir.resolve("ca.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(mode(caDir.resolve("ca.key"))).isEqualTo("rw-------");
    Signature signature = Signature.getInstance("SHA256withECDSA");
    signature.initSign(key);
    signature.update(new byte[] {1});
    byte[] signed = signature.sign();
    signature.initVerify(ca.getPublicKey());
    signature.update(new byte[] {1});
    assertThat(signature.verify(signed)).isTrue();

    X509CRL crl = Pem.readCrl(pki.crl());
    crl.verify(ca.getPublicKey());
    assertThat(crl.getRevokedCertificates()).isNull();
    assertThat(Files.readString(pki.secrets())).isEmpty();
    assertThat(pki.issued()).isEmpty();
    assertThat(pki.dir()).isEqualTo(caDir);
  }

  @Test
  void createRefusesADirectoryThatHoldsACa() {
    assertThatThrownBy(() -> DevicePki.create(caDir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already holds a device CA");
  }

  @Test
  void openAndOpenOrCreateFindTheSameCa() {
    X509Certificate ca = pki.certificate();
    assertThat(DevicePki.open(caDir).certificate()).isEqualTo(ca);
    assertThat(DevicePki.openOrCreate(caDir).certificate()).isEqualTo(ca);
    DevicePki other = DevicePki.openOrCreate(dir.resolve("new"));
    assertThat(other.certificate()).isNotEqualTo(ca);
    assertThat(DevicePki.open(dir.resolve("new")).certificate()).isEqualTo(other.certificate());
  }

  @Test
  void openNamesWhatIsMissing() throws Exception {
    assertThatThrownBy(() -> DevicePki.open(dir.resolve("nowhere")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nowhere")
        .hasMessageContaining("does not exist");
    for (String file : List.of("ca.crt", "ca.key", "crl.pem", "secrets", "issued.tsv")) {
      Path copy = dir.resolve("copy-" + file);
      copyDir(caDir, copy);
      Files.delete(copy.resolve(file));
      assertThatThrownBy(() -> DevicePki.open(copy))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(copy.resolve(file) + " is missing");
    }
  }

  @Test
  void openNamesWhatIsCorrupt() throws Exception {
    Path copy = dir.resolve("garbage-crt");
    copyDir(caDir, copy);
    Files.writeString(copy.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\nnope\n");
    assertThatThrownBy(() -> DevicePki.open(copy))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("corrupt")
        .hasMessageContaining("ca.crt");

    Path other = dir.resolve("other-key");
    copyDir(caDir, other);
    Files.copy(
        DevicePki.create(dir.resolve("second")).dir().resolve("ca.key"),
        other.resolve("ca.key"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> DevicePki.open(other))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ca.key is not the key of ca.crt");

    Path crl = dir.resolve("garbage-crl");
    copyDir(caDir, crl);
    Files.writeString(crl.resolve("crl.pem"), "not a crl");
    assertThatThrownBy(() -> DevicePki.open(crl))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("crl.pem");
  }

  @Test
  void issuesDeviceCertificates() throws Exception {
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Credentials lamp = pki.issueDevice("lamp-1");
    X509Certificate certificate = lamp.certificate();
    assertThat(lamp.name()).isEqualTo("lamp-1");
    assertThat(lamp.issuer()).isEqualTo(pki.certificate());
    assertThat(certificate.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=lamp-1"));
    assertThat(certificate.getIssuerX500Principal())
        .isEqualTo(pki.certificate().getSubjectX500Principal());
    certificate.verify(pki.certificate().getPublicKey());
    assertThat(certificate.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    boolean[] usage = certificate.getKeyUsage();
    assertThat(usage[0]).as("digitalSignature").isTrue();
    assertThat(usage[5]).as("keyCertSign").isFalse();
    assertThat(certificate.getBasicConstraints()).as("not a CA").isEqualTo(-1);
    assertThat(certificate.getCriticalExtensionOIDs()).contains("2.5.29.19");
    assertThat(certificate.getSubjectAlternativeNames()).isNull();
    assertThat(certificate.getNotAfter().toInstant())
        .isBetween(
            before.plus(DevicePki.DEVICE_VALIDITY),
            before.plus(DevicePki.DEVICE_VALIDITY).plusSeconds(60));
    assertThat(certificate.getNotBefore().toInstant()).isBefore(before);
    assertThat(certificate.getExtensionValue("2.5.29.14")).as("subject key id").isNotNull();
    assertThat(certificate.getExtensionValue("2.5.29.35")).as("authority key id").isNotNull();
    BigInteger serial = certificate.getSerialNumber();
    assertThat(serial.signum()).isPositive();
    assertThat(serial.bitLength()).isLessThanOrEqualTo(128).isGreaterThan(100);
    assertThat(pki.issueDevice("lamp-2").certificate().getSerialNumber()).isNotEqualTo(serial);
    assertThat(lamp.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n");
    assertThat(lamp.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
    // The JDK's own key class: a TLS stack given it needs no other provider.
    assertThat(lamp.privateKey().getClass().getName()).doesNotStartWith("org.bouncycastle");

    assertThat(pki.issued())
        .extracting(IssuedCertificate::name, IssuedCertificate::kind, IssuedCertificate::revoked)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("lamp-1", "device", false),
            org.assertj.core.groups.Tuple.tuple("lamp-2", "device", false));
    assertThat(pki.issued().get(0).serial()).isEqualTo(serial.toString(16).toUpperCase());
  }

  @Test
  void issuesWithAGivenValidityAndRefusesABackwardOne() throws Exception {
    Instant from = Instant.parse("2020-01-01T00:00:00Z");
    Instant to = Instant.parse("2021-01-01T00:00:00Z");
    X509Certificate expired = pki.issueDevice("old-1", from, to).certificate();
    assertThat(expired.getNotBefore().toInstant()).isEqualTo(from);
    assertThat(expired.getNotAfter().toInstant()).isEqualTo(to);
    assertThatThrownBy(expired::checkValidity)
        .isInstanceOf(java.security.cert.CertificateExpiredException.class);
    assertThatThrownBy(() -> pki.issueDevice("old-2", to, from))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesBadDeviceIds() {
    for (String id : List.of("", "a/b", "a+", "#", "a b", "x".repeat(65), "iot-backend")) {
      assertThatThrownBy(() -> pki.issueDevice(id)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> pki.addSecret(id)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(pki.issued()).isEmpty();
  }

  @Test
  void issuesServerCertificatesWithDnsAndIpNames() throws Exception {
    Credentials broker =
        pki.issueServer(
            "mosquitto", List.of("localhost", "127.0.0.1", "::1", "broker.example.com"));
    X509Certificate certificate = broker.certificate();
    certificate.verify(pki.certificate().getPublicKey());
    assertThat(certificate.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=mosquitto"));
    assertThat(certificate.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    Collection<List<?>> names = certificate.getSubjectAlternativeNames();
    List<String> rendered = new ArrayList<>();
    for (List<?> name : names) {
      rendered.add(name.get(0) + "=" + name.get(1));
    }
    // 2 = dNSName, 7 = iPAddress
    assertThat(rendered)
        .containsExactly("2=localhost", "7=127.0.0.1", "7=0:0:0:0:0:0:0:1", "2=broker.example.com");
    assertThat(pki.issued().get(0).kind()).isEqualTo("server");

    assertThatThrownBy(() -> pki.issueServer("b", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> pki.issueServer("b", List.of("bad host")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bad host'");
    assertThatThrownBy(() -> pki.issueServer("b", List.of("1:2:zz::")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> pki.issueServer("a\tb", List.of("localhost")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void issuesServiceIdentities() throws Exception {
    X509Certificate backend = pki.issueService("iot-backend").certificate();
    backend.verify(pki.certificate().getPublicKey());
    assertThat(backend.getSubjectX500Principal())
        .isEqualTo(new X500Principal("CN=iot-backend, OU=services"));
    assertThat(backend.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    assertThat(pki.issued().get(0).kind()).isEqualTo("service");
    assertThatThrownBy(() -> pki.issueService("a/b")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void revokesOntoTheCrl() throws Exception {
    X509Certificate lamp = pki.issueDevice("lamp-1").certificate();
    X509Certificate lampAgain = pki.issueDevice("lamp-1").certificate();
    X509Certificate other = pki.issueDevice("lamp-2").certificate();
    BigInteger numberBefore = crlNumber(readCrlWithTheJdk());

    pki.revoke("lamp-1");

    X509CRL crl = readCrlWithTheJdk();
    crl.verify(pki.certificate().getPublicKey());
    assertThat(crl.getVersion()).isEqualTo(2);
    assertThat(crl.getIssuerX500Principal()).isEqualTo(pki.certificate().getSubjectX500Principal());
    assertThat(crl.isRevoked(lamp)).isTrue();
    assertThat(crl.isRevoked(lampAgain)).isTrue();
    assertThat(crl.isRevoked(other)).isFalse();
    assertThat(crl.getRevokedCertificates()).hasSize(2);
    assertThat(crl.getExtensionValue("2.5.29.35")).as("authority key id").isNotNull();
    assertThat(crlNumber(crl)).isEqualTo(numberBefore.add(BigInteger.ONE));
    assertThat(Duration.between(crl.getThisUpdate().toInstant(), crl.getNextUpdate().toInstant()))
        .isEqualTo(DevicePki.CRL_VALIDITY);
    assertThat(pki.isRevoked(lamp)).isTrue();
    assertThat(pki.isRevoked(other)).isFalse();
    assertThat(pki.issued())
        .filteredOn(IssuedCertificate::revoked)
        .hasSize(2)
        .allSatisfy(row -> assertThat(row.name()).isEqualTo("lamp-1"));

    pki.revoke("lamp-2");
    X509CRL next = readCrlWithTheJdk();
    assertThat(crlNumber(next)).isEqualTo(numberBefore.add(BigInteger.TWO));
    assertThat(next.getRevokedCertificates()).hasSize(3);
    // Revoking again changes nothing, not even the CRL number.
    pki.revoke("lamp-2");
    assertThat(crlNumber(readCrlWithTheJdk())).isEqualTo(numberBefore.add(BigInteger.TWO));
    // A new certificate for a revoked name is valid.
    assertThat(pki.isRevoked(pki.issueDevice("lamp-1").certificate())).isFalse();
    // A certificate of another CA is never "revoked" here.
    assertThat(
            pki.isRevoked(
                DevicePki.create(dir.resolve("other")).issueDevice("lamp-1").certificate()))
        .isFalse();
  }

  @Test
  void openRenewsACrlPastHalfItsLife() throws Exception {
    X509Certificate lamp = pki.issueDevice("lamp-1").certificate();
    pki.revoke("lamp-1");
    BigInteger number = crlNumber(readCrlWithTheJdk());
    // A CRL written 20 days ago has 10 of its 30 days left.
    Instant old = Instant.now().minus(Duration.ofDays(20));
    org.iotbackbone.pki.internal.Issuer issuer =
        new org.iotbackbone.pki.internal.Issuer(
            pki.certificate(), Pem.readPrivateKey(caDir.resolve("ca.key")));
    X509CRL stale =
        issuer.crl(
            java.util.Map.of(lamp.getSerialNumber(), old), number, old, DevicePki.CRL_VALIDITY);
    Files.writeString(pki.crl(), org.iotbackbone.pki.internal.PemCodec.crl(stale));

    DevicePki.open(caDir);

    X509CRL renewed = readCrlWithTheJdk();
    assertThat(crlNumber(renewed)).isEqualTo(number.add(BigInteger.ONE));
    assertThat(renewed.getThisUpdate().toInstant()).isAfter(old.plus(Duration.ofDays(19)));
    assertThat(renewed.isRevoked(lamp)).isTrue();
    // A fresh one is left alone.
    DevicePki.open(caDir);
    assertThat(crlNumber(readCrlWithTheJdk())).isEqualTo(number.add(BigInteger.ONE));
  }

  @Test
  void isRevokedSeesARevocationByAnotherInstance() {
    X509Certificate lamp = pki.issueDevice("lamp-1").certificate();
    assertThat(pki.isRevoked(lamp)).isFalse(); // parsed and remembered
    DevicePki.open(caDir).revoke("lamp-1"); // another process, as far as pki knows
    assertThat(pki.isRevoked(lamp)).isTrue();
  }

  @Test
  void renewCrlRewritesAListThatExpiresWithinTheGivenTime() throws Exception {
    X509Certificate lamp = pki.issueDevice("lamp-1").certificate();
    X509Certificate other = pki.issueDevice("lamp-2").certificate();
    pki.revoke("lamp-1");
    BigInteger number = crlNumber(readCrlWithTheJdk());
    // Written 25 days ago: 5 of its 30 days left, too few for a broker started now.
    Instant old = Instant.now().minus(Duration.ofDays(25));
    org.iotbackbone.pki.internal.Issuer issuer =
        new org.iotbackbone.pki.internal.Issuer(
            pki.certificate(), Pem.readPrivateKey(caDir.resolve("ca.key")));
    Files.writeString(
        pki.crl(),
        org.iotbackbone.pki.internal.PemCodec.crl(
            issuer.crl(
                java.util.Map.of(lamp.getSerialNumber(), old),
                number,
                old,
                DevicePki.CRL_VALIDITY)));

    pki.renewCrl(Duration.ofDays(4));
    assertThat(crlNumber(readCrlWithTheJdk())).as("5 days left is enough for 4").isEqualTo(number);

    pki.renewCrl(Duration.ofDays(7));
    X509CRL renewed = readCrlWithTheJdk();
    renewed.verify(pki.certificate().getPublicKey());
    assertThat(crlNumber(renewed)).isEqualTo(number.add(BigInteger.ONE));
    assertThat(renewed.getNextUpdate().toInstant())
        .isAfter(Instant.now().plus(DevicePki.CRL_VALIDITY).minus(Duration.ofMinutes(1)));
    assertThat(renewed.isRevoked(lamp)).isTrue();
    assertThat(renewed.isRevoked(other)).isFalse();
    assertThat(renewed.getRevokedCertificates()).hasSize(1);

    pki.renewCrl(Duration.ofDays(7));
    assertThat(crlNumber(readCrlWithTheJdk()))
        .as("a fresh list is left alone")
        .isEqualTo(number.add(BigInteger.ONE));
    assertThatThrownBy(() -> pki.renewCrl(Duration.ofDays(31)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> pki.renewCrl(Duration.ofDays(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void revokesServersAndServicesToo() {
    X509Certificate server = pki.issueServer("broker", List.of("localhost")).certificate();
    pki.revoke("broker");
    assertThat(pki.isRevoked(server)).isTrue();
  }

  @Test
  void revokingAnUnknownIdNamesIt() {
    pki.issueDevice("lamp-1");
    assertThatThrownBy(() -> pki.revoke("lamp-9"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'lamp-9'");
  }

  @Test
  void secretsAreStoredHashedAndRemovedOnRevoke() throws Exception {
    String secret = pki.addSecret("sensor-1");
    assertThat(secret).matches("[A-Za-z0-9_-]{24}");
    pki.addSecret("sensor-2");
    String text = Files.readString(pki.secrets());
    assertThat(text).doesNotContain(secret).startsWith("sensor-1:$7$101$");
    assertThat(mode(pki.secrets())).isEqualTo("rw-------");
    assertThat(SecretHashes.verify(secret, SecretHashes.read(pki.secrets()).get("sensor-1")))
        .isTrue();

    String replaced = pki.addSecret("sensor-1");
    assertThat(SecretHashes.read(pki.secrets())).containsOnlyKeys("sensor-1", "sensor-2");
    assertThat(SecretHashes.verify(secret, SecretHashes.read(pki.secrets()).get("sensor-1")))
        .isFalse();
    assertThat(SecretHashes.verify(replaced, SecretHashes.read(pki.secrets()).get("sensor-1")))
        .isTrue();

    // A secret alone is enough to be known: revoke removes it and touches no certificate.
    pki.revoke("sensor-1");
    assertThat(SecretHashes.read(pki.secrets())).containsOnlyKeys("sensor-2");
  }

  @Test
  void writesDevicesInBulk() throws Exception {
    Path out = dir.resolve("devices");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ids.add("bulk-" + i);
    }
    ids.add("bulk-0"); // twice: issued once
    List<Path> written = pki.writeDevices(ids, out);
    assertThat(written).hasSize(50).first().isEqualTo(out.resolve("bulk-0.crt"));
    for (int i = 0; i < 50; i++) {
      X509Certificate certificate = Pem.readCertificate(out.resolve("bulk-" + i + ".crt"));
      assertThat(certificate.getSubjectX500Principal())
          .isEqualTo(new X500Principal("CN=bulk-" + i));
      certificate.verify(pki.certificate().getPublicKey());
      Path key = out.resolve("bulk-" + i + ".key");
      assertThat(mode(key)).isEqualTo("rw-------");
      assertThat(Issuer.matches(certificate, Pem.readPrivateKey(key))).isTrue();
    }
    assertThat(pki.issued()).hasSize(50);
    try (var files = Files.list(out)) {
      assertThat(files).hasSize(100); // no temporary files left
    }
  }

  @Test
  void issuesDevicesInBulkWithoutFiles() throws Exception {
    List<Credentials> fleet = pki.issueDevices(List.of("sim-1", "sim-2", "sim-3", "sim-1"));
    assertThat(fleet).extracting(Credentials::name).containsExactly("sim-1", "sim-2", "sim-3");
    for (Credentials device : fleet) {
      device.certificate().verify(pki.certificate().getPublicKey());
      assertThat(device.certificate().getSubjectX500Principal())
          .isEqualTo(new X500Principal("CN=" + device.name()));
      assertThat(Issuer.matches(device.certificate(), device.privateKey())).isTrue();
      assertThat(device.privateKey().getClass().getName()).doesNotStartWith("org.bouncycastle");
    }
    assertThat(pki.issued())
        .extracting(IssuedCertificate::name)
        .containsExactly("sim-1", "sim-2", "sim-3");
    assertThatThrownBy(() -> pki.issueDevices(List.of("ok", "not ok")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'not ok'");
    assertThat(pki.issued()).hasSize(3);
  }

  @Test
  void writeDevicesChecksEveryIdFirst() {
    Path out = dir.resolve("devices");
    assertThatThrownBy(() -> pki.writeDevices(List.of("good-1", "bad/2", "good-3"), out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bad/2'");
    assertThat(out).doesNotExist();
    assertThat(pki.issued()).isEmpty();
  }

  @Test
  void credentialsWriteFilesAndKeyStores() throws Exception {
    Credentials lamp = pki.issueDevice("lamp-1");
    Path crt = dir.resolve("lamp.crt");
    Path key = dir.resolve("lamp.key");
    lamp.write(crt, key);
    assertThat(Pem.readCertificate(crt)).isEqualTo(lamp.certificate());
    assertThat(s(Pem.readPrivateKey(key))).isEqualTo(s(lamp.privateKey()));
    assertThat(mode(key)).isEqualTo("rw-------");

    char[] password = "changeit".toCharArray();
    KeyStore store = lamp.keyStore(password);
    assertThat(store.getType()).isEqualTo("PKCS12");
    assertThat(store.getCertificateChain("lamp-1"))
        .containsExactly(lamp.certificate(), pki.certificate());
    assertThat(s((PrivateKey) store.getKey("lamp-1", password))).isEqualTo(s(lamp.privateKey()));
  }

  @Test
  void pemReadersNameTheFile() throws Exception {
    Path junk = dir.resolve("junk.pem");
    Files.writeString(junk, "hello");
    assertThatThrownBy(() -> Pem.readCertificate(junk))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("junk.pem");
    assertThatThrownBy(() -> Pem.readPrivateKey(junk))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("junk.pem");
    assertThatThrownBy(() -> Pem.readCrl(junk))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("junk.pem");
    assertThatThrownBy(() -> Pem.readCertificate(dir.resolve("absent.pem")))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining("absent.pem");
  }

  private X509CRL readCrlWithTheJdk() throws Exception {
    try (var in = Files.newInputStream(pki.crl())) {
      return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
    }
  }

  static BigInteger crlNumber(X509CRL crl) {
    return org.iotbackbone.pki.internal.Issuer.crlNumber(crl);
  }

  /** The secret scalar of an EC key, whichever provider's class holds it. */
  static BigInteger s(PrivateKey key) {
    return ((java.security.interfaces.ECPrivateKey) key).getS();
  }

  static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  static void copyDir(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
  }

  /** Whether a key is the one of a certificate. */
  static final class Issuer {
    static boolean matches(X509Certificate certificate, PrivateKey key) {
      return org.iotbackbone.pki.internal.Issuer.matches(certificate, key);
    }
  }
}
