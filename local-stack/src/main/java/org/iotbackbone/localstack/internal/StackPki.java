package org.iotbackbone.localstack.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.pki.Pem;
import org.iotbackbone.servers.BrokerTls;

/**
 * The stack's device CA ({@link StackDir#pki()}, kept by {@code down}) as the secure brokers and
 * the bridge use it: its revocation list kept current, and the bridge's back-end identity.
 */
public final class StackPki {

  /**
   * A broker started now must not outlive its revocation list: OpenSSL (Mosquitto) refuses every
   * certificate once the list's next update has passed. A stack rarely runs a week.
   */
  static final Duration CRL_MIN_REMAINING = Duration.ofDays(7);

  /** Where the bridge's certificate and key are, in the CA's directory. */
  static final String SERVICES = "services";

  private StackPki() {}

  /** The stack's CA (made on first use), its revocation list valid at least a week more. */
  public static DevicePki forBrokers(Path pkiDir) {
    DevicePki pki = DevicePki.openOrCreate(pkiDir);
    pki.renewCrl(CRL_MIN_REMAINING);
    return pki;
  }

  /**
   * The bridge's certificate and key: {@code services/ingest-bridge.backend.crt} and {@code .key}.
   */
  public record Identity(Path certificateFile, Path keyFile) {}

  /**
   * The back end's identity ({@link BrokerTls#DEFAULT_BACKEND_IDENTITY}), issued once into {@code
   * services/} and kept: again only when it is missing, revoked or expires within {@link
   * #CRL_MIN_REMAINING}.
   */
  public static Identity backend(DevicePki pki) {
    Path dir = pki.dir().resolve(SERVICES);
    String name = BrokerTls.DEFAULT_BACKEND_IDENTITY;
    Identity identity = new Identity(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
    if (!usable(pki, identity)) {
      try {
        Files.createDirectories(dir);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      pki.issueService(name).write(identity.certificateFile(), identity.keyFile());
    }
    return identity;
  }

  private static boolean usable(DevicePki pki, Identity identity) {
    if (!Files.exists(identity.certificateFile()) || !Files.exists(identity.keyFile())) {
      return false;
    }
    try {
      X509Certificate certificate = Pem.readCertificate(identity.certificateFile());
      // Signed by this CA, not by an earlier one of the same name (pki/ deleted and made anew).
      certificate.verify(pki.certificate().getPublicKey());
      return certificate.getNotAfter().toInstant().isAfter(Instant.now().plus(CRL_MIN_REMAINING))
          && !pki.isRevoked(certificate);
    } catch (RuntimeException | java.security.GeneralSecurityException e) {
      return false; // unreadable or another CA's: issue a new one
    }
  }
}
