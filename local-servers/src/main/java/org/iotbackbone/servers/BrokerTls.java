package org.iotbackbone.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.iotbackbone.pki.Credentials;
import org.iotbackbone.pki.DevicePki;

/**
 * What a secure {@link MqttBroker} reads to authenticate devices and the back end: files, all PEM
 * except the secrets file, which both brokers re-read when {@link MqttBroker#reloadIdentities()} is
 * called (HiveMQ also on its own, when the files change).
 *
 * @param caFile the device CA: the only issuer whose client certificates the broker accepts
 * @param certificateFile the broker's server certificate (its chain after it)
 * @param keyFile the server certificate's private key (PKCS#8)
 * @param crlFile the CA's revocation list; a certificate on it is refused at connect. It must be
 *     current: OpenSSL (Mosquitto) refuses every certificate once the list's next update has passed
 * @param secretsFile per-device secrets for the {@link MqttListener#SECRET} listener, as
 *     Mosquitto's password file ({@code id:$7$...}, salted PBKDF2 hashes)
 * @param backendIdentity the CN of the back end's client certificate, the only one the {@link
 *     MqttListener#BACKEND} listener grants anything
 */
public record BrokerTls(
    Path caFile,
    Path certificateFile,
    Path keyFile,
    Path crlFile,
    Path secretsFile,
    String backendIdentity) {

  /** The back end's identity when nothing says otherwise; no device may have this id. */
  public static final String DEFAULT_BACKEND_IDENTITY = "ingest-bridge.backend";

  public BrokerTls {
    Objects.requireNonNull(caFile, "caFile");
    Objects.requireNonNull(certificateFile, "certificateFile");
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(crlFile, "crlFile");
    Objects.requireNonNull(secretsFile, "secretsFile");
    Objects.requireNonNull(backendIdentity, "backendIdentity");
    if (backendIdentity.isEmpty()) {
      throw new IllegalArgumentException("backendIdentity must not be empty");
    }
  }

  /**
   * The material of a broker on this machine, from a device PKI: a server certificate for {@code
   * localhost}, {@code 127.0.0.1} and {@code hosts}, issued now and written into {@code dir}
   * ({@code broker.crt}, {@code broker.key}), and the PKI's CA, revocation list and secrets.
   */
  public static BrokerTls issue(DevicePki pki, Path dir, List<String> hosts) {
    List<String> names =
        Stream.concat(Stream.of("localhost", MqttBroker.HOST), hosts.stream()).distinct().toList();
    Credentials server = pki.issueServer("mqtt-broker", names);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path certificate = dir.resolve("broker.crt");
    Path key = dir.resolve("broker.key");
    server.write(certificate, key);
    return new BrokerTls(
        pki.caCertificate(), certificate, key, pki.crl(), pki.secrets(), DEFAULT_BACKEND_IDENTITY);
  }
}
