package org.iotbackbone.localstack.internal.chaos;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * One scenario's result: the fault, when it was injected, healed and recovered from (all on the
 * simulation's clock, seconds from its start), what the run measured, and the ledger's checks.
 *
 * @param fault what was done
 * @param devicePrefix the run's devices
 * @param startedAt when the simulation started
 * @param injectedAt seconds from the start to the fault
 * @param healedAt seconds from the start to its end (restart or resume)
 * @param recoveredAt seconds from the start until every part was healthy again; -1 if never
 * @param simulation the simulation's summary (its {@code perSecond} series is the timeline)
 * @param checks what the ledger found
 */
public record Outcome(
    Fault fault,
    String devicePrefix,
    Instant startedAt,
    double injectedAt,
    double healedAt,
    double recoveredAt,
    ObjectNode simulation,
    List<Ledger.Check> checks) {

  /** Whether every promise held and the platform recovered. */
  public boolean passed() {
    return recoveredAt >= 0 && checks.stream().allMatch(Ledger.Check::kept);
  }
}
