package org.iotbackbone.schemas.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The key and trust stores a service is configured with (the REST listener's key store, the
 * registry's and the forwarding client's trust stores): read from their files, and a trust store
 * made into the TLS context of a client that trusts what it holds and nothing else.
 */
public final class KeyStores {

  private KeyStores() {}

  /**
   * The store in {@code file}.
   *
   * @param password its password; null to read it without an integrity check (and for PEM)
   * @param type {@code PKCS12}, {@code JKS}, or {@code PEM} (a file of certificates, which the JDK
   *     has no key store type for: they go into an empty one)
   */
  public static KeyStore load(Path file, char[] password, String type)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      if (!type.equalsIgnoreCase("PEM")) {
        KeyStore keys = KeyStore.getInstance(type);
        keys.load(in, password);
        return keys;
      }
      KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
      keys.load(null, null);
      int n = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        keys.setCertificateEntry("ca-" + n++, certificate);
      }
      if (n == 0) {
        throw new GeneralSecurityException("no certificate in the PEM file");
      }
      return keys;
    }
  }

  /** A client context that trusts the certificates of {@code store} and nothing else. */
  public static SSLContext trusting(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
