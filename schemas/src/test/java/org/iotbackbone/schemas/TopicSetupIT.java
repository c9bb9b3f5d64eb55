package org.iotbackbone.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.TopicSetup;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.junit.SharedServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What {@link TopicSetup} makes on a real broker: the topic's configs, durability included. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TopicSetupIT {

  @Test
  void createdTopicsCarryTheirConfigsAndMinInsyncReplicas() throws Exception {
    // A name of its own: the build's shared broker may hold the platform's topics already.
    TopicDefinition<?> platform = Topics.SHADOW_STATE;
    TopicDefinition<?> topic =
        new TopicDefinition<>(
            "topic-setup-it-" + UUID.randomUUID(),
            platform.valueType(),
            2,
            platform.cleanupPolicy(),
            platform.retention(),
            platform.description());
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedServers.kafka().bootstrapServers()))) {
      assertThat(TopicSetup.createMissing(admin, List.of(topic), (short) 1))
          .containsExactly(topic.name());

      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
      Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);

      // Set on the topic itself (not the broker's default), so it travels with the topic.
      var minInsync = config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
      assertThat(minInsync.value()).isEqualTo("1");
      assertThat(minInsync.source())
          .isEqualTo(org.apache.kafka.clients.admin.ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
      assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
    }
  }
}
