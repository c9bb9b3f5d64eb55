package org.iotbackbone.servers.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.iotbackbone.pki.Pem;
import org.iotbackbone.servers.BrokerTls;
import org.iotbackbone.servers.MqttBrokerOptions;
import org.iotbackbone.servers.MqttListener;

/**
 * Renders the files HiveMQ CE reads in its JVM: HiveMQ's own {@code config.xml}, its key and trust
 * stores, and the access rules that the runtime's embedded extension ({@code
 * DeviceAccessExtension}) applies.
 */
public final class HiveMqConfig {

  /** The keys of the access rules file; the runtime module reads the same names. */
  static final String ACL = "acl";

  static final String DEVICE_PATTERN = "device.pattern";
  static final String BACKEND_FILTER = "backend.filter";
  static final String BACKEND_USERNAME = "backend.username";
  static final String BACKEND_PASSWORD = "backend.password";
  static final String TLS = "tls";
  static final String CRL_FILE = "tls.crl.file";
  static final String SECRETS_FILE = "tls.secrets.file";
  static final String BACKEND_IDENTITY = "tls.backend.identity";
  static final String BACKEND_SUBSCRIBE_FILTERS = "tls.backend.subscribe.filters";
  static final String BACKEND_PUBLISH_FILTERS = "tls.backend.publish.filters";

  private HiveMqConfig() {}

  /** The key store (server certificate) and trust store (device CA) HiveMQ's listeners read. */
  public record Stores(Path keyStore, Path trustStore, String password) {}

  /**
   * Writes the broker's key store and the trust store as PKCS12 files into {@code dir}, under a
   * fresh random password (config.xml, in the same directory, names it).
   */
  public static Stores writeStores(BrokerTls tls, Path dir) {
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    char[] secret = password.toCharArray();
    try {
      List<X509Certificate> chain = Pem.readCertificates(tls.certificateFile());
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "broker", Pem.readPrivateKey(tls.keyFile()), secret, chain.toArray(new Certificate[0]));
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int n = 0;
      for (X509Certificate ca : Pem.readCertificates(tls.caFile())) {
        trust.setCertificateEntry("device-ca-" + n++, ca);
      }
      Stores stores = new Stores(dir.resolve("broker.p12"), dir.resolve("device-ca.p12"), password);
      store(keys, stores.keyStore(), secret);
      store(trust, stores.trustStore(), secret);
      return stores;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build HiveMQ's key stores: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void store(KeyStore store, Path file, char[] password)
      throws IOException, GeneralSecurityException {
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password);
    }
  }

  /**
   * HiveMQ's {@code config.xml}: the listeners of the options on {@code host}, state in files of
   * the data folder (sessions, subscriptions, queued and retained messages, HiveMQ CE's default and
   * what a deployment runs), no telemetry. In memory, a {@code kill -9} or a restart lost every
   * message the broker had acknowledged and not yet delivered.
   *
   * @param stores the key and trust stores of the secure listeners ({@link #writeStores}); ignored
   *     by a broker without TLS
   */
  public static String configXml(
      Map<MqttListener, Integer> ports, String host, MqttBrokerOptions options, Stores stores) {
    StringBuilder listeners = new StringBuilder();
    for (MqttListener listener : options.listeners()) {
      listeners.append(listener(listener, ports.get(listener), host, stores));
    }
    return """
        <?xml version="1.0"?>
        <!-- Written by HiveMqBroker for one test run; rewritten on every start. -->
        <hivemq>
          <listeners>
        %s  </listeners>
          <mqtt>
            <queued-messages>
              <max-queue-size>%d</max-queue-size>
              <strategy>discard</strategy>
            </queued-messages>
            <receive-maximum>
              <server-receive-maximum>%d</server-receive-maximum>
            </receive-maximum>
          </mqtt>
          <persistence>
            <mode>file</mode>
          </persistence>
          <anonymous-usage-statistics>
            <enabled>false</enabled>
          </anonymous-usage-statistics>
        </hivemq>
        """
        .formatted(listeners, options.maxQueuedMessages(), options.maxInflightMessages());
  }

  /** The listener's name, which the extension reads to know how a client came in. */
  static String name(MqttListener listener) {
    return listener.name().toLowerCase(Locale.ROOT);
  }

  private static String listener(MqttListener listener, int port, String host, Stores stores) {
    String common =
        """
              <port>%d</port>
              <bind-address>%s</bind-address>
              <name>%s</name>
        """
            .formatted(port, host, name(listener));
    if (listener == MqttListener.PLAIN) {
      return "    <tcp-listener>\n" + common + "    </tcp-listener>\n";
    }
    // The secret listener asks for no certificate; the others refuse a client without one from
    // the device CA in the handshake (expiry included). Revocation is the extension's check.
    String tls =
        """
              <tls>
                <keystore>
                  <path>%s</path>
                  <password>%s</password>
                  <private-key-password>%s</private-key-password>
                </keystore>
                <truststore>
                  <path>%s</path>
                  <password>%s</password>
                </truststore>
                <client-authentication-mode>%s</client-authentication-mode>
              </tls>
        """
            .formatted(
                stores.keyStore(),
                stores.password(),
                stores.password(),
                stores.trustStore(),
                stores.password(),
                listener == MqttListener.SECRET ? "NONE" : "REQUIRED");
    if (listener == MqttListener.WSS) {
      return "    <tls-websocket-listener>\n"
          + common
          + """
                <path>%s</path>
                <subprotocols>
                  <subprotocol>mqtt</subprotocol>
                  <subprotocol>mqttv3.1</subprotocol>
                </subprotocols>
                <allow-extensions>false</allow-extensions>
          """
              .formatted(MqttListener.WEBSOCKET_PATH)
          + tls
          + "    </tls-websocket-listener>\n";
    }
    return "    <tls-tcp-listener>\n" + common + tls + "    </tls-tcp-listener>\n";
  }

  /** The access rules, as a properties file. */
  public static String accessRules(MqttBrokerOptions options) {
    Properties rules = new Properties();
    rules.setProperty(ACL, Boolean.toString(options.acl()));
    rules.setProperty(DEVICE_PATTERN, MqttBrokerOptions.DEVICE_ACL_PATTERN);
    rules.setProperty(BACKEND_FILTER, MqttBrokerOptions.BACKEND_ACL_FILTER);
    rules.setProperty(BACKEND_USERNAME, options.backendUsername());
    rules.setProperty(BACKEND_PASSWORD, options.backendPassword());
    rules.setProperty(TLS, Boolean.toString(options.tls().isPresent()));
    options
        .tls()
        .ifPresent(
            tls -> {
              rules.setProperty(CRL_FILE, tls.crlFile().toString());
              rules.setProperty(SECRETS_FILE, tls.secretsFile().toString());
              rules.setProperty(BACKEND_IDENTITY, tls.backendIdentity());
              rules.setProperty(
                  BACKEND_SUBSCRIBE_FILTERS,
                  String.join(",", MqttBrokerOptions.BACKEND_SUBSCRIBE_FILTERS));
              rules.setProperty(
                  BACKEND_PUBLISH_FILTERS,
                  String.join(",", MqttBrokerOptions.BACKEND_PUBLISH_FILTERS));
            });
    StringWriter text = new StringWriter();
    try {
      rules.store(text, "Written by HiveMqBroker; read by DeviceAccessExtension");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }
}
