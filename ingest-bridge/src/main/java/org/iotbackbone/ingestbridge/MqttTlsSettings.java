package org.iotbackbone.ingestbridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;
import org.iotbackbone.pki.Pem;
import org.iotbackbone.pki.TlsContexts;

/**
 * How the bridge reaches the brokers over TLS ({@code mqtt.tls.*}), its PEM files read once when
 * the configuration is loaded, so that a missing or broken file is a config error naming its key,
 * not a connection that never succeeds.
 *
 * @param trust the CAs the brokers' certificates are checked against; empty for the JVM's default
 * @param identity the bridge's client certificate and key; empty for none
 */
public record MqttTlsSettings(
    Optional<TrustManagerFactory> trust, Optional<KeyManagerFactory> identity) {

  /** The settings of {@code config}, or null when {@code mqtt.tls.enabled} is false. */
  static MqttTlsSettings of(BridgeConfig config) {
    String ca = config.getString(BridgeConfig.MQTT_TLS_CA_FILE_CONFIG);
    String certificate = config.getString(BridgeConfig.MQTT_TLS_CERTIFICATE_FILE_CONFIG);
    String key = config.getString(BridgeConfig.MQTT_TLS_KEY_FILE_CONFIG);
    if (!config.getBoolean(BridgeConfig.MQTT_TLS_ENABLED_CONFIG)) {
      for (String name :
          new String[] {
            BridgeConfig.MQTT_TLS_CA_FILE_CONFIG,
            BridgeConfig.MQTT_TLS_CERTIFICATE_FILE_CONFIG,
            BridgeConfig.MQTT_TLS_KEY_FILE_CONFIG
          }) {
        if (!config.getString(name).isEmpty()) {
          throw new ConfigException(
              name,
              config.getString(name),
              "is set, but " + BridgeConfig.MQTT_TLS_ENABLED_CONFIG + " is false");
        }
      }
      return null;
    }
    if (certificate.isEmpty() != key.isEmpty()) {
      throw new ConfigException(
          certificate.isEmpty()
              ? BridgeConfig.MQTT_TLS_CERTIFICATE_FILE_CONFIG
              : BridgeConfig.MQTT_TLS_KEY_FILE_CONFIG,
          "",
          "set both "
              + BridgeConfig.MQTT_TLS_CERTIFICATE_FILE_CONFIG
              + " and "
              + BridgeConfig.MQTT_TLS_KEY_FILE_CONFIG
              + ", or neither");
    }
    Optional<TrustManagerFactory> trust = Optional.empty();
    if (!ca.isEmpty()) {
      Path file = readable(BridgeConfig.MQTT_TLS_CA_FILE_CONFIG, ca);
      try {
        trust = Optional.of(TlsContexts.trustManagerFactory(file));
      } catch (RuntimeException e) {
        throw new ConfigException(BridgeConfig.MQTT_TLS_CA_FILE_CONFIG, ca, e.getMessage());
      }
    }
    Optional<KeyManagerFactory> identity = Optional.empty();
    if (!certificate.isEmpty()) {
      Path certificateFile = readable(BridgeConfig.MQTT_TLS_CERTIFICATE_FILE_CONFIG, certificate);
      Path keyFile = readable(BridgeConfig.MQTT_TLS_KEY_FILE_CONFIG, key);
      // Each file on its own first, so that the error names the key of the file that is wrong.
      try {
        Pem.readCertificates(certificateFile);
      } catch (RuntimeException e) {
        throw new ConfigException(
            BridgeConfig.MQTT_TLS_CERTIFICATE_FILE_CONFIG, certificate, e.getMessage());
      }
      try {
        Pem.readPrivateKey(keyFile);
      } catch (RuntimeException e) {
        throw new ConfigException(BridgeConfig.MQTT_TLS_KEY_FILE_CONFIG, key, e.getMessage());
      }
      try {
        identity = Optional.of(TlsContexts.keyManagerFactory(certificateFile, keyFile));
      } catch (RuntimeException e) {
        throw new ConfigException(
            BridgeConfig.MQTT_TLS_CERTIFICATE_FILE_CONFIG,
            certificate,
            "with " + key + ": " + e.getMessage());
      }
    }
    return new MqttTlsSettings(trust, identity);
  }

  private static Path readable(String name, String value) {
    Path file = Path.of(value);
    if (!Files.isReadable(file)) {
      throw new ConfigException(name, value, "no readable file there");
    }
    return file;
  }
}
