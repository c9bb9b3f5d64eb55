package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.iotbackbone.servers.Distribution;
import org.iotbackbone.servers.junit.DistributionContract;
import org.junit.jupiter.api.Test;

/**
 * The streams app's distribution ({@code target/dist/bin/streams-app}), run as an operator would.
 */
class DistributionIT extends DistributionContract {

  DistributionIT() {
    super("streams-app");
  }

  @Test
  void withoutKafkaItStopsAtOnceNamingTheKey() {
    Distribution.Run run = distribution().run(List.of(), List.of(), Map.of(), RUN_TIMEOUT);

    assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
    assertThat(run.output()).contains("bootstrap.servers").doesNotContain("\tat ");
  }
}
