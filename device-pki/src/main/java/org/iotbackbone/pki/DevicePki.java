package org.iotbackbone.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.iotbackbone.pki.internal.AtomicFiles;
import org.iotbackbone.pki.internal.CrlCache;
import org.iotbackbone.pki.internal.DirLock;
import org.iotbackbone.pki.internal.Issuer;
import org.iotbackbone.pki.internal.KeyPairs;
import org.iotbackbone.pki.internal.Ledger;
import org.iotbackbone.pki.internal.PemCodec;
import org.iotbackbone.pki.internal.SecretsFile;

/**
 * The platform's device CA, kept in a directory:
 *
 * <ul>
 *   <li>{@code ca.crt}: the CA certificate (PEM), which brokers trust devices with and devices
 *       trust the broker with;
 *   <li>{@code ca.key}: its private key (PEM PKCS#8, mode 0600);
 *   <li>{@code crl.pem}: the revocation list, always present (empty right after {@link #create}),
 *       valid for {@link #CRL_VALIDITY}: a reader must get a new one before its nextUpdate, and
 *       {@link #open} renews it when less than half of that is left;
 *   <li>{@code secrets}: per-device secrets as salted hashes, in Mosquitto's password-file format
 *       ({@code id:$7$...}), always present, maybe empty ({@link SecretHashes});
 *   <li>{@code issued.tsv}: every certificate issued (serial, kind, name, notAfter, revoked-at or
 *       {@code -}).
 * </ul>
 *
 * <p>Every change of these files happens under a lock of the directory ({@code .lock}), so that two
 * processes do not lose each other's changes, and replaces the file atomically, so that a reader (a
 * broker reloading the CRL) never sees half of one; but issuing appends to {@code issued.tsv},
 * whose readers leave out a last line without its newline. An instance is thread-safe.
 */
public final class DevicePki {

  /** A device certificate's validity by default. */
  public static final Duration DEVICE_VALIDITY = Duration.ofDays(365);

