package org.iotbackbone.ingestbridge.internal.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.iotbackbone.schemas.JobExecutionOperation;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowResponseType;
import org.iotbackbone.servers.MqttBrokerOptions;
import org.junit.jupiter.api.Test;

/**
 * The bridge's topics against what the secure brokers let its back-end identity do (local-servers'
 * {@link MqttBrokerOptions}, the lines of the Strimzi Mosquitto and EMQX ACL files): whatever the
 * bridge subscribes to it may read, whatever it publishes it may write, so a new topic of the
 * bridge fails here rather than as a refused SUBSCRIBE or PUBLISH in a deployment.
 */
class BrokerAclTest {

  @Test
  void theBridgeSubscribesToExactlyWhatTheBackEndMayRead() {
    assertThat(DeviceTopics.UPLINK_FILTERS)
        .containsExactlyInAnyOrderElementsOf(MqttBrokerOptions.BACKEND_SUBSCRIBE_FILTERS);
  }

  @Test
  void everyTopicTheBridgePublishesIsOneTheBackEndMayWrite() {
    List<String> published =
        List.of(
            DeviceTopics.commandTopic("d-1"),
            DeviceTopics.shadowResponseTopic(
                "d-1", null, ShadowOperation.UPDATE, ShadowResponseType.DELTA),
            DeviceTopics.shadowResponseTopic(
                "d-1", "lamp", ShadowOperation.GET, ShadowResponseType.REJECTED),
            DeviceTopics.jobNotifyNextTopic("d-1"),
            DeviceTopics.jobResponseTopic("d-1", JobExecutionOperation.START_NEXT, null, true),
            DeviceTopics.jobResponseTopic("d-1", JobExecutionOperation.START_NEXT, null, false),
            DeviceTopics.jobResponseTopic("d-1", JobExecutionOperation.GET, "fw-1", true),
            DeviceTopics.jobResponseTopic("d-1", JobExecutionOperation.GET, "fw-1", false),
            DeviceTopics.jobResponseTopic("d-1", JobExecutionOperation.UPDATE, "fw-1", true),
            DeviceTopics.jobResponseTopic("d-1", JobExecutionOperation.UPDATE, "fw-1", false));

    for (String topic : published) {
      assertThat(MqttBrokerOptions.BACKEND_PUBLISH_FILTERS)
          .as(topic)
          .anyMatch(filter -> matches(filter, topic));
      // And none is an uplink topic: the bridge would receive its own answers.
      assertThat(DeviceTopics.UPLINK_FILTERS).as(topic).noneMatch(filter -> matches(filter, topic));
    }
  }

  @Test
  void theBackEndMayWriteNoRequestTopicOfADevice() {
    List<String> requests =
        List.of(
            "devices/d-1/jobs/start-next",
            "devices/d-1/jobs/fw-1/get",
            "devices/d-1/jobs/fw-1/update",
            "devices/d-1/shadow/update",
            "devices/d-1/events/t");

    for (String topic : requests) {
      assertThat(MqttBrokerOptions.BACKEND_PUBLISH_FILTERS)
          .as(topic)
          .noneMatch(filter -> matches(filter, topic));
    }
  }

  /** MQTT filter matching: {@code +} one level, {@code #} the rest. */
  private static boolean matches(String filter, String topic) {
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return true;
      }
      if (i >= t.length || (!f[i].equals("+") && !f[i].equals(t[i]))) {
        return false;
      }
    }
    return f.length == t.length;
  }
}
