package org.iotbackbone.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.junit.jupiter.api.Test;

class WorkerPropertiesTest {

  @Test
  void aWorkerOfItsOwnGroupThatConnectAccepts() {
    Map<String, String> props =
        WorkerProperties.distributed("127.0.0.1:9092", "g1", "http://127.0.0.1:0")
            .with("offset.flush.interval.ms", "1000")
            .toMap();

    assertThat(props)
        .containsEntry("group.id", "g1")
        .containsEntry("config.storage.topic", "g1-configs")
        .containsEntry("offset.storage.topic", "g1-offsets")
        .containsEntry("status.storage.topic", "g1-status")
        .containsEntry("plugin.discovery", "service_load")
        .containsEntry("offset.flush.interval.ms", "1000");
    // Connect's own validation of a distributed worker's config.
    DistributedConfig config = new DistributedConfig(props);
    assertThat(config.getString(DistributedConfig.GROUP_ID_CONFIG)).isEqualTo("g1");
  }
}
