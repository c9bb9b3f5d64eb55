package org.iotbackbone.servers.netlab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code tc -batch} lines that give one interface's egress its faults: everything it sends gets
 * {@code all}, and what it sends to a peer's address gets {@code all} combined with that pair's
 * fault.
 *
 * <p>The tree: an HTB root whose default class (1:1) carries {@code all}, and a class per faulty
 * peer (1:10, 1:11, ...) that a u32 filter on the destination address sends that peer's IPv4
 * packets to. HTB, not prio, because it is the classful qdisc kernels have (a trimmed kernel, such
 * as this project's build machine's, can lack prio); its rates are far above what a veth carries,
 * so it never shapes. A clean interface gets no qdisc at all (a veth's own {@code noqueue}).
 *
 * <p>The tree is rebuilt whole, deleted and added in one {@code tc -batch} process, so no state of
 * an earlier fault can linger and the gap between the two is microseconds.
 */
final class TcPlan {

  static final String RATE = "100gbit";
  static final String QUANTUM = "65536";
  static final int FIRST_PEER_CLASS = 10;

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
    addClass(lines, device, 1, all);
    int classId = FIRST_PEER_CLASS;
    for (Map.Entry<String, Impairment> peer : peers.entrySet()) {
      addClass(lines, device, classId, all.combine(peer.getValue()));
      lines.add(
          "filter add dev "
              + device
              + " parent 1: protocol ip prio 1 u32 match ip dst "
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

  private static void addClass(List<String> lines, String device, int classId, Impairment fault) {
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
    List<String> leaf = fault.leafQdisc();
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
