package org.iotbackbone.servers.netlab;

import java.time.Instant;

/**
 * One entry of a lab's fault log: at {@code at}, {@code target} (a host's link, {@code host:NAME},
 * or a pair, {@code NAME<->NAME}) got {@code action} ({@code delay}, {@code loss}, {@code
 * partition}, {@code heal}); {@code state} is what the target has from then on ({@code none} after
 * a heal). A chaos report plots these beside its measurements.
 */
public record FaultEvent(Instant at, String target, String action, String state) {}
