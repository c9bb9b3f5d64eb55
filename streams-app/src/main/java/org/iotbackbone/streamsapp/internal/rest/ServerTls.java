package org.iotbackbone.streamsapp.internal.rest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The REST listener's TLS: its certificate and key from a key store, as Kafka's own listeners. */
public final class ServerTls {

  private ServerTls() {}

  /**
   * A server context from a key store (PKCS12 or JKS) holding the listener's key and certificate
   * chain; the JDK's defaults choose protocols (TLS 1.2 and 1.3) and cipher suites.
   */
  public static SSLContext fromKeyStore(Path file, char[] password, String type)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(type);
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }
}
