package org.iotbackbone.ingestbridge.internal.downlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.iotbackbone.schemas.Command;
import org.iotbackbone.schemas.JobExecutionOperation;
import org.iotbackbone.schemas.JobResponse;
import org.iotbackbone.schemas.JobResponseType;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowResponse;
import org.iotbackbone.schemas.ShadowResponseType;
import org.junit.jupiter.api.Test;

class DownlinkMapperTest {

  private static final Instant NOW = Instant.ofEpochSecond(1_000_000);

  private static Command command(Instant expiresAt, String payload) {
    return Command.newBuilder()
        .setCommandId("c-1")
        .setDeviceId("d-1")
        .setName("reboot")
        .setPayload(payload)
        .setCreatedAt(NOW)
        .setExpiresAt(expiresAt)
        .build();
  }

  @Test
  void aCommandCarriesItsTimeLeftItsIdAndItsAckTopic() {
    Outbound out = DownlinkMapper.command(command(NOW.plusMillis(2500), "{\"a\":1}"), NOW);

    assertThat(out.topic()).isEqualTo("devices/d-1/commands");
    assertThat(out.expirySeconds()).isEqualTo(3);
    assertThat(new String(out.correlationData(), StandardCharsets.UTF_8)).isEqualTo("c-1");
    assertThat(out.responseTopic()).isEqualTo("devices/d-1/commands/c-1/ack");
    assertThat(new String(out.payload(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"commandId\":\"c-1\",\"name\":\"reboot\",\"payload\":{\"a\":1},\"expiresAt\":"
                + NOW.plusMillis(2500).toEpochMilli()
                + "}");
  }

  @Test
  void anExpiredCommandIsNotPublished() {
    assertThat(DownlinkMapper.command(command(NOW, "{}"), NOW)).isNull();
  }

  @Test
  void aCommandWhosePayloadIsNotJsonIsRefused() {
    assertThatThrownBy(() -> DownlinkMapper.command(command(NOW.plusSeconds(5), "{x"), NOW))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aShadowResponseGoesToItsTopic() {
    ShadowResponse response =
        ShadowResponse.newBuilder()
            .setDeviceId("d")
            .setShadowName("lamp")
            .setOperation(ShadowOperation.UPDATE)
            .setType(ShadowResponseType.DELTA)
            .setPayload("{}")
            .setCreatedAt(NOW)
            .build();

    assertThat(DownlinkMapper.shadowResponse(response).topic())
        .isEqualTo("devices/d/shadow/name/lamp/update/delta");
  }

  private static JobResponse jobResponse(
      String deviceId, JobResponseType type, JobExecutionOperation operation, String jobId) {
    return JobResponse.newBuilder()
        .setDeviceId(deviceId)
        .setType(type)
        .setOperation(operation)
        .setJobId(jobId)
        .setPayload("{\"timestamp\":1}")
        .setCreatedAt(NOW)
        .build();
  }

  @Test
  void jobsMessagesGoToNotifyNextAndToTheRequestsAnswerTopicsPayloadAsItIs() {
    Outbound notify =
        DownlinkMapper.jobResponse(jobResponse("d", JobResponseType.NOTIFY_NEXT, null, "fw-1"));
    Outbound startNext =
        DownlinkMapper.jobResponse(
            jobResponse("d", JobResponseType.ACCEPTED, JobExecutionOperation.START_NEXT, "fw-1"));
    Outbound get =
        DownlinkMapper.jobResponse(
            jobResponse("d", JobResponseType.REJECTED, JobExecutionOperation.GET, "fw-1"));
    Outbound update =
        DownlinkMapper.jobResponse(
            jobResponse("d", JobResponseType.ACCEPTED, JobExecutionOperation.UPDATE, "fw-1"));

    assertThat(notify.topic()).isEqualTo("devices/d/jobs/notify-next");
    // A start-next's answer names the job it started, but its topic does not.
    assertThat(startNext.topic()).isEqualTo("devices/d/jobs/start-next/accepted");
    assertThat(get.topic()).isEqualTo("devices/d/jobs/fw-1/get/rejected");
    assertThat(update.topic()).isEqualTo("devices/d/jobs/fw-1/update/accepted");
    assertThat(new String(update.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"timestamp\":1}");
    assertThat(update.deviceId()).isEqualTo("d");
    assertThat(update.expirySeconds()).isZero();
    assertThat(update.correlationData()).isNull();
    assertThat(update.responseTopic()).isNull();
  }

  @Test
  void aJobsMessageThatNamesNoTopicIsRefused() {
    for (JobResponse bad :
        new JobResponse[] {
          jobResponse("d", JobResponseType.UNKNOWN, JobExecutionOperation.GET, "j"),
          jobResponse("d", JobResponseType.ACCEPTED, null, "j"),
          jobResponse("d", JobResponseType.ACCEPTED, JobExecutionOperation.UNKNOWN, "j"),
          jobResponse("d", JobResponseType.REJECTED, JobExecutionOperation.UPDATE, null),
          jobResponse("d", JobResponseType.REJECTED, JobExecutionOperation.GET, "j/#"),
          jobResponse("d/+", JobResponseType.NOTIFY_NEXT, null, null),
        }) {
      assertThatThrownBy(() -> DownlinkMapper.jobResponse(bad))
          .as(bad.toString())
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
