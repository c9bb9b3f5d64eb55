package org.iotbackbone.servers.netlab;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * A part's place in a {@link NetLab}: a network namespace of its own whose one interface ({@code
 * lab0}) is on the lab's switch, with one address of the lab's subnet. A process started in it
 * ({@link #commandPrefix()}, {@code Launch.inNamespace(host.namespace())}) reaches the root
 * namespace and every other host of the lab, and binds {@link #address()} or {@code 0.0.0.0} (there
 * it means this host's address and its own loopback).
 *
 * <p>Its {@link Faults} act on its link as a whole: on everything it sends and everything sent to
 * it, from the root namespace as from other hosts.
 */
public final class Host implements Faults {

  private final NetLab lab;
  private final String name;
  private final String namespace;
  private final InetAddress address;
  private final int index;

  Host(NetLab lab, String name, String namespace, InetAddress address, int index) {
    this.lab = lab;
    this.name = name;
    this.namespace = namespace;
    this.address = address;
    this.index = index;
  }

  /** The part's name, as given to {@link NetLab#host}. */
  public String name() {
    return name;
  }

  /** The network namespace ({@code ip netns exec NAMESPACE ...}). */
  public String namespace() {
    return namespace;
  }

  public InetAddress address() {
    return address;
  }

  /** The address as text ({@code 10.231.K.N}), for a bind or a bootstrap servers setting. */
  public String addressString() {
    return address.getHostAddress();
  }

  /** The command that runs what follows it in this host's namespace: {@code ip netns exec NS}. */
  public List<String> commandPrefix() {
    return List.of(Shell.ip(), "netns", "exec", namespace);
  }

  /** The name of its interface inside its namespace. */
  public String interfaceName() {
    return LabNames.HOST_DEVICE;
  }

  int index() {
    return index;
  }

  NetLab lab() {
    return lab;
  }

  @Override
  public Host delay(Duration latency, Duration jitter) {
    lab.change(this, null, f -> f.withDelay(latency, jitter), "delay");
    return this;
  }

  @Override
  public Host delay(Duration latency) {
    return delay(latency, Duration.ZERO);
  }

  @Override
  public Host loss(double percent) {
    lab.change(this, null, f -> f.withLoss(percent), "loss");
    return this;
  }

  @Override
  public Host partition() {
    lab.change(this, null, Impairment::withPartition, "partition");
    return this;
  }

  @Override
  public Host heal() {
    lab.change(this, null, f -> Impairment.NONE, "heal");
    return this;
  }

  @Override
  public String toString() {
    return name + " (" + addressString() + " in " + namespace + ")";
  }
}
