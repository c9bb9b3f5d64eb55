package org.iotbackbone.simulator.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.iotbackbone.simulator.Count;
import org.iotbackbone.simulator.Scenario;

/**
 * The simulated devices of one process: connects them on a ramp, reconnecting a failed attempt
 * after an exponential backoff with full jitter (as a device SDK should, so that a fleet does not
 * come back in lockstep), and hands out connected devices for the load. A device whose connection
 * drops (a keep-alive timeout, the broker closing it) is reconnected the same way, into the
 * persistent session the broker kept for it, where what was sent to it meanwhile waits. At most the
 * scenario's {@code connect.max.in.flight} connects are on their way at once ({@link
 * ConnectWindow}): first connects, retries and reconnects alike.
 */
public final class Fleet {

  private static final long BACKOFF_BASE_MS = 200;
  private static final long BACKOFF_MAX_MS = 10_000;

  private final List<SimDevice> devices = new ArrayList<>();
  private final ScheduledExecutorService scheduler;
  private final Metrics metrics;
  private final ConnectWindow window;
  private volatile boolean stopping;
  private int next;

  /**
   * The scenario's devices, {@code prefix-first .. prefix-(first+devices-1)}, spread over the
   * brokers ({@code links}) and over the source addresses (an empty list: the system's choice) by
   * their number, not yet connected.
   *
   * @param tls the devices' certificates and trust, or null when {@code links} are not secure
   */
  public Fleet(
      String prefix,
      int first,
      Scenario scenario,
      DeviceLinks links,
      DeviceTls tls,
      List<String> sourceAddresses,
      Metrics metrics,
      ScheduledExecutorService scheduler) {
    this.metrics = metrics;
    this.scheduler = scheduler;
    this.window = new ConnectWindow(scenario.connectMaxInFlight(), scheduler);
    // One of each for the fleet, not one per device: a held device should cost little more than
    // its connection (docs/benchmarks.md, "Held idle devices").
    List<InetSocketAddress> locals = new ArrayList<>();
    for (String address : sourceAddresses) {
      locals.add(new InetSocketAddress(address, 0));
    }
    String padding = SimDevice.padding(scenario.eventPayloadBytes());
    for (int i = first; i < first + scenario.devices(); i++) {
      devices.add(
          new SimDevice(
              prefix + "-" + i,
              links.link(i),
              locals.isEmpty() ? null : locals.get(i % locals.size()),
              tls,
              padding,
              scenario.keepAliveSeconds(),
              scenario.connectTimeout(),
              metrics,
              scenario.rollout(),
              prefix,
              scheduler,
              this::reconnect));
    }
  }

  public int size() {
    return devices.size();
  }

  /** Starts connecting device {@code index}; a failure is retried until {@link #stop()}. */
  public void connect(int index) {
    attempt(devices.get(index), 0);
  }

  /**
   * A device that was up and lost its connection: back after a first backoff, as after a failure.
   */
  private void reconnect(SimDevice device) {
    if (stopping) {
      return;
    }
    long delay = ThreadLocalRandom.current().nextLong(BACKOFF_BASE_MS + 1);
    scheduler.schedule(() -> attempt(device, 0), delay, TimeUnit.MILLISECONDS);
  }

  private void attempt(SimDevice device, int failures) {
    if (!stopping) {
      window.submit(() -> start(device, failures));
    }
  }

  private void start(SimDevice device, int failures) {
    if (stopping) {
      window.end();
      return;
    }
    device
        .connect()
        .whenComplete(
            (ok, error) -> {
              window.end();
              if (error != null && !stopping) {
                metrics.count(Count.CONNECT_FAILURES);
                long cap = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS << Math.min(failures, 16));
                long delay = ThreadLocalRandom.current().nextLong(cap + 1);
                // Retried once its client is disconnected: a connect on a client still connected
                // (an attempt that timed out waiting for its SUBACK) would fail at once.
                device
                    .abandon()
                    .whenComplete(
                        (disconnected, ignored) ->
                            scheduler.schedule(
                                () -> attempt(device, failures + 1), delay, TimeUnit.MILLISECONDS));
              }
            });
  }

  /** The next connected device in turn, or null when none is connected. */
  public synchronized String sendEvent() {
    SimDevice device = nextConnected();
    if (device != null) {
      device.sendEvent();
    }
    return device == null ? null : device.id();
  }

  /** A shadow update from the next connected device; false when none is connected. */
  public synchronized boolean sendShadowUpdate() {
    SimDevice device = nextConnected();
    if (device != null) {
      device.sendShadowUpdate();
    }
    return device != null;
  }

  /** The id of a connected device picked at random, or null. */
  public String randomConnected() {
    for (int tries = 0; tries < 20; tries++) {
      SimDevice device = devices.get(ThreadLocalRandom.current().nextInt(devices.size()));
      if (device.isConnected()) {
        return device.id();
      }
    }
    return null;
  }

  private SimDevice nextConnected() {
    for (int tries = 0; tries < devices.size(); tries++) {
      SimDevice device = devices.get(next);
      next = (next + 1) % devices.size();
      if (device.isConnected()) {
        return device;
      }
    }
    return null;
  }

  /** Stops retrying and disconnects every device gracefully (no will message). */
  public void stop() {
    stopping = true;
    window.clear();
    List<CompletableFuture<Void>> disconnects = new ArrayList<>();
    for (SimDevice device : devices) {
      disconnects.add(device.disconnect());
    }
    try {
      CompletableFuture.allOf(disconnects.toArray(CompletableFuture[]::new))
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // What did not disconnect in time ends with the process; the broker sends its will.
    }
  }
}
