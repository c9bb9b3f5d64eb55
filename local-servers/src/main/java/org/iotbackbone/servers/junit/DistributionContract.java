package org.iotbackbone.servers.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.iotbackbone.servers.Containerfile;
import org.iotbackbone.servers.Distribution;
import org.junit.jupiter.api.Test;

/**
 * What every service's distribution promises, as a test each such module extends in an {@code
 * DistributionIT} (it runs after {@code package}, which builds the distribution): the launcher and
 * the module's jar are in place, the archive holds the same files, and {@code JAVA_OPTS} reaches
 * the JVM, and the module's container image definition ({@code src/main/container/Containerfile})
 * is made of this distribution. The subclass adds a run of the service itself that ends by itself
 * (its help, or a configuration it refuses with a message naming the key).
 */
public abstract class DistributionContract {

  /** How long a launcher run that ends by itself may take. */
  protected static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

  private final Distribution distribution;

  /** The contract for {@code module}'s distribution, in the module's {@code target/dist}. */
  protected DistributionContract(String module) {
    this.distribution = new Distribution(module, Path.of("target", "dist").toAbsolutePath());
  }

  /** The distribution under test. */
  protected Distribution distribution() {
    return distribution;
  }

  @Test
  void theLauncherAndTheModulesJarAreInPlace() throws IOException {
    distribution.requireBuilt();
    assertTrue(
        libFiles().stream().anyMatch(name -> name.matches(distribution.module() + "-.*\\.jar")),
        "lib/ holds " + distribution.module() + "'s own jar: " + libFiles());
  }

  @Test
  void theArchiveHoldsTheSameFiles() throws Exception {
    Path archive = archive();
    String base = archive.getFileName().toString().replace(".tar.gz", "") + "/";
    Process tar = new ProcessBuilder("tar", "tzf", archive.toString()).start();
    List<String> entries;
    try (var lines = tar.inputReader().lines()) {
      entries = lines.filter(entry -> !entry.endsWith("/")).collect(Collectors.toList());
    }
    assertEquals(0, tar.waitFor(), "tar tzf " + archive);
    var expected = new TreeSet<String>();
    expected.add(base + "bin/" + distribution.module());
    libFiles().forEach(name -> expected.add(base + "lib/" + name));
    assertEquals(expected, new TreeSet<>(entries), "entries of " + archive);
  }

  @Test
  void javaOptionsReachTheJvm() {
    Distribution.Run run =
        distribution.run(List.of(), List.of("-XX:+NoSuchOptionOfTheTest"), Map.of(), RUN_TIMEOUT);
    assertNotEquals(0, run.exitCode(), run.output());
    assertTrue(run.output().contains("NoSuchOptionOfTheTest"), run.output());
  }

  @Test
  void theContainerImageIsMadeOfThisDistribution() throws Exception {
    Path moduleDir = distribution.home().getParent().getParent();
    Path definition = moduleDir.resolve("src/main/container/Containerfile");
    assertTrue(Files.isRegularFile(definition), "an image definition at " + definition);
    Containerfile image = Containerfile.read(definition);
    Path archive = archive();
    String base = archive.getFileName().toString().replace(".tar.gz", "");
    assertEquals(
        base.substring(distribution.module().length() + 1),
        image.argDefault("VERSION").orElse(""),
        "the image's VERSION default is this build's version: the archive it adds is " + archive);

    // Every ADD/COPY source exists (in the build context, the archive or the earlier stage).
    Map<String, String> files = image.finalImageFiles(moduleDir, DistributionContract::tarEntries);

    String home = "/opt/" + distribution.module() + "/";
    var expected = new TreeSet<String>();
    expected.add(home + "bin/" + distribution.module());
    libFiles().forEach(name -> expected.add(home + "lib/" + name));
    var placed = new TreeSet<>(files.keySet());
    placed.removeIf(path -> !path.startsWith(home));
    assertEquals(expected, placed, "the distribution as the image holds it, under " + home);
    assertEquals(
        List.of(home + "bin/" + distribution.module()),
        image.entrypoint(),
        "the entry point is the distribution's launcher");
  }

  private static List<String> tarEntries(Path archive) {
    try {
      Process tar = new ProcessBuilder("tar", "tzf", archive.toString()).start();
      List<String> entries;
      try (var lines = tar.inputReader().lines()) {
        entries = lines.collect(Collectors.toList());
      }
      assertEquals(0, tar.waitFor(), "tar tzf " + archive);
      return entries;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private List<String> libFiles() throws IOException {
    try (Stream<Path> files = Files.list(distribution.lib())) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    }
  }

  private Path archive() throws IOException {
    try (Stream<Path> files = Files.list(distribution.home().getParent())) {
      List<Path> archives =
          files
              .filter(file -> file.getFileName().toString().startsWith(distribution.module() + "-"))
              .filter(file -> file.getFileName().toString().endsWith(".tar.gz"))
              .toList();
      assertEquals(1, archives.size(), "one archive of " + distribution.module() + ": " + archives);
      return archives.get(0);
    }
  }
}
