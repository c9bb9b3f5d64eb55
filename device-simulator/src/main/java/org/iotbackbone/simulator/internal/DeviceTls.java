package org.iotbackbone.simulator.internal;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.TrustManagerFactory;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.pki.Pem;
import org.iotbackbone.pki.TlsContexts;

/**
 * The TLS of the simulated devices: each presents its own certificate ({@code ID.crt} and {@code
 * ID.key} in a directory, CN = its id) and trusts the broker by the device CA's PEM file. The trust
 * manager is one for the whole fleet; a device's key is read when it first connects, so that a
 * fleet of 100,000 does not hold 100,000 key stores before it needs them.
 */
public final class DeviceTls {

  private final Path caFile;
  private final Path certificates;
  private final TrustManagerFactory trust;

  /**
   * @param caFile the PEM file of the CA the brokers' certificates are checked against
   * @param certificates the directory of every device's {@code ID.crt} and {@code ID.key}
   */
  public DeviceTls(Path caFile, Path certificates) {
    this.caFile = caFile;
    this.certificates = certificates;
    this.trust = TlsContexts.trustManagerFactory(caFile);
  }

  public Path caFile() {
    return caFile;
  }

  /** The directory of the devices' certificates and keys. */
  public Path certificates() {
    return certificates;
  }

  /**
   * The TLS of device {@code id}: its certificate and key, the fleet's trust, and how long its
   * handshake may take.
   *
   * @throws IllegalStateException naming the file when the directory has no certificate or key for
   *     it
   */
  MqttClientSslConfig sslConfig(String id, Duration handshakeTimeout) {
    Path certificate = certificates.resolve(id + ".crt");
    Path key = certificates.resolve(id + ".key");
    for (Path file : new Path[] {certificate, key}) {
      if (!Files.isReadable(file)) {
        throw new IllegalStateException(
            "no certificate for device " + id + ": " + file + " is missing or unreadable");
      }
    }
    // The key as read, in a key manager of its own: no key store (see DeviceKeyManager).
    return MqttClientSslConfig.builder()
        .keyManagerFactory(
            new KeyManagerFactoryWrapper(
                new DeviceKeyManager(Pem.readPrivateKey(key), Pem.readCertificates(certificate))))
        .trustManagerFactory(trust)
        .handshakeTimeout(handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .build();
  }

  /**
   * Issues a certificate for each of {@code ids} from the device CA into a new directory of this
   * process's (mode 0700; {@link #deleteIssued} removes it): ahead of the ramp and in parallel,
   * because one issue at a time rewrites the CA's ledger each time, which would bound the connect
   * rate (docs/benchmarks.md).
   */
  public static Path issue(DevicePki pki, Collection<String> ids) {
    try {
      Path dir =
          Files.createTempDirectory(
              "iot-sim-certs-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      pki.writeDevices(ids, dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a directory for the devices' certificates", e);
    }
  }

  /** Deletes a directory {@link #issue} made, with its keys. */
  public static void deleteIssued(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(DeviceTls::deleteQuietly);
    } catch (IOException e) {
      // Best effort: a temporary directory of this run's throwaway keys.
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // best effort, as above
    }
  }
}