  /** The CA certificate's validity. */
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);

  /** How long a CRL is valid (its nextUpdate): OpenSSL refuses every client once it has passed. */
  public static final Duration CRL_VALIDITY = Duration.ofDays(30);

  /** The CA certificate's subject CN. */
  public static final String CA_NAME = "IoT backbone device CA";

  // Issued certificates start a little in the past, for devices whose clock is slightly behind.
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  // writeDevices records a chunk in issued.tsv before writing its files: a crash leaves no
  // certificate that cannot be revoked, and issued.tsv is appended to and synced once per chunk,
  // not per device.
  private static final int CHUNK = 10_000;
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern DNS = Pattern.compile("[A-Za-z0-9*]([A-Za-z0-9.-]*[A-Za-z0-9])?");
  private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private static final String CA_CRT = "ca.crt";
  private static final String CA_KEY = "ca.key";
  private static final String CRL = "crl.pem";
  private static final String SECRETS = "secrets";
  private static final String ISSUED = "issued.tsv";
  private static final List<String> FILES = List.of(CA_CRT, CA_KEY, CRL, SECRETS, ISSUED);

  private final Path dir;
  private final Issuer issuer;
  private final SecureRandom random = new SecureRandom();
  private final CrlCache crls;

  private DevicePki(Path dir, Issuer issuer) {
    this.dir = dir;
    this.issuer = issuer;
    this.crls = new CrlCache(dir.resolve(CRL));
  }

  /**
   * A new CA in {@code dir} (created if missing): ECDSA P-256, SHA256withECDSA, valid for {@link
   * #CA_VALIDITY}, CN {@value #CA_NAME}.
   *
   * @throws IllegalStateException if {@code dir} already holds a CA
   */
  public static DevicePki create(Path dir) {
    createDirectories(dir);
    return DirLock.locked(
        dir,
        () -> {
          if (Files.exists(dir.resolve(CA_CRT))) {
            throw new IllegalStateException(
                dir + " already holds a device CA (" + CA_CRT + "); open it instead");
          }
          return createLocked(dir);
        });
  }

  /**
   * The CA in {@code dir}.
   *
   * @throws IllegalStateException naming the missing or unreadable file when {@code dir} does not
   *     hold a whole CA
   */
  public static DevicePki open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("no device CA at " + dir + ": the directory does not exist");
    }
    for (String file : FILES) {
      if (!Files.exists(dir.resolve(file))) {
        throw new IllegalStateException(
            "the device CA at " + dir + " is incomplete: " + dir.resolve(file) + " is missing");
      }
    }
    X509Certificate certificate;
    PrivateKey key;
    try {
      certificate = PemCodec.readCertificates(dir.resolve(CA_CRT)).get(0);
      key = PemCodec.readPrivateKey(dir.resolve(CA_KEY));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "the device CA at " + dir + " is corrupt: " + e.getMessage(), e);
    }
    if (!Issuer.matches(certificate, key)) {
      throw new IllegalStateException(
          "the device CA at " + dir + " is corrupt: " + CA_KEY + " is not the key of " + CA_CRT);
    }
    DevicePki pki = new DevicePki(dir, new Issuer(certificate, key));
    pki.renewCrlIfOld();
    return pki;
  }

  /** The CA in {@code dir}, created first if there is none. */
  public static DevicePki openOrCreate(Path dir) {
    createDirectories(dir);
    return DirLock.locked(
        dir, () -> Files.exists(dir.resolve(CA_CRT)) ? open(dir) : createLocked(dir));
  }

  public Path dir() {
    return dir;
  }

  /** {@code ca.crt}: what brokers trust device certificates with, and devices the broker with. */
  public Path caCertificate() {
    return dir.resolve(CA_CRT);
  }

  /** {@code crl.pem}: the revocation list, PEM. */
  public Path crl() {
    return dir.resolve(CRL);
  }

  /** {@code secrets}: Mosquitto's password file of the per-device secrets. */
  public Path secrets() {
    return dir.resolve(SECRETS);
  }

  /** The CA certificate. */
  public X509Certificate certificate() {
    return issuer.certificate();
  }

  /**
   * A device certificate: CN = {@code deviceId}, extended key usage clientAuth, key usage
   * digitalSignature, valid for {@link #DEVICE_VALIDITY} from now.
   *
   * @throws IllegalArgumentException for an id that {@link DeviceIds#check} refuses
   */
  public Credentials issueDevice(String deviceId) {
    Instant now = Instant.now();
    return issueDevice(deviceId, now.minus(CLOCK_SKEW), now.plus(DEVICE_VALIDITY));
  }

  /**
   * A device certificate valid from {@code notBefore} to {@code notAfter} (an expired one too).
   * Each call appends to {@code issued.tsv} and syncs it: for many devices, {@link #issueDevices}
   * or {@link #writeDevices}.
   */
  public Credentials issueDevice(String deviceId, Instant notBefore, Instant notAfter) {
    DeviceIds.check(deviceId);
    if (!notAfter.isAfter(notBefore)) {
      throw new IllegalArgumentException("notAfter " + notAfter + " is not after " + notBefore);
    }
    Issued issued = device(deviceId, notBefore, notAfter);
    record(List.of(issued.row()));
    return jdkKey(issued.credentials());
  }

  /**
   * Issues a certificate for each of {@code deviceIds} (as {@link #issueDevice(String)}) and writes
   * {@code ID.crt} and {@code ID.key} (mode 0600) into {@code outDir} (created if missing),
   * generating keys in parallel. Every id is checked before anything is issued; an id listed twice
   * is issued once.
   *
   * @return the {@code .crt} files, in the order of {@code deviceIds}
   * @throws IllegalArgumentException naming the first bad id; then nothing is issued
   */
  public List<Path> writeDevices(Collection<String> deviceIds, Path outDir) {
    List<String> ids = checkedIds(deviceIds);
    createDirectories(outDir);
    List<Path> written = new ArrayList<>(ids.size());
    issueInChunks(
        ids,
        chunk ->
            written.addAll(
                chunk.parallelStream()
                    .map(
                        credentials -> {
                          Path certificate = outDir.resolve(credentials.name() + ".crt");
                          credentials.write(
                              certificate, outDir.resolve(credentials.name() + ".key"));
                          return certificate;
                        })
                    .toList()));
    return written;
  }

  /**
   * Issues a certificate for each of {@code deviceIds} (as {@link #issueDevice(String)}) and hands
   * them back without writing files: for a caller that keeps a fleet's credentials in memory (a
   * simulator). Unlike calling {@link #issueDevice(String)} in a loop, which appends to {@code
   * issued.tsv} and syncs it once per device, this records them once per 10,000, with keys made in
   * parallel. Every id is checked first; an id listed twice is issued once.
   *
   * @throws IllegalArgumentException naming the first bad id; then nothing is issued
   */
  public List<Credentials> issueDevices(Collection<String> deviceIds) {
    List<String> ids = checkedIds(deviceIds);
    List<Credentials> issued = new ArrayList<>(ids.size());
    issueInChunks(
        ids, chunk -> issued.addAll(chunk.parallelStream().map(DevicePki::jdkKey).toList()));
    return issued;
  }

  private static List<String> checkedIds(Collection<String> deviceIds) {
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(deviceIds));
    ids.forEach(DeviceIds::check);
    return ids;
  }

  /** Issues in chunks, each recorded in issued.tsv before {@code then} gets it. */
  private void issueInChunks(List<String> ids, Consumer<List<Credentials>> then) {
    Instant now = Instant.now();
    Instant notBefore = now.minus(CLOCK_SKEW);
    Instant notAfter = now.plus(DEVICE_VALIDITY);
    for (int from = 0; from < ids.size(); from += CHUNK) {
      List<Issued> chunk =
          ids.subList(from, Math.min(ids.size(), from + CHUNK)).parallelStream()
              .map(id -> device(id, notBefore, notAfter))
              .toList();
      record(chunk.stream().map(Issued::row).toList());
      then.accept(chunk.stream().map(Issued::credentials).toList());
    }
  }

  /**
   * A broker's server certificate: CN = {@code name}, extended key usage serverAuth, each of {@code
   * hosts} a subject alternative name (an IPv4 or IPv6 literal as an iPAddress, anything else as a
   * dNSName), valid for {@link #DEVICE_VALIDITY}.
   */
  public Credentials issueServer(String name, List<String> hosts) {
    checkName(name, "server name");
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("server '" + name + "' needs at least one host name");
    }
    List<GeneralName> names = new ArrayList<>();
    for (String host : hosts) {
      names.add(altName(host));
    }
    return issueLeaf(
        "server",
        name,
        cn(name, null),
        KeyPurposeId.id_kp_serverAuth,
        new GeneralNames(names.toArray(GeneralName[]::new)));
  }

  /**
   * A back-end client identity (such as {@code ingest-bridge.backend}, the bridge's): CN = {@code
   * name}, OU = services, extended key usage clientAuth. A name with a dot can never be a device id
   * ({@link DeviceIds}), so no device certificate can ever carry it.
   */
  public Credentials issueService(String name) {
    checkName(name, "service name");
    return issueLeaf("service", name, cn(name, "services"), KeyPurposeId.id_kp_clientAuth, null);
  }

  /**
   * A new secret for {@code deviceId} (at least 128 random bits, URL-safe base64), stored in {@code
   * secrets} only as its salted hash, replacing an older one.
   *
   * @return the secret, which is not kept anywhere
   */
  public String addSecret(String deviceId) {
    DeviceIds.check(deviceId);
    byte[] bytes = new byte[18];
    random.nextBytes(bytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    String hash = SecretHashes.hash(secret, random);
    DirLock.run(
        dir,
        () -> {
          Map<String, String> hashes = new LinkedHashMap<>(SecretsFile.read(secrets()));
          hashes.put(deviceId, hash);
          SecretsFile.write(secrets(), hashes);
        });
    return secret;
  }

  /**
   * Revokes every certificate issued to {@code deviceId} (of any kind) that is not revoked yet, and
   * removes its secret; then rewrites {@code crl.pem} (atomically). A name already revoked changes
   * nothing.
   *
   * @throws IllegalArgumentException naming {@code deviceId} when the CA never issued a certificate
   *     or a secret to it
   */
  public void revoke(String deviceId) {
    DirLock.run(
        dir,
        () -> {
          List<Ledger.Row> rows = Ledger.read(dir.resolve(ISSUED));
          Map<String, String> hashes = new LinkedHashMap<>(SecretsFile.read(secrets()));
          boolean known = rows.stream().anyMatch(row -> row.name().equals(deviceId));
          boolean hadSecret = hashes.remove(deviceId) != null;
          if (!known && !hadSecret) {
            throw new IllegalArgumentException(
                "unknown device id '" + deviceId + "': no certificate or secret was issued to it");
          }
          Instant now = Instant.now();
          List<Ledger.Row> updated = new ArrayList<>(rows.size());
          boolean changed = false;
          for (Ledger.Row row : rows) {
            boolean revoke = row.name().equals(deviceId) && row.revokedAt() == null;
            updated.add(revoke ? row.revoked(now) : row);
            changed |= revoke;
          }
          // The ledger first: the CRL is made from it, so a crash in between is mended by the
          // next CRL write, while a CRL written first would lose the entry on the next one.
          if (changed) {
            Ledger.write(dir.resolve(ISSUED), updated);
            writeCrl(updated, now);
          }
          if (hadSecret) {
            SecretsFile.write(secrets(), hashes);
          }
        });
  }

  /**
   * True when {@code certificate} is on this CA's current {@code crl.pem} (re-read only when the
   * file changed, so that a broker may call it on every connect).
   */
  public boolean isRevoked(X509Certificate certificate) {
    if (!certificate
        .getIssuerX500Principal()
        .equals(issuer.certificate().getSubjectX500Principal())) {
      return false;
    }
    return crls.current().isRevoked(certificate);
  }

  /** Every certificate issued, in the order of issue. */
  public List<IssuedCertificate> issued() {
    return Ledger.read(dir.resolve(ISSUED)).stream()
        .map(
            row ->
                new IssuedCertificate(
                    row.serial().toString(16).toUpperCase(Locale.ROOT),
                    row.kind(),
                    row.name(),
                    row.notAfter(),
                    row.revokedAt()))
        .toList();
  }

  @Override
  public String toString() {
    return "DevicePki[" + dir + "]";
  }

  private record Issued(Credentials credentials, Ledger.Row row) {}

  private static Credentials jdkKey(Credentials credentials) {
    return new Credentials(
        credentials.name(),
        credentials.certificate(),
        KeyPairs.jdk(credentials.privateKey()),
        credentials.issuer());
  }

  private Issued device(String id, Instant notBefore, Instant notAfter) {
    return leaf(
        "device",
        id,
        new Issuer.Template(
            cn(id, null),
            notBefore,
            notAfter,
            false,
            KeyUsage.digitalSignature,
            KeyPurposeId.id_kp_clientAuth,
            null));
  }

  private Credentials issueLeaf(
      String kind, String name, X500Name subject, KeyPurposeId purpose, GeneralNames altNames) {
    Instant now = Instant.now();
    Issued issued =
        leaf(
            kind,
            name,
            new Issuer.Template(
                subject,
                now.minus(CLOCK_SKEW),
                now.plus(DEVICE_VALIDITY),
                false,
                KeyUsage.digitalSignature,
                purpose,
                altNames));
    record(List.of(issued.row()));
    return jdkKey(issued.credentials());
  }

  private Issued leaf(String kind, String name, Issuer.Template template) {
    KeyPair keys = KeyPairs.p256();
    X509Certificate certificate = issuer.issue(template, keys.getPublic());
    Credentials credentials =
        new Credentials(name, certificate, keys.getPrivate(), issuer.certificate());
    return new Issued(
        credentials,
        new Ledger.Row(
            certificate.getSerialNumber(),
            kind,
            name,
            certificate.getNotAfter().toInstant(),
            null));
  }

  private void record(List<Ledger.Row> rows) {
    DirLock.run(dir, () -> Ledger.append(dir.resolve(ISSUED), rows));
  }

  private static DevicePki createLocked(Path dir) {
    KeyPair keys = KeyPairs.p256();
    Instant now = Instant.now();
    X509Certificate certificate =
        Issuer.selfSigned(keys, cn(CA_NAME, null), now.minus(CLOCK_SKEW), now.plus(CA_VALIDITY));
    DevicePki pki = new DevicePki(dir, new Issuer(certificate, keys.getPrivate()));
    AtomicFiles.write(
        dir.resolve(CA_KEY), ascii(PemCodec.privateKey(keys.getPrivate())), true, true);
    Ledger.write(dir.resolve(ISSUED), List.of());
    SecretsFile.write(dir.resolve(SECRETS), Map.of());
    pki.writeCrl(List.of(), now);
    // Last: ca.crt is what makes the directory a CA; a crash before it leaves none.
    AtomicFiles.write(dir.resolve(CA_CRT), ascii(PemCodec.certificate(certificate)), false, true);
    return pki;
  }

  /** Rewrites crl.pem from the ledger's revoked rows, with the next CRL number. */
  private void writeCrl(List<Ledger.Row> rows, Instant now) {
    BigInteger number = BigInteger.ONE;
    if (Files.exists(crl())) {
      number = Issuer.crlNumber(PemCodec.readCrl(crl())).add(BigInteger.ONE);
    }
    Map<BigInteger, Instant> revoked = new LinkedHashMap<>();
    for (Ledger.Row row : rows) {
      if (row.revokedAt() != null) {
        revoked.put(row.serial(), row.revokedAt());
      }
    }
    X509CRL crl = issuer.crl(revoked, number, now, CRL_VALIDITY);
    AtomicFiles.write(crl(), ascii(PemCodec.crl(crl)), false, true);
  }

  /**
   * Writes {@code crl.pem} anew (the same revocations, the next CRL number, a fresh {@link
   * #CRL_VALIDITY}) when its next update is less than {@code minRemaining} away, under the
   * directory's lock; a newer list is left alone. A long-running reader (a broker started now) gets
   * a list that does not expire under it: OpenSSL refuses every certificate once it has.
   */
  public void renewCrl(Duration minRemaining) {
    if (minRemaining.isNegative() || minRemaining.compareTo(CRL_VALIDITY) > 0) {
      throw new IllegalArgumentException(
          "minRemaining must be from 0 to " + CRL_VALIDITY + ", not " + minRemaining);
    }
    Instant now = Instant.now();
    if (!expiresSoon(now, minRemaining)) {
      return;
    }
    DirLock.run(
        dir,
        () -> {
          if (expiresSoon(now, minRemaining)) {
            writeCrl(Ledger.read(dir.resolve(ISSUED)), now);
          }
        });
  }

  /** A CRL with less than half its life left is written anew (same entries, next number). */
  private void renewCrlIfOld() {
    renewCrl(CRL_VALIDITY.dividedBy(2));
  }

  private boolean expiresSoon(Instant now, Duration minRemaining) {
    X509CRL crl;
    try {
      crl = PemCodec.readCrl(crl());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "the device CA at " + dir + " is corrupt: " + e.getMessage(), e);
    }
    return crl.getNextUpdate() == null
        || crl.getNextUpdate().toInstant().isBefore(now.plus(minRemaining));
  }

  /** A server's or service's name: 1 to 64 of [A-Za-z0-9._-] ({@code what} names it). */
  private static void checkName(String name, String what) {
    if (name == null || !SERVER_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " '" + name + "' is not 1 to 64 of [A-Za-z0-9._-]");
    }
  }

  private static GeneralName altName(String host) {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("empty host name");
    }
    if (IPV4.matcher(host).matches() || host.contains(":")) {
      try {
        return new GeneralName(GeneralName.iPAddress, host);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + host + "' is not an IP address", e);
      }
    }
    if (!DNS.matcher(host).matches()) {
      throw new IllegalArgumentException("'" + host + "' is neither a DNS name nor an IP address");
    }
    return new GeneralName(GeneralName.dNSName, host);
  }

  private static X500Name cn(String cn, String ou) {
    X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
    if (ou != null) {
      name.addRDN(BCStyle.OU, ou);
    }
    return name.addRDN(BCStyle.CN, cn).build();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }
}
