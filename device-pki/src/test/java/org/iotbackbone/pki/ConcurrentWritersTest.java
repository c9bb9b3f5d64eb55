package org.iotbackbone.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two writers of one CA directory lose nothing of each other's: two instances in two threads, and
 * two processes ({@code ./iot devices} twice at once).
 */
@Timeout(120)
class ConcurrentWritersTest {

  static final int EACH = 40;

  @TempDir Path dir;

  @Test
  void twoThreadsWithTwoInstances() throws Exception {
    Path ca = dir.resolve("pki");
    DevicePki.create(ca);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (String prefix : List.of("a", "b")) {
        writers.add(pool.submit(() -> Writer.write(ca, prefix, EACH)));
      }
      for (Future<?> writer : writers) {
        writer.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEverythingKept(DevicePki.open(ca));
  }

  @Test
  void twoProcesses() throws Exception {
    Path ca = dir.resolve("pki");
    DevicePki.create(ca);
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> processes = new ArrayList<>();
    for (String prefix : List.of("a", "b")) {
      processes.add(
          new ProcessBuilder(
                  javaBin,
                  "-cp",
                  System.getProperty("java.class.path"),
                  Writer.class.getName(),
                  ca.toString(),
                  prefix,
                  Integer.toString(EACH))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve(prefix + ".log").toFile())
              .start());
    }
    for (int i = 0; i < processes.size(); i++) {
      Process process = processes.get(i);
      assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
      File log = dir.resolve(List.of("a", "b").get(i) + ".log").toFile();
      assertThat(process.exitValue())
          .as(new String(Files.readAllBytes(log.toPath()), StandardCharsets.UTF_8))
          .isZero();
    }
    assertEverythingKept(DevicePki.open(ca));
  }

  private static void assertEverythingKept(DevicePki pki) {
    List<String> names = pki.issued().stream().map(IssuedCertificate::name).toList();
    List<String> expected = new ArrayList<>();
    for (String prefix : List.of("a", "b")) {
      for (int i = 0; i < EACH; i++) {
        expected.add(prefix + "-" + i);
      }
    }
    assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
    // Every third was revoked: all of those on the CRL, no other.
    long revoked = pki.issued().stream().filter(IssuedCertificate::revoked).count();
    assertThat(revoked).isEqualTo(2L * ((EACH + 2) / 3));
    assertThat(Pem.readCrl(pki.crl()).getRevokedCertificates()).hasSize((int) revoked);
    // Every one got a secret, and the revoked ones lost it.
    assertThat(SecretHashes.read(pki.secrets())).hasSize(expected.size() - (int) revoked);
  }

  /** One writer: issues, adds secrets and revokes, one at a time (the most lock round trips). */
  public static final class Writer {

    public static void main(String[] args) {
      write(Path.of(args[0]), args[1], Integer.parseInt(args[2]));
    }

    static void write(Path ca, String prefix, int count) {
      DevicePki pki = DevicePki.open(ca);
      for (int i = 0; i < count; i++) {
        String id = prefix + "-" + i;
        pki.issueDevice(id);
        pki.addSecret(id);
        if (i % 3 == 0) {
          pki.revoke(id);
        }
      }
    }
  }
}
