package org.iotbackbone.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.iotbackbone.schemas.serde.RegistryConfig;

/** The TLS context that trusts a registry's certificate through a configured trust store. */
final class TrustStores {

  private TrustStores() {}

  /**
   * A context trusting what the store holds (and only that).
   *
   * @throws IllegalArgumentException naming the file when it cannot be read as its type
   */
  static SSLContext sslContext(RegistryConfig.TrustStore store) {
    try {
      KeyStore keys = load(store);
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(keys);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read the registry trust store " + store.location() + ": " + e.getMessage(), e);
    }
  }

  private static KeyStore load(RegistryConfig.TrustStore store)
      throws IOException, GeneralSecurityException {
    char[] password = store.password() == null ? null : store.password().toCharArray();
    try (InputStream in = Files.newInputStream(store.location())) {
      if (!store.type().equals("PEM")) {
        KeyStore keys = KeyStore.getInstance(store.type());
        keys.load(in, password);
        return keys;
      }
      // The JDK has no PEM key store type: the certificates go into an empty one.
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
}
