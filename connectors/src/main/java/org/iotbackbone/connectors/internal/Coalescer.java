package org.iotbackbone.connectors.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps only the newest change of each device in a batch. Each shadow write replaces the device's
 * whole partition, so the older changes of a batch would be overwritten at once: not writing them
 * gives the same table and saves their round trips.
 */
public final class Coalescer {

  private Coalescer() {}

  /** The change with the highest offset of every device, in the order devices first appeared. */
  public static List<ShadowChange> newestPerDevice(List<ShadowChange> changes) {
    Map<String, ShadowChange> newest = new LinkedHashMap<>();
    for (ShadowChange change : changes) {
      newest.merge(
          change.deviceId(), change, (old, next) -> next.offset() >= old.offset() ? next : old);
    }
    return new ArrayList<>(newest.values());
  }
}
