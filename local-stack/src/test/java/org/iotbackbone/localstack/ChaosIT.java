package org.iotbackbone.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.iotbackbone.localstack.internal.chaos.ChaosReport;
import org.iotbackbone.localstack.internal.chaos.ChaosRun;
import org.iotbackbone.localstack.internal.chaos.Ledger;
import org.iotbackbone.servers.Distribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CI's short chaos run, {@code ./iot chaos --short}: a platform of its own, the bridge killed and
 * Kafka frozen while simulated devices run, and the ledger after each. The full run (every part
 * killed, then frozen) is {@code ./iot chaos}.
 */
class ChaosIT {

  private static final Logger LOG = LoggerFactory.getLogger(ChaosIT.class);

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void theShortRunLosesNothingAcknowledged(@TempDir Path home) throws Exception {
    ChaosReport report =
        ChaosRun.run(
            home,
            Distribution.repositoryRoot(ChaosIT.class),
            ChaosRun.Options.of(
                    ChaosRun.shortPlan(ChaosRun.networkUnavailableReason().isEmpty()), 20)
                .quick(),
            LOG::info);

    LOG.info("chaos report:\n{}", report.text());
    assertThat(report.outcomes())
        .hasSize(ChaosRun.shortPlan(ChaosRun.networkUnavailableReason().isEmpty()).size());
    assertThat(report.outcomes())
        .allSatisfy(
            outcome -> {
              assertThat(outcome.recoveredAt()).as(outcome.fault().label()).isNotNegative();
              assertThat(outcome.checks())
                  .as(outcome.fault().label())
                  .allMatch(Ledger.Check::kept, "every promise kept");
            });
  }
}
