package org.iotbackbone.pki;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import org.iotbackbone.pki.internal.PemCodec;

/**
 * Reads the PEM files this module writes (and OpenSSL's). A file that is not what is asked for is
 * an {@link IllegalArgumentException} naming it; one that cannot be read an {@link
 * java.io.UncheckedIOException}.
 */
public final class Pem {

  private Pem() {}

  /** The first certificate of {@code file}. */
  public static X509Certificate readCertificate(Path file) {
    return PemCodec.readCertificates(file).get(0);
  }

  /** Every certificate of {@code file} (a chain, a bundle); at least one. */
  public static List<X509Certificate> readCertificates(Path file) {
    return PemCodec.readCertificates(file);
  }

  /** An unencrypted private key: PKCS#8 ({@code PRIVATE KEY}) or OpenSSL's traditional forms. */
  public static PrivateKey readPrivateKey(Path file) {
    return PemCodec.readPrivateKey(file);
  }

  public static X509CRL readCrl(Path file) {
    return PemCodec.readCrl(file);
  }
}
