package org.iotbackbone.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The credentials in Java's TLS: a server certificate passes JSSE's hostname check for {@code
 * localhost} and {@code 127.0.0.1}, and a device's key store authenticates it as a client. A TLS
 * socket on loopback inside the test, no broker.
 */
@Timeout(60)
class JsseTest {

  static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir Path dir;

  @Test
  void serverPassesHostnameChecksAndDeviceAuthenticates() throws Exception {
    DevicePki pki = DevicePki.create(dir.resolve("pki"));
    Credentials server = pki.issueServer("broker", List.of("localhost", "127.0.0.1"));
    Credentials device = pki.issueDevice("lamp-1");
    for (String host : List.of("localhost", "127.0.0.1")) {
      assertThat(handshake(pki, server, device, host)).isEqualTo("CN=lamp-1");
    }
  }

  @Test
  void serverFailsTheHostnameCheckForAnotherName() throws Exception {
    DevicePki pki = DevicePki.create(dir.resolve("pki"));
    Credentials server = pki.issueServer("broker", List.of("broker.example.com"));
    Credentials device = pki.issueDevice("lamp-1");
    assertThatThrownBy(() -> handshake(pki, server, device, "localhost"))
        .isInstanceOf(SSLHandshakeException.class);
  }

  /** Connects to {@code host} and returns the client's subject as the server saw it. */
  private static String handshake(
      DevicePki pki, Credentials server, Credentials client, String host) throws Exception {
    SSLContext serverContext = context(server, pki);
    SSLContext clientContext = context(client, pki);
    try (SSLServerSocket listener =
        (SSLServerSocket)
            serverContext
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listener.setNeedClientAuth(true);
      CompletableFuture<String> seen =
          CompletableFuture.supplyAsync(
              () -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                  socket.startHandshake();
                  String subject = socket.getSession().getPeerPrincipal().getName();
                  OutputStream out = socket.getOutputStream();
                  out.write(1);
                  out.flush();
                  return subject;
                } catch (Exception e) {
                  return "server failed: " + e;
                }
              });
      try (SSLSocket socket =
          (SSLSocket)
              clientContext.getSocketFactory().createSocket(host, listener.getLocalPort())) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        InputStream in = socket.getInputStream();
        assertThat(in.read()).isEqualTo(1);
      }
      return seen.get(30, TimeUnit.SECONDS);
    }
  }

  private static SSLContext context(Credentials own, DevicePki pki) throws Exception {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(own.keyStore(PASSWORD), PASSWORD);
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("ca", Pem.readCertificate(pki.caCertificate()));
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }
}
