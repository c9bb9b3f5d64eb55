package org.iotbackbone.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Objects;
import org.iotbackbone.pki.internal.AtomicFiles;
import org.iotbackbone.pki.internal.PemCodec;

/**
 * A certificate, its private key and the CA certificate that issued it.
 *
 * @param name the device id, server or service name (the certificate's CN)
 */
public record Credentials(
    String name, X509Certificate certificate, PrivateKey privateKey, X509Certificate issuer) {

  public Credentials {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(issuer, "issuer");
  }

  /** The certificate alone, PEM. */
  public String certificatePem() {
    return PemCodec.certificate(certificate);
  }

  /** The private key, PEM PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}), unencrypted. */
  public String privateKeyPem() {
    return PemCodec.privateKey(privateKey);
  }

  /** Writes the certificate and the key (mode 0600), each atomically. */
  public void write(Path certificateFile, Path keyFile) {
    AtomicFiles.write(keyFile, privateKeyPem().getBytes(StandardCharsets.US_ASCII), true, false);
    AtomicFiles.write(
        certificateFile, certificatePem().getBytes(StandardCharsets.US_ASCII), false, false);
  }

  /**
   * A PKCS#12 key store with one key entry, alias {@link #name}, holding the key and the chain
   * (certificate, issuer): what a Java client's {@code KeyManagerFactory} takes.
   */
  public KeyStore keyStore(char[] password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(name, privateKey, password, new Certificate[] {certificate, issuer});
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a PKCS12 key store for " + name, e);
    }
  }
}
