package org.iotbackbone.pki;

import java.time.Instant;

/**
 * A row of the CA's {@code issued.tsv}: one certificate it issued.
 *
 * @param serial the serial number, upper-case hex (as {@code openssl x509 -serial} prints it)
 * @param kind {@code device}, {@code server} or {@code service}
 * @param name the certificate's CN
 * @param revokedAt when it was revoked; null while it is not
 */
public record IssuedCertificate(
    String serial, String kind, String name, Instant notAfter, Instant revokedAt) {

  public boolean revoked() {
    return revokedAt != null;
  }
}
