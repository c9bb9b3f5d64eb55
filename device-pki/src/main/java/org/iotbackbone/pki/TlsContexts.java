package org.iotbackbone.pki;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * JSSE factories from PEM material, for the clients of a secure broker (a device, the simulator,
 * the ingest bridge): the key manager presents a certificate and its key, the trust manager trusts
 * the CAs of a PEM file. The JDK reads neither PEM keys nor PEM trust files by itself.
 */
public final class TlsContexts {

  private TlsContexts() {}

  /** Presents {@code credentials} (its certificate, then its issuer) in a TLS handshake. */
  public static KeyManagerFactory keyManagerFactory(Credentials credentials) {
    return keyManagerFactory(
        credentials.privateKey(), List.of(credentials.certificate(), credentials.issuer()));
  }

  /** Presents the certificate (and chain) of a PEM file with the PEM private key of another. */
  public static KeyManagerFactory keyManagerFactory(Path certificateFile, Path keyFile) {
    return keyManagerFactory(Pem.readPrivateKey(keyFile), Pem.readCertificates(certificateFile));
  }

  private static KeyManagerFactory keyManagerFactory(
      java.security.PrivateKey key, List<X509Certificate> chain) {
    try {
      char[] password = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("key", key, password, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return factory;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("cannot use the key and certificate: " + e, e);
    }
  }

  /** Trusts exactly the CA certificates of a PEM file. */
  public static TrustManagerFactory trustManagerFactory(Path caFile) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int n = 0;
      for (X509Certificate ca : Pem.readCertificates(caFile)) {
        store.setCertificateEntry("ca-" + n++, ca);
      }
      if (n == 0) {
        throw new IllegalArgumentException("no certificate in " + caFile);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("cannot trust the CAs of " + caFile + ": " + e, e);
    }
  }

  /** A client context: presents {@code credentials}, trusts the CAs of {@code caFile}. */
  public static SSLContext client(Credentials credentials, Path caFile) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          keyManagerFactory(credentials).getKeyManagers(),
          trustManagerFactory(caFile).getTrustManagers(),
          new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
