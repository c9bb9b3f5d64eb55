package org.iotbackbone.ingestbridge.internal.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.DeadLetters;
import org.iotbackbone.schemas.JobExecutionOperation;
import org.iotbackbone.schemas.JobExecutionRequest;
import org.iotbackbone.schemas.RequestSource;
import org.iotbackbone.schemas.topics.Topics;
import org.junit.jupiter.api.Test;

/** The per-device token bucket of jobs requests, on a clock of the test's. */
class JobsThrottleTest {

  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong clock = new AtomicLong(42 * SECOND);

  private JobsThrottle throttle(double perSecond, int burst, int maxDevices) {
    return new JobsThrottle(perSecond, burst, maxDevices, clock::get);
  }

  private static UplinkDecision.Produce request(
      String deviceId, JobExecutionOperation operation, String jobId, String document) {
    JobExecutionRequest value =
        JobExecutionRequest.newBuilder()
            .setRequestId("r")
            .setDeviceId(deviceId)
            .setOperation(operation)
            .setJobId(jobId)
            .setDocument(document)
            .setSource(RequestSource.DEVICE)
            .setRequestedAt(Instant.ofEpochMilli(5000))
            .build();
    return new UplinkDecision.Produce(Topics.JOB_EXECUTION_REQUESTS, deviceId, value);
  }

  private static UplinkDecision.Produce startNext(String deviceId) {
    return request(deviceId, JobExecutionOperation.START_NEXT, null, null);
  }

  private static int passed(JobsThrottle throttle, String deviceId, int requests) {
    int passed = 0;
    for (int i = 0; i < requests; i++) {
      UplinkDecision.Produce request = startNext(deviceId);
      if (throttle.apply(request) == request) {
        passed++;
      }
    }
    return passed;
  }

  @Test
  void aDeviceGetsItsBurstAtOnceThenItsRate() {
    JobsThrottle throttle = throttle(5, 10, 100);

    assertThat(passed(throttle, "d", 15)).isEqualTo(10);
    clock.addAndGet(SECOND / 5);
    assertThat(passed(throttle, "d", 3)).isEqualTo(1);
    clock.addAndGet(SECOND);
    assertThat(passed(throttle, "d", 10)).isEqualTo(5);
    // Idle for long: never more than the burst banked.
    clock.addAndGet(3600 * SECOND);
    assertThat(passed(throttle, "d", 20)).isEqualTo(10);
  }

  @Test
  void anotherDeviceIsNotHeldBackByAFloodingOne() {
    JobsThrottle throttle = throttle(1, 2, 100);

    assertThat(passed(throttle, "flood", 1000)).isEqualTo(2);
    assertThat(passed(throttle, "calm", 2)).isEqualTo(2);
  }

  @Test
  void aRateBelowOneASecondAccruesOverSeconds() {
    JobsThrottle throttle = throttle(0.5, 1, 100);

    assertThat(passed(throttle, "d", 2)).isEqualTo(1);
    clock.addAndGet(SECOND);
    assertThat(passed(throttle, "d", 1)).isZero();
    clock.addAndGet(SECOND);
    assertThat(passed(throttle, "d", 1)).isEqualTo(1);
  }

  @Test
  void aThrottledRequestIsAnswered429OnItsRejectedTopicWithItsClientToken() {
    JobsThrottle throttle = throttle(2.5, 1, 100);
    throttle.apply(startNext("d"));

    var update =
        (UplinkDecision.Throttled)
            throttle.apply(
                request(
                    "d",
                    JobExecutionOperation.UPDATE,
                    "fw-1",
                    "{\"status\":\"SUCCEEDED\",\"clientToken\":\"ct-1\"}"));
    var startNext = (UplinkDecision.Throttled) throttle.apply(startNext("d"));

    assertThat(update.deviceId()).isEqualTo("d");
    assertThat(update.operation()).isEqualTo("UPDATE");
    assertThat(update.responseTopic()).isEqualTo("devices/d/jobs/fw-1/update/rejected");
    assertThat(new String(update.responsePayload(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"code\":429,\"message\":\"Throttled: over 2.5 jobs requests per second (burst 1)"
                + " from this device; try again later\",\"timestamp\":5000,"
                + "\"clientToken\":\"ct-1\"}");
    assertThat(startNext.responseTopic()).isEqualTo("devices/d/jobs/start-next/rejected");
    assertThat(new String(startNext.responsePayload(), StandardCharsets.UTF_8))
        .contains("over 2.5 jobs requests per second")
        .doesNotContain("clientToken");
  }

  @Test
  void otherRecordsAndDeadLettersPassUntouchedAndTakeNoToken() {
    JobsThrottle throttle = throttle(1, 1, 100);
    UplinkDecision.Reject reject =
        new UplinkDecision.Reject(
            DeadLetters.builder(DeadLetters.Origin.INGEST_BRIDGE, DeadLetterReason.INVALID_UTF8)
                .message("m")
                .device("d")
                .build(),
            "devices/d/jobs/start-next/rejected",
            new byte[0]);
    UplinkDecision presence =
        new UplinkMapper(100)
            .map(
                new InboundMessage(
                    "devices/d/presence",
                    "online".getBytes(StandardCharsets.UTF_8),
                    1,
                    null,
                    Map.of(),
                    "b",
                    1));

    for (int i = 0; i < 5; i++) {
      assertThat(throttle.apply(reject)).isSameAs(reject);
      assertThat(throttle.apply(presence)).isSameAs(presence);
    }
    assertThat(throttle.trackedDevices()).isZero();
    assertThat(passed(throttle, "d", 2)).isEqualTo(1);
  }

  @Test
  void bucketsFullAgainAreDroppedSoTheMapHoldsOnlyRecentDevices() {
    // Refilled in burst / rate = 2 s.
    JobsThrottle throttle = throttle(5, 10, 1_000_000);
    for (int i = 0; i < 10_000; i++) {
      passed(throttle, "old-" + i, 1);
    }
    assertThat(throttle.trackedDevices()).isEqualTo(10_000);

    clock.addAndGet(2 * SECOND);
    passed(throttle, "new", 1);

    assertThat(throttle.trackedDevices()).isEqualTo(1);
  }

  @Test
  void aBucketNotYetFullIsKept() {
    JobsThrottle throttle = throttle(5, 10, 1_000_000);
    assertThat(passed(throttle, "d", 10)).isEqualTo(10);

    clock.addAndGet(SECOND);
    passed(throttle, "other", 1);

    assertThat(throttle.trackedDevices()).isEqualTo(2);
    // Half refilled, not forgotten: 5 tokens, not a fresh burst of 10.
    assertThat(passed(throttle, "d", 10)).isEqualTo(5);
  }

  @Test
  void pastItsBoundTheLeastRecentlyUsedDeviceIsDroppedNotTheFloodingOne() {
    JobsThrottle throttle = throttle(1, 1, 3);
    passed(throttle, "flood", 1);
    for (int i = 0; i < 100; i++) {
      clock.addAndGet(1000);
      passed(throttle, "other-" + i, 1);
      assertThat(passed(throttle, "flood", 1)).isZero();
      assertThat(throttle.trackedDevices()).isLessThanOrEqualTo(3);
    }
  }

  @Test
  void aRateOrBurstThatIsNotPositiveIsRefused() {
    assertThatThrownBy(() -> new JobsThrottle(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JobsThrottle(1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JobsThrottle(Double.NaN, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
