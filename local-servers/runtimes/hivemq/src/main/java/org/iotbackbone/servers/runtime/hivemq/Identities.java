package org.iotbackbone.servers.runtime.hivemq;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import org.iotbackbone.pki.SecretHashes;

/**
 * The device CA's revocation list and the per-device secrets, read again whenever their files
 * change (checked on each connect: a stat is cheap next to a TLS handshake), so that {@code ./iot
 * devices revoke} and {@code create --secret} take effect without a restart. A file that cannot be
 * read keeps the last good copy and is logged; with none, logins it governs are refused.
 */
final class Identities {

  private final Path crlFile;
  private final Path secretsFile;
  private Snapshot<X509CRL> crl = Snapshot.none();
  private Snapshot<Map<String, String>> secrets = Snapshot.none();

  Identities(Path crlFile, Path secretsFile) {
    this.crlFile = Objects.requireNonNull(crlFile, "crlFile");
    this.secretsFile = Objects.requireNonNull(secretsFile, "secretsFile");
  }

  /**
   * Why a certificate that passed the TLS handshake is refused, or null when it is not: on the
   * revocation list, or no current list at all (as OpenSSL, and so Mosquitto, refuses every
   * certificate once the list's next update has passed: fail closed).
   */
  synchronized String refusal(X509Certificate certificate) {
    crl = crl.refresh(crlFile, Identities::readCrl);
    X509CRL list = crl.value();
    if (list == null) {
      return "no readable revocation list at " + crlFile;
    }
    if (list.getNextUpdate() != null && list.getNextUpdate().before(new Date())) {
      return "the revocation list expired at " + list.getNextUpdate().toInstant();
    }
    return list.isRevoked(certificate) ? "certificate revoked" : null;
  }

  /** Whether {@code secret} is the device's, by its salted hash; false for an unknown device. */
  synchronized boolean secretMatches(String deviceId, String secret) {
    secrets = secrets.refresh(secretsFile, SecretHashes::read);
    Map<String, String> hashes = secrets.value();
    String hash = hashes == null ? null : hashes.get(deviceId);
    return hash != null && SecretHashes.verify(secret, hash);
  }

  private static X509CRL readCrl(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the revocation list " + file + ": " + e, e);
    }
  }

  /** A file's parsed content and the modification time and size it was read at. */
  private record Snapshot<T>(T value, FileTime modified, long size) {

    static <T> Snapshot<T> none() {
      return new Snapshot<>(null, null, -1);
    }

    Snapshot<T> refresh(Path file, java.util.function.Function<Path, T> reader) {
      try {
        FileTime time = Files.getLastModifiedTime(file);
        long length = Files.size(file);
        if (value != null && time.equals(modified) && length == size) {
          return this;
        }
        return new Snapshot<>(reader.apply(file), time, length);
      } catch (IOException | RuntimeException e) {
        System.err.println("DeviceAccessExtension: keeping the last copy of " + file + ": " + e);
        return this;
      }
    }
  }
}
