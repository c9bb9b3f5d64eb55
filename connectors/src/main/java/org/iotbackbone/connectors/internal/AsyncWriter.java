package org.iotbackbone.connectors.internal;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;

/**
 * Sends writes asynchronously with at most {@code maxConcurrent} in flight, and waits for all of
 * them: ScyllaDB sees steady, bounded pressure, and the task learns of every failure before it lets
 * Connect commit the offsets.
 */
public final class AsyncWriter {

  /** A write that failed, with why. */
  public record Failure(PlannedWrite write, Throwable error) {}

  private final CqlSession session;
  private final Semaphore permits;
  private final Written written;

  /** Told of every write that succeeded, on a driver thread (for the metrics). */
  @FunctionalInterface
  public interface Written {
    void written(int rows, long nanos);
  }

  public AsyncWriter(CqlSession session, int maxConcurrent, Written written) {
    this.session = session;
    this.permits = new Semaphore(maxConcurrent);
    this.written = written;
  }

  /** Sends every write and returns when all have completed; the failures, in no order. */
  public List<Failure> writeAll(List<PlannedWrite> writes) throws InterruptedException {
    return writeAll(writes, (index, answer) -> {});
  }

  /**
   * Like {@link #writeAll(List)}, handing the answer of each write that succeeded to {@code
   * answers} with the write's index in {@code writes}, on a driver thread, before it returns.
   */
  public List<Failure> writeAll(
      List<PlannedWrite> writes, BiConsumer<Integer, AsyncResultSet> answers)
      throws InterruptedException {
    List<Failure> failures = new ArrayList<>();
    List<CompletableFuture<Void>> pending = new ArrayList<>(writes.size());
    for (int i = 0; i < writes.size(); i++) {
      PlannedWrite write = writes.get(i);
      int index = i;
      permits.acquire();
      CompletableFuture<Void> done;
      long sent = System.nanoTime();
      try {
        done =
            session
                .executeAsync(write.statement())
                .toCompletableFuture()
                .handle(
                    (result, error) -> {
                      permits.release();
                      if (error != null) {
                        synchronized (failures) {
                          failures.add(new Failure(write, WriteErrors.unwrap(error)));
                        }
                      } else {
                        written.written(write.rows(), System.nanoTime() - sent);
                        try {
                          answers.accept(index, result);
                        } catch (RuntimeException e) {
                          synchronized (failures) {
                            failures.add(new Failure(write, e));
                          }
                        }
                      }
                      return null;
                    });
      } catch (RuntimeException e) {
        permits.release();
        done = CompletableFuture.completedFuture(null);
        synchronized (failures) {
          failures.add(new Failure(write, e));
        }
      }
      pending.add(done);
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    synchronized (failures) {
      return List.copyOf(failures);
    }
  }
}
