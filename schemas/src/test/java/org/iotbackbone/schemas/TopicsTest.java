package org.iotbackbone.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.iotbackbone.schemas.topics.CleanupPolicy;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.Topics;
import org.junit.jupiter.api.Test;

/** The topic definition matches the design card, topic by topic. */
class TopicsTest {

  @Test
  void definesEveryTopicOfTheDesignWithItsValueType() {
    assertThat(Topics.all())
        .extracting(TopicDefinition::name, topic -> topic.valueType().getSimpleName())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("iot.device.events", "DeviceEvent"),
            org.assertj.core.groups.Tuple.tuple("iot.shadow.requests", "ShadowRequest"),
            org.assertj.core.groups.Tuple.tuple("iot.shadow.state", "DeviceShadow"),
            org.assertj.core.groups.Tuple.tuple("iot.shadow.responses", "ShadowResponse"),
            org.assertj.core.groups.Tuple.tuple("iot.commands", "Command"),
            org.assertj.core.groups.Tuple.tuple("iot.command.events", "CommandEvent"),
            org.assertj.core.groups.Tuple.tuple("iot.device.presence", "PresenceEvent"),
            org.assertj.core.groups.Tuple.tuple("iot.deadletter", "DeadLetter"),
            org.assertj.core.groups.Tuple.tuple("iot.job.requests", "JobRequest"),
            org.assertj.core.groups.Tuple.tuple("iot.jobs", "Job"),
            org.assertj.core.groups.Tuple.tuple("iot.job.status", "JobStatusChange"),
            org.assertj.core.groups.Tuple.tuple("iot.job.events", "JobEvent"),
            org.assertj.core.groups.Tuple.tuple(
                "iot.job.execution.requests", "JobExecutionRequest"),
            org.assertj.core.groups.Tuple.tuple("iot.job.executions", "DeviceJobExecutions"),
            org.assertj.core.groups.Tuple.tuple("iot.job.responses", "JobResponse"));
  }

  @Test
  void onlyTheStateTopicsAreCompacted() {
    assertThat(Topics.all())
        .filteredOn(topic -> topic.cleanupPolicy() == CleanupPolicy.COMPACT)
        .containsExactly(Topics.SHADOW_STATE, Topics.JOBS, Topics.JOB_EXECUTIONS);
    assertThat(Topics.SHADOW_STATE.configs())
        .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "compact")
        .doesNotContainKey(TopicConfig.RETENTION_MS_CONFIG);
  }

  @Test
  void keepsEventsSevenDaysAndDeadLettersFourteen() {
    assertThat(Topics.DEVICE_EVENTS.configs())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                "delete",
                TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(Duration.ofDays(7).toMillis())));
    assertThat(Topics.DEAD_LETTER.configs())
        .containsEntry(
            TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(14).toMillis()));
  }

  @Test
  void everyTopicHasTheSamePartitionCountSoTheyAreCoPartitioned() {
    assertThat(Topics.all())
        .extracting(TopicDefinition::partitions)
        .containsOnly(Topics.PARTITIONS);
    assertThat(Topics.all(3)).extracting(TopicDefinition::partitions).containsOnly(3);
    assertThat(Topics.all(3))
        .extracting(TopicDefinition::name)
        .containsExactlyElementsOf(Topics.all().stream().map(TopicDefinition::name).toList());
  }

  @Test
  void onlyAJobsOwnRecordsAreKeyedByJobId() {
    assertThat(Topics.all())
        .filteredOn(Topics::keyedByJobId)
        .extracting(TopicDefinition::name)
        .containsExactly("iot.job.requests", "iot.jobs", "iot.job.status", "iot.job.events");
    assertThat(Topics.keyedByJobId(Topics.JOB_EXECUTIONS.withPartitions(3))).isFalse();
    assertThat(Topics.keyedByJobId(Topics.JOBS.withPartitions(3))).isTrue();
  }

  @Test
  void subjectsFollowTheTopicNameStrategy() {
    assertThat(Topics.COMMANDS.valueSubject()).isEqualTo("iot.commands-value");
  }

  @Test
  void makesAdminClientTopicsWithTheirConfigs() {
    var newTopic = Topics.SHADOW_STATE.newTopic((short) 3);
    assertThat(newTopic.name()).isEqualTo("iot.shadow.state");
    assertThat(newTopic.numPartitions()).isEqualTo(Topics.PARTITIONS);
    assertThat(newTopic.replicationFactor()).isEqualTo((short) 3);
    assertThat(newTopic.configs())
        .containsEntry("cleanup.policy", "compact")
        .containsEntry("min.insync.replicas", "2");
    assertThat(Topics.DEVICE_EVENTS.newTopic((short) 1).configs())
        .containsEntry("min.insync.replicas", "1");
  }

  @Test
  void minInsyncReplicasIsAMajorityFromThreeReplicasOn() {
    assertThat(TopicDefinition.minInsyncReplicas(1)).isEqualTo(1);
    assertThat(TopicDefinition.minInsyncReplicas(2)).isEqualTo(1);
    assertThat(TopicDefinition.minInsyncReplicas(3)).isEqualTo(2);
    assertThat(TopicDefinition.minInsyncReplicas(4)).isEqualTo(3);
    assertThat(TopicDefinition.minInsyncReplicas(5)).isEqualTo(3);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TopicDefinition.minInsyncReplicas(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void findsTopicsByName() {
    assertThat(Topics.byName("iot.commands")).contains(Topics.COMMANDS);
    assertThat(Topics.byName("iot.nope")).isEmpty();
  }

  @Test
  void refusesAPartitionCountBelowOne() {
    assertThatThrownBy(() -> Topics.COMMANDS.withPartitions(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("iot.commands")
        .hasMessageContaining("partitions");
  }
}
