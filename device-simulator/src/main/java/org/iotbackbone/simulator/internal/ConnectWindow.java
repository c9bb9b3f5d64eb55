package org.iotbackbone.simulator.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * How many of a fleet's connects are on their way at once: at most {@code max}; the rest wait in
 * the order they came and start as others end. A connect ramp on a schedule alone keeps starting
 * connects when the brokers and the simulator fall behind (mutual TLS handshakes on 2 cores): they
 * queue, time out half way, and their retries start new handshakes, so that the work done grows
 * while the devices up do not (a quarter million over mutual TLS collapsed that way,
 * docs/benchmarks.md). With a window the ramp slows to the rate connects complete.
 *
 * <p>A semaphore would block the caller; the ramp's thread and the clients' event loops must not
 * wait, so a waiting connect is a task that the window starts on {@code executor} when a slot is
 * free.
 */
final class ConnectWindow {

  private final int max;
  private final Executor executor;
  private final Queue<Runnable> waiting = new ArrayDeque<>();
  private int inFlight;

  /**
   * @param max how many connects may be on their way at once
   * @param executor where a waiting connect starts once a slot is free (not the thread that ended
   *     the one before, which may be a client's event loop)
   */
  ConnectWindow(int max, Executor executor) {
    if (max < 1) {
      throw new IllegalArgumentException("a window of " + max + " connects admits none");
    }
    this.max = max;
    this.executor = executor;
  }

  /**
   * Starts {@code connect} now if a slot is free, else when one is. Whoever it started must call
   * {@link #end()} once, when that connect has succeeded or failed.
   */
  void submit(Runnable connect) {
    synchronized (waiting) {
      if (inFlight >= max) {
        waiting.add(connect);
        return;
      }
      inFlight++;
    }
    connect.run();
  }

  /** A connect ended: its slot goes to the longest waiting, if any. */
  void end() {
    Runnable next;
    synchronized (waiting) {
      next = waiting.poll();
      if (next == null) {
        inFlight--;
        return;
      }
    }
    // The slot passes to it, still counted.
    executor.execute(next);
  }

  /** Connects on their way now. */
  int inFlight() {
    synchronized (waiting) {
      return inFlight;
    }
  }

  /** Connects waiting for a slot. */
  int waiting() {
    synchronized (waiting) {
      return waiting.size();
    }
  }

  /** Forgets what waits: the fleet is stopping. */
  void clear() {
    synchronized (waiting) {
      waiting.clear();
    }
  }
}
