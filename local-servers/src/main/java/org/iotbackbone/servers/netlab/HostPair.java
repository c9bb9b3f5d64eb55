package org.iotbackbone.servers.netlab;

import java.time.Duration;

/**
 * The path between two hosts of a lab ({@link NetLab#between}): its {@link Faults} act on what one
 * sends to the other and nothing else, with a u32 filter on the peer's address on each host's
 * egress. The order of the two does not matter.
 */
public final class HostPair implements Faults {

  private final Host a;
  private final Host b;

  HostPair(Host a, Host b) {
    this.a = a;
    this.b = b;
  }

  public Host a() {
    return a;
  }

  public Host b() {
    return b;
  }

  @Override
  public HostPair delay(Duration latency, Duration jitter) {
    a.lab().change(a, b, f -> f.withDelay(latency, jitter), "delay");
    return this;
  }

  @Override
  public HostPair delay(Duration latency) {
    return delay(latency, Duration.ZERO);
  }

  @Override
  public HostPair loss(double percent) {
    a.lab().change(a, b, f -> f.withLoss(percent), "loss");
    return this;
  }

  @Override
  public HostPair partition() {
    a.lab().change(a, b, Impairment::withPartition, "partition");
    return this;
  }

  @Override
  public HostPair heal() {
    a.lab().change(a, b, f -> Impairment.NONE, "heal");
    return this;
  }

  @Override
  public String toString() {
    return a.name() + "<->" + b.name();
  }
}
