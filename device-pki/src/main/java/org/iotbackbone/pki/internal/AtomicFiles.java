package org.iotbackbone.pki.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whole-file writes that a reader never sees torn: the bytes go to a temporary file next to the
 * target, which is then renamed over it (an atomic move). A secret file (a private key, the
 * secrets) is created with mode 0600 before a byte is written into it, so it is never readable by
 * others, not even for a moment.
 */
public final class AtomicFiles {

  private AtomicFiles() {}

  /**
   * Writes {@code bytes} to {@code target}; {@code ownerOnly}: mode 0600 (where the file system has
   * POSIX modes); {@code durable}: synced to the disk before the rename, for the CA's own files.
   */
  public static void write(Path target, byte[] bytes, boolean ownerOnly, boolean durable) {
    Path absolute = target.toAbsolutePath();
    Path temp =
        absolute.resolveSibling(
            "." + absolute.getFileName() + "." + Long.toHexString(random()) + ".tmp");
    try {
      create(temp, ownerOnly);
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        if (durable) {
          out.force(true);
        }
      }
      Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  private static void create(Path file, boolean ownerOnly) throws IOException {
    if (ownerOnly && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
  }

  private static long random() {
    long value = ThreadLocalRandom.current().nextLong();
    return value == Long.MIN_VALUE ? 0 : Math.abs(value);
  }
}
