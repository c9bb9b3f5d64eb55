package org.iotbackbone.ingestbridge.internal.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.JobExecutionOperation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The devices' jobs topics: which are requests, which are refused, where answers go. */
class DeviceTopicsJobsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "devices/d-1/jobs/start-next|START_NEXT|null",
        "devices/d-1/jobs/fw_2-4/get|GET|fw_2-4",
        "devices/d-1/jobs/fw_2-4/update|UPDATE|fw_2-4",
        // A job may be called like a request; the number of levels tells them apart.
        "devices/d-1/jobs/start-next/get|GET|start-next",
      })
  void aJobsRequestTopicNamesItsDeviceOperationAndJob(
      String topic, JobExecutionOperation operation, String jobId) {
    TopicParse parsed = DeviceTopics.parse(topic);

    assertThat(parsed.topic()).isEqualTo(new DeviceTopic.JobRequest("d-1", operation, jobId));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // Downlink only: the bridge publishes there, a device does not ask there.
        "devices/d/jobs/notify-next",
        "devices/d/jobs/start-next/accepted",
        "devices/d/jobs/start-next/rejected",
        "devices/d/jobs/j1/get/accepted",
        "devices/d/jobs/j1/update/rejected",
        // Wrong shapes and bad job ids.
        "devices/d/jobs",
        "devices/d/jobs/",
        "devices/d/jobs/j1",
        "devices/d/jobs/j1/delete",
        "devices/d/jobs/j1/GET",
        "devices/d/jobs//get",
        "devices/d/jobs/j.1/get",
        "devices/d/jobs/j 1/update",
        "devices/d/jobs/$next/get",
        "devices/d/jobs/"
            + "a12345678901234567890123456789012345678901234567890123456789012345"
            + "/get",
      })
  void anythingElseUnderJobsIsAnInvalidTopicOfTheDevice(String topic) {
    TopicParse parsed = DeviceTopics.parse(topic);

    assertThat(parsed.isValid()).as(topic).isFalse();
    assertThat(parsed.reason()).isEqualTo(DeadLetterReason.INVALID_TOPIC);
    assertThat(parsed.deviceId()).isEqualTo("d");
  }

  @Test
  void aJobIdOfSixtyFourCharactersIsAccepted() {
    String jobId = "j".repeat(64);

    assertThat(DeviceTopics.parse("devices/d/jobs/" + jobId + "/update").topic())
        .isEqualTo(new DeviceTopic.JobRequest("d", JobExecutionOperation.UPDATE, jobId));
  }

  @Test
  void answersGoToTheRequestsAcceptedAndRejectedTopics() {
    assertThat(DeviceTopics.jobResponseTopic("d", JobExecutionOperation.START_NEXT, null, true))
        .isEqualTo("devices/d/jobs/start-next/accepted");
    assertThat(DeviceTopics.jobResponseTopic("d", JobExecutionOperation.GET, "j1", false))
        .isEqualTo("devices/d/jobs/j1/get/rejected");
    assertThat(
            new DeviceTopic.JobRequest("d", JobExecutionOperation.UPDATE, "j1").responseTopic(true))
        .isEqualTo("devices/d/jobs/j1/update/accepted");
    assertThat(DeviceTopics.jobNotifyNextTopic("d")).isEqualTo("devices/d/jobs/notify-next");
  }

  @Test
  void anAnswerWithoutItsJobOrOperationHasNoTopic() {
    assertThatThrownBy(
            () -> DeviceTopics.jobResponseTopic("d", JobExecutionOperation.UPDATE, null, true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> DeviceTopics.jobResponseTopic("d", JobExecutionOperation.UNKNOWN, "j", true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theBridgeSubscribesToTheJobsRequestsAndToNoneOfTheirAnswers() {
    assertThat(DeviceTopics.UPLINK_FILTERS)
        .contains("devices/+/jobs/start-next", "devices/+/jobs/+/get", "devices/+/jobs/+/update")
        .noneMatch(filter -> filter.contains("/jobs/") && filter.endsWith("#"))
        .noneMatch(filter -> filter.endsWith("notify-next"));
  }
}
