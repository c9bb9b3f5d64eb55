package org.iotbackbone.pki.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The lock every writer of a CA directory holds: {@code dir/.lock}, locked with {@link
 * FileChannel#lock()} so that two processes ({@code ./iot devices} twice) do not lose each other's
 * changes. A file lock belongs to the whole JVM (a second one in the same JVM throws), so threads
 * of one process first queue on an in-process lock per directory; a thread that already holds it
 * runs at once (re-entrant).
 */
public final class DirLock {

  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS =
      new ConcurrentHashMap<>();

  private DirLock() {}

  /** Runs {@code action} holding the directory's lock; {@code dir} must exist. */
  public static <T> T locked(Path dir, Supplier<T> action) {
    Path key;
    try {
      key = dir.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + dir, e);
    }
    ReentrantLock local = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
    local.lock();
    try {
      if (local.getHoldCount() > 1) {
        return action.get();
      }
      try (FileChannel channel =
          FileChannel.open(
              key.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        FileLock lock = channel.lock();
        try {
          return action.get();
        } finally {
          lock.release();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot lock " + key.resolve(".lock"), e);
      }
    } finally {
      local.unlock();
    }
  }

  /** Runs {@code action} holding the directory's lock. */
  public static void run(Path dir, Runnable action) {
    locked(
        dir,
        () -> {
          action.run();
          return null;
        });
  }
}
