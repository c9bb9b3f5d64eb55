package org.iotbackbone.streamsapp.internal.rest;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.iotbackbone.schemas.config.KeyStores;

/**
 * The REST listener's TLS: its certificate and key from a key store, as Kafka's own listeners; and
 * the trust of the client that forwards reads to the other instances' listeners.
 */
public final class ServerTls {

  private ServerTls() {}

  /**
   * A server context from a key store (PKCS12 or JKS) holding the listener's key and certificate
   * chain; the JDK's defaults choose protocols (TLS 1.2 and 1.3) and cipher suites.
   */
  public static SSLContext fromKeyStore(Path file, char[] password, String type)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStores.load(file, password, type);
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  /**
   * A client context that trusts the certificates of a trust store (PKCS12 or JKS) and nothing
   * else: what a forwarding instance uses to check the listener of the instance it asks. The JDK's
   * HTTP client also checks that the certificate names the host it connects to.
   *
   * @param password the store's password, or null to read it without an integrity check
   */
  public static SSLContext trusting(Path file, char[] password, String type)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStores.load(file, password, type);
    if (store.size() == 0) {
      throw new KeyStoreException(file + " holds no certificate");
    }
    return KeyStores.trusting(store);
  }
}
