package org.iotbackbone.servers.netlab;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code tc -batch} lines that give one interface's egress its faults: everything it sends gets
 * {@code all}, and what it sends to a peer's address gets {@code all} and that pair's fault.
 *
 * <p>The tree: an HTB root whose default class (1:1) carries {@code all}'s delay or partition, a
 * class per peer with a delay or a partition (1:a, 1:b, ...) that a u32 filter on the destination
 * address feeds, and a drop class (1:2, an empty FIFO) that loss filters feed: a classic BPF
 * program per loss ({@code cls_bpf}) that matches a packet with the loss's probability (the
 * kernel's random number, {@code SKF_AD_RANDOM}) and, for a pair, only the peer's IPv4 packets. A
 * packet the link's loss filter lets pass meets the pair's, an independent draw, so the losses
 * combine as they would on two lossy links. So a loss needs no netem, which trimmed kernels (this
 * project's build machine's) lack; a delay does.
 *
 * <p>HTB, not prio, because it is the classful qdisc such kernels have; its rates are far above
 * what a veth carries, so it never shapes. A clean interface gets no qdisc at all (a veth's own
 * {@code noqueue}). The tree is rebuilt whole, deleted and added in one {@code tc -batch} process,
 * so no state of an earlier fault lingers and the gap is microseconds. Deleting a tree drops the
 * packets its netem still holds: a change to a delayed interface (a heal, another fault) loses up
 * to a delay's worth of its packets, which TCP sends again.
 */
final class TcPlan {

  static final String RATE = "100gbit";
  static final String QUANTUM = "65536";
  static final int DROP_CLASS = 2;
  static final int FIRST_PEER_CLASS = 10;

  /** {@code SKF_AD_OFF + SKF_AD_RANDOM} as an unsigned 32-bit offset: a random 32-bit number. */
  private static final long RANDOM = 0x1_0000_0000L - 0x1000 + 56;

  private TcPlan() {}

  /**
   * @param installed whether the interface has a tree of ours now (to delete)
   * @param perPeer a faulty peer's IPv4 address to the pair's fault
   */
  static List<String> egress(
      String device, boolean installed, Impairment all, Map<String, Impairment> perPeer) {
    List<String> lines = new ArrayList<>();
    if (installed) {
      lines.add("qdisc del dev " + device + " root");
    }
    Map<String, Impairment> peers = new TreeMap<>(perPeer);
    peers.values().removeIf(Impairment::isNone);
    if (all.isNone() && peers.isEmpty()) {
      return lines;
    }
    lines.add("qdisc add dev " + device + " root handle 1: htb default 1");
    addClass(lines, device, 1, all.leafQdisc());
    boolean lossy =
        all.lossPercent() > 0 || peers.values().stream().anyMatch(p -> p.lossPercent() > 0);
    if (lossy) {
      addClass(lines, device, DROP_CLASS, List.of("pfifo", "limit", "0"));
    }
    if (all.lossPercent() > 0) {
      lines.add(lossFilter(device, 1, all.lossPercent(), null));
    }
    for (Map.Entry<String, Impairment> peer : peers.entrySet()) {
      if (peer.getValue().lossPercent() > 0) {
        lines.add(lossFilter(device, 2, peer.getValue().lossPercent(), peer.getKey()));
      }
    }
    int classId = FIRST_PEER_CLASS;
    for (Map.Entry<String, Impairment> peer : peers.entrySet()) {
      if (!peer.getValue().needsLeaf()) {
        continue;
      }
      addClass(lines, device, classId, all.combine(peer.getValue()).leafQdisc());
      lines.add(
          "filter add dev "
              + device
              + " parent 1: protocol ip prio 3 u32 match ip dst "
              + peer.getKey()
              + "/32 flowid 1:"
              + Integer.toHexString(classId));
      classId++;
    }
    return lines;
  }

  /** Whether {@link #egress} leaves a tree of ours on the interface. */
  static boolean installs(Impairment all, Map<String, Impairment> perPeer) {
    return !all.isNone() || perPeer.values().stream().anyMatch(i -> !i.isNone());
  }

  /**
   * A classic BPF program (as {@code tc ... bpf bytecode} takes it: count, then {@code code jt jf
   * k} per instruction) that matches a packet with probability {@code percent} / 100 and, when
   * {@code peer} is given, only an IPv4 packet to it. cls_bpf shows the program the packet from its
   * Ethernet header: the type at 12, the IPv4 destination at 30. A match returns -1 (the filter's
   * flowid), a miss 0.
   */
  static String lossProgram(double percent, String peer) {
    List<long[]> code = new ArrayList<>();
    List<Integer> jumpsToMiss = new ArrayList<>(); // instructions whose jf goes to "miss"
    if (peer != null) {
      code.add(new long[] {0x28, 0, 0, 12}); // ldh [12]
      jumpsToMiss.add(code.size());
      code.add(new long[] {0x15, 0, 0, 0x0800}); // jeq #IPv4, next, miss
      code.add(new long[] {0x20, 0, 0, 30}); // ld [30]
      jumpsToMiss.add(code.size());
      code.add(new long[] {0x15, 0, 0, ipv4(peer)}); // jeq #peer, next, miss
    }
    Integer randomJump = null;
    if (percent < 100) {
      long threshold = (long) Math.floor(percent / 100 * 0x1_0000_0000L);
      code.add(new long[] {0x20, 0, 0, RANDOM}); // ld rand
      randomJump = code.size();
      code.add(new long[] {0x35, 0, 0, threshold}); // jge #threshold, miss, next
    }
    code.add(new long[] {0x06, 0, 0, 0xffff_ffffL}); // ret #-1: match
    int miss = code.size();
    code.add(new long[] {0x06, 0, 0, 0}); // ret #0: no match
    for (int i : jumpsToMiss) {
      code.get(i)[2] = miss - (i + 1);
    }
    if (randomJump != null) {
      code.get(randomJump)[1] = miss - (randomJump + 1);
    }
    StringBuilder program = new StringBuilder().append(code.size());
    for (long[] instruction : code) {
      program
          .append(',')
          .append(instruction[0])
          .append(' ')
          .append(instruction[1])
          .append(' ')
          .append(instruction[2])
          .append(' ')
          .append(instruction[3]);
    }
    return program.toString();
  }

  private static String lossFilter(String device, int prio, double percent, String peer) {
    return "filter add dev "
        + device
        + " parent 1: protocol all prio "
        + prio
        + " bpf bytecode \""
        + lossProgram(percent, peer)
        + "\" flowid 1:"
        + Integer.toHexString(DROP_CLASS);
  }

  private static long ipv4(String address) {
    try {
      InetAddress inet = InetAddress.getByName(address);
      if (!(inet instanceof Inet4Address) || !address.equals(inet.getHostAddress())) {
        throw new IllegalArgumentException("not an IPv4 address: " + address);
      }
      long value = 0;
      for (byte b : inet.getAddress()) {
        value = (value << 8) | (b & 0xff);
      }
      return value;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv4 address: " + address, e);
    }
  }

  private static void addClass(List<String> lines, String device, int classId, List<String> leaf) {
    String id = Integer.toHexString(classId);
    lines.add(
        "class add dev "
            + device
            + " parent 1: classid 1:"
            + id
            + " htb rate "
            + RATE
            + " quantum "
            + QUANTUM);
    if (!leaf.isEmpty()) {
      lines.add(
          "qdisc add dev "
              + device
              + " parent 1:"
              + id
              + " handle "
              + id
              + "0: "
              + String.join(" ", leaf));
    }
  }
}
