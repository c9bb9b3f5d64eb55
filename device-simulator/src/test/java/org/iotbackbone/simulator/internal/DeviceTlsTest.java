package org.iotbackbone.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.X509ExtendedKeyManager;
import org.iotbackbone.pki.Credentials;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.pki.Pem;
import org.iotbackbone.pki.TlsContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device's TLS as {@link DeviceTls} builds it, in a handshake with a broker that asks for its
 * certificate (two SSLEngines in memory, the broker's side as a broker is set up: the device CA
 * trusted, a client certificate required).
 */
class DeviceTlsTest {

  @TempDir Path dir;

  @Test
  void aDeviceProvesItsIdWithItsOwnCertificateInAMutualHandshake() throws Exception {
    DevicePki pki = DevicePki.create(dir.resolve("pki"));
    pki.writeDevices(List.of("dev-1", "dev-2"), dir.resolve("certs"));
    DeviceTls tls = new DeviceTls(pki.caCertificate(), dir.resolve("certs"));

    for (String id : List.of("dev-1", "dev-2")) {
      SSLEngine broker = brokerEngine(pki);
      handshake(clientEngine(tls.sslConfig(id, Duration.ofSeconds(10))), broker);

      X509Certificate presented = (X509Certificate) broker.getSession().getPeerCertificates()[0];
      assertThat(presented.getSubjectX500Principal().getName()).contains("CN=" + id);
    }
  }

  @Test
  void theKeyServesOnlyItsOwnAlgorithmAndNeverAServer() throws Exception {
    DevicePki pki = DevicePki.create(dir.resolve("pki"));
    pki.writeDevices(List.of("dev-1"), dir.resolve("certs"));
    var key = Pem.readPrivateKey(dir.resolve("certs/dev-1.key"));
    var chain = Pem.readCertificates(dir.resolve("certs/dev-1.crt"));
    DeviceKeyManager manager = new DeviceKeyManager(key, chain);

    String algorithm = key.getAlgorithm();
    String other = algorithm.equals("RSA") ? "EC" : "RSA";
    assertThat(manager.chooseEngineClientAlias(new String[] {other, algorithm}, null, null))
        .isEqualTo(DeviceKeyManager.ALIAS);
    assertThat(
            manager.chooseEngineClientAlias(new String[] {algorithm + "_" + algorithm}, null, null))
        .isEqualTo(DeviceKeyManager.ALIAS);
    assertThat(manager.chooseEngineClientAlias(new String[] {other}, null, null)).isNull();
    assertThat(manager.getClientAliases(other, null)).isNull();
    assertThat(manager.chooseEngineServerAlias(algorithm, null, null)).isNull();
    assertThat(manager.getPrivateKey(DeviceKeyManager.ALIAS)).isSameAs(key);
    assertThat(manager.getCertificateChain(DeviceKeyManager.ALIAS))
        .containsExactlyElementsOf(chain);
    assertThat(manager.getCertificateChain("other")).isNull();
    assertThat(manager.getPrivateKey("other")).isNull();
    assertThatThrownBy(() -> new DeviceKeyManager(key, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void aDeviceWithoutItsFilesIsRefusedNamingTheFile() throws Exception {
    DevicePki pki = DevicePki.create(dir.resolve("pki"));
    DeviceTls tls = new DeviceTls(pki.caCertificate(), dir.resolve("certs"));

    assertThatThrownBy(() -> tls.sslConfig("dev-9", Duration.ofSeconds(10)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dev-9.crt");
  }

  private static SSLEngine clientEngine(MqttClientSslConfig config) throws Exception {
    KeyManager[] keys = config.getKeyManagerFactory().orElseThrow().getKeyManagers();
    assertThat(keys).singleElement().isInstanceOf(X509ExtendedKeyManager.class);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys, config.getTrustManagerFactory().orElseThrow().getTrustManagers(), null);
    SSLEngine engine = context.createSSLEngine("localhost", 8883);
    engine.setUseClientMode(true);
    return engine;
  }

  private static SSLEngine brokerEngine(DevicePki pki) throws Exception {
    Credentials server = pki.issueServer("broker", List.of("localhost"));
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        TlsContexts.keyManagerFactory(server).getKeyManagers(),
        TlsContexts.trustManagerFactory(pki.caCertificate()).getTrustManagers(),
        null);
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setNeedClientAuth(true);
    return engine;
  }

  /** Runs the handshake between the two engines through buffers; fails if it does not end. */
  private static void handshake(SSLEngine client, SSLEngine server) throws Exception {
    int size = Math.max(client.getSession().getPacketBufferSize(), 1 << 15);
    ByteBuffer toServer = ByteBuffer.allocate(size);
    ByteBuffer toClient = ByteBuffer.allocate(size);
    ByteBuffer empty = ByteBuffer.allocate(0);
    ByteBuffer sink = ByteBuffer.allocate(1 << 16);
    client.beginHandshake();
    server.beginHandshake();
    for (int step = 0; step < 200; step++) {
      if (done(client) && done(server)) {
        return;
      }
      for (SSLEngine engine : new SSLEngine[] {client, server}) {
        ByteBuffer out = engine == client ? toServer : toClient;
        ByteBuffer in = engine == client ? toClient : toServer;
        HandshakeStatus status = engine.getHandshakeStatus();
        if (status == HandshakeStatus.NEED_TASK) {
          for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
          }
        } else if (status == HandshakeStatus.NEED_WRAP) {
          engine.wrap(empty, out);
        } else if (status == HandshakeStatus.NEED_UNWRAP) {
          in.flip();
          engine.unwrap(in, sink);
          in.compact();
          sink.clear();
        }
      }
    }
    throw new AssertionError(
        "the handshake did not end: client "
            + client.getHandshakeStatus()
            + ", broker "
            + server.getHandshakeStatus());
  }

  private static boolean done(SSLEngine engine) {
    HandshakeStatus status = engine.getHandshakeStatus();
    return status == HandshakeStatus.FINISHED || status == HandshakeStatus.NOT_HANDSHAKING;
  }
}
