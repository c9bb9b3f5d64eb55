package org.iotbackbone.servers.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.iotbackbone.servers.DataDirs;

/**
 * Server distributions (tar.gz archives) unpacked once per machine, in a directory that every run
 * of every JVM shares: unpacking the Apicurio Registry takes seconds and 115 MB, too much for each
 * test class.
 *
 * <p>Two JVMs may unpack the same archive at once. Each unpacks into a temporary directory beside
 * the cache entry and renames it into place; the rename is atomic, so an entry is either complete
 * or absent, and the loser of the race drops its copy.
 */
public final class DistributionCache {

  /**
   * Overrides the cache's root directory; by default {@code java.io.tmpdir}/iotbackbone-runtimes.
   */
  public static final String ROOT_PROPERTY = "iotbackbone.servers.distributionCache";

  private static final long UNPACK_TIMEOUT_MINUTES = 10;

  private DistributionCache() {}

  /**
   * The directory that holds the unpacked contents of {@code archive}, unpacking it first if no run
   * did before. The entry is named after the archive's file name, which carries the version.
   */
  public static synchronized Path unpacked(Path archive) {
    String name = archive.getFileName().toString().replaceFirst("\\.(tar\\.gz|tgz)$", "");
    Path root = root();
    Path entry = root.resolve(name);
    if (Files.isDirectory(entry)) {
      return entry;
    }
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException("server distribution not found: " + archive);
    }
    Path partial = null;
    try {
      Files.createDirectories(root);
      partial = Files.createTempDirectory(root, name + ".partial-");
      // createTempDirectory makes it private to this user; the cache is for every run.
      makeReadableByAll(partial);
      untar(archive, partial);
      moveIntoPlace(partial, entry);
      return entry;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + archive + " into " + entry, e);
    } finally {
      if (partial != null) {
        DataDirs.delete(partial);
      }
    }
  }

  private static Path root() {
    String configured = System.getProperty(ROOT_PROPERTY);
    return configured != null
        ? Path.of(configured)
        : Path.of(System.getProperty("java.io.tmpdir"), "iotbackbone-runtimes");
  }

  /** The JDK reads no tar; the {@code tar} command is on every Linux and macOS machine. */
  private static void untar(Path archive, Path target) throws IOException {
    // Errors only: a failing tar says why in a few lines, which the pipe holds until we read it.
    Process tar =
        new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", target.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      if (!tar.waitFor(UNPACK_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        tar.destroyForcibly();
        throw new IOException("tar did not finish within " + UNPACK_TIMEOUT_MINUTES + " min");
      }
      if (tar.exitValue() != 0) {
        String errors = new String(tar.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        throw new IOException("tar exited with code " + tar.exitValue() + ": " + errors.strip());
      }
    } catch (InterruptedException e) {
      tar.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while unpacking " + archive, e);
    }
  }

  private static void makeReadableByAll(Path dir) throws IOException {
    if (Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private static void moveIntoPlace(Path partial, Path entry) throws IOException {
    try {
      Files.move(partial, entry, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // Another JVM renamed its complete copy into place first (rename(2) fails on a non-empty
      // directory); use that one.
      if (!Files.isDirectory(entry)) {
        throw e;
      }
    }
  }
}
