package org.iotbackbone.pki.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.pki.Pem;
import org.iotbackbone.pki.internal.Issuer;
import org.iotbackbone.pki.internal.KeyPairs;
import org.iotbackbone.pki.internal.Ledger;

/**
 * How fast the CA provisions a fleet (not a test; device-pki/README.md and docs/benchmarks.md): a
 * new CA in a temporary directory issues {@code devices} certificates with {@link
 * DevicePki#writeDevices}, each written as {@code ID.crt} and {@code ID.key}, as {@code ./iot
 * devices create} does. Printed: certificates/s, wall and CPU time of this JVM (per certificate
 * too), and single-threaded the two costs inside: one P-256 key pair and one signature. A second
 * argument gives the CA a history first: that many rows already in its {@code issued.tsv}, as a
 * long-lived CA has (the local stack's after a few quarter-million-device simulator runs).
 *
 * <p>Run: {@code ./mvnw -o -Pbench -pl device-pki -am test-compile -Dbench.args="DEVICES
 * [ISSUED_BEFORE]"}.
 */
public final class IssueBenchmark {

  private static final int WARM_UP = 10_000;
  private static final int ALONE = 5_000;

  private IssueBenchmark() {}

  public static void main(String[] args) throws Exception {
    int devices = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int issuedBefore = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
    System.out.printf(
        "%d cores, load average %.2f at the start%n",
        Runtime.getRuntime().availableProcessors(), os.getSystemLoadAverage());
    Path dir = Files.createTempDirectory("pki-bench");
    try {
      DevicePki pki = DevicePki.create(dir.resolve("pki"));
      history(dir.resolve("pki").resolve("issued.tsv"), issuedBefore);
      pki.writeDevices(ids("warm", WARM_UP), dir.resolve("warm-up")); // JIT, not counted
      alone(pki);

      List<String> ids = ids("device", devices);
      Path out = dir.resolve("devices");
      long cpu = os.getProcessCpuTime();
      long begun = System.nanoTime();
      List<Path> written = pki.writeDevices(ids, out);
      double seconds = (System.nanoTime() - begun) / 1e9;
      double cpuSeconds = (os.getProcessCpuTime() - cpu) / 1e9;

      // A sample read back, so that the run is known to have made real certificates.
      Pem.readCertificate(written.get(written.size() - 1)).verify(pki.certificate().getPublicKey());
      System.out.printf(
          "writeDevices: %,d certificates in %.1f s = %,.0f certificates/s; CPU %.1f s (%.0f us"
              + " per certificate, %.2f cores busy); %,d files, %,d bytes on disk%n",
          written.size(),
          seconds,
          written.size() / seconds,
          cpuSeconds,
          cpuSeconds * 1e6 / written.size(),
          cpuSeconds / seconds,
          2L * written.size(),
          bytes(out));
      System.out.printf("load average %.2f at the end%n", os.getSystemLoadAverage());
    } finally {
      delete(dir);
    }
  }

  /** One key pair and one signature, single-threaded: where the time goes. */
  private static void alone(DevicePki pki) {
    Issuer issuer = new Issuer(pki.certificate(), Pem.readPrivateKey(pki.dir().resolve("ca.key")));
    List<KeyPair> keys = new ArrayList<>(ALONE);
    long begun = System.nanoTime();
    for (int i = 0; i < ALONE; i++) {
      keys.add(KeyPairs.p256());
    }
    double keyMicros = (System.nanoTime() - begun) / 1e3 / ALONE;
    Instant now = Instant.now();
    Issuer.Template template =
        new Issuer.Template(
            new X500Name("CN=alone"),
            now,
            now.plus(DevicePki.DEVICE_VALIDITY),
            false,
            KeyUsage.digitalSignature,
            KeyPurposeId.id_kp_clientAuth,
            null);
    begun = System.nanoTime();
    for (KeyPair pair : keys) {
      issuer.issue(template, pair.getPublic());
    }
    double signMicros = (System.nanoTime() - begun) / 1e3 / ALONE;
    System.out.printf(
        "single-threaded, alone: one P-256 key pair %.0f us, one certificate built and signed"
            + " %.0f us%n",
        keyMicros, signMicros);
  }

  /** Rows of certificates issued before, as a long-lived CA's ledger holds. */
  private static void history(Path ledger, int rows) {
    if (rows == 0) {
      return;
    }
    Instant notAfter = Instant.now().plus(DevicePki.DEVICE_VALIDITY);
    List<Ledger.Row> history = new ArrayList<>(Ledger.read(ledger));
    for (int i = 0; i < rows; i++) {
      history.add(
          new Ledger.Row(
              BigInteger.valueOf(i + 1).shiftLeft(64), "device", "before-" + i, notAfter, null));
    }
    Ledger.write(ledger, history);
    System.out.printf("issued.tsv holds %,d rows before the run%n", history.size());
  }

  private static List<String> ids(String prefix, int count) {
    List<String> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ids.add(prefix + "-" + i);
    }
    return ids;
  }

  private static long bytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.mapToLong(file -> file.toFile().length()).sum();
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
