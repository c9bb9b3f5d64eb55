package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iotbackbone.streamsapp.ShadowDriver.q;

import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.iotbackbone.schemas.Command;
import org.iotbackbone.schemas.CommandEvent;
import org.iotbackbone.schemas.CommandStatus;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowRequest;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.streamsapp.internal.ops.StreamsAppMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The app's own counters, driven through the production topology in TopologyTestDriver: shadow
 * answers by outcome and code, the update latency, command statuses, dead letters by reason and
 * input topic.
 */
class TopologyMetricsTest {

  private static final Instant T = ShadowDriver.START;
  private final ShadowDriver shadows =
      new ShadowDriver(
          ShadowLimits.defaults(),
          new CommandLimits(Duration.ofHours(1), Duration.ofMinutes(10), 5));
  private final StreamsAppMetrics metrics = shadows.metrics;

  @AfterEach
  void close() {
    shadows.close();
  }

  @Test
  void acceptedAndRejectedRequestsAreCountedByOperationAndCode() {
    shadows.update("d", q("{'state':{'reported':{'on':true}}}"));
    shadows.update("d", q("{'state':{'reported':{'on':false}},'version':7}")); // 409
    shadows.update("d", "{not json"); // 400
    shadows.get("d", "night", null); // 404: no such named shadow
    shadows.get("d", null, null);

    assertThat(answered("UPDATE", "accepted", "")).isEqualTo(1);
    assertThat(answered("UPDATE", "rejected", "409")).isEqualTo(1);
    assertThat(answered("UPDATE", "rejected", "400")).isEqualTo(1);
    assertThat(answered("GET", "rejected", "404")).isEqualTo(1);
    assertThat(answered("GET", "accepted", "")).isEqualTo(1);
    // The delta and documents notifications are not answers: five requests, five counts.
    assertThat(metrics.total("shadow.updates")).isEqualTo(5);
    assertThat(metrics.scrape())
        .contains("shadow_updates_total{code=\"409\",operation=\"UPDATE\",outcome=\"rejected\"} 1");
  }

  @Test
  void theUpdateLatencyRunsFromTheRequestRecordToTheStoredShadow() {
    // The driver's wall clock (processing time) stands at T: the records were produced before.
    send("d", T.minusMillis(250), q("{'state':{'reported':{'on':true}}}"));
    send("d", T.minusMillis(50), q("{'state':{'reported':{'on':false}}}"));
    send("d", T.minusMillis(10), q("{'state':{'reported':{'on':1}},'version':99}")); // 409

    Timer latency = metrics.registry().find("shadow.update").timer();
    assertThat(latency.count()).as("only requests that changed a shadow").isEqualTo(2);
    assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(300.0);
    assertThat(latency.max(TimeUnit.MILLISECONDS)).isEqualTo(250.0);
    assertThat(metrics.scrape())
        .contains("shadow_update_seconds_bucket{le=", "shadow_update_seconds_count 2");
  }

  @Test
  void aCommandIsCountedAtEachStatusItReachesOnce() {
    shadows.commands.pipeInput("d", command("c-1", T.plusSeconds(60)));
    shadows.commandEvents.pipeInput("d", event("c-1", CommandStatus.DELIVERED));
    shadows.commandEvents.pipeInput("d", event("c-1", CommandStatus.SUCCEEDED));
    shadows.commandEvents.pipeInput("d", event("c-1", CommandStatus.SUCCEEDED)); // repeated
    shadows.commandEvents.pipeInput("d", event("c-1", CommandStatus.DELIVERED)); // late step

    assertThat(metrics.count("commands", "status", "PENDING")).isEqualTo(1);
    assertThat(metrics.count("commands", "status", "DELIVERED")).isEqualTo(1);
    assertThat(metrics.count("commands", "status", "SUCCEEDED")).isEqualTo(1);
    assertThat(metrics.scrape()).contains("commands_total{status=\"SUCCEEDED\"} 1");
  }

  @Test
  void theSweepsTimeoutsAndExpiriesAreCounted() {
    shadows.commands.pipeInput("d", command("c-1", T.plusSeconds(60)));
    shadows.commandEvents.pipeInput("d", event("c-1", CommandStatus.DELIVERED));
    shadows.commands.pipeInput("d", command("c-2", T.plusSeconds(60)));

    shadows.advanceSeconds(60 + 11 * 60); // past expiry and the completion timeout

    assertThat(metrics.count("commands", "status", "TIMED_OUT")).isEqualTo(1);
    assertThat(metrics.count("commands", "status", "EXPIRED")).isEqualTo(1);
    assertThat(metrics.count("commands", "status", "PENDING")).isEqualTo(2);
  }

  @Test
  void deadLettersAreCountedByReasonAndTheTopicTheRecordCameFrom() {
    shadows.rawRequests.pipeInput(
        "d".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8));
    ShadowRequest request = shadows.request("d", null, ShadowOperation.GET, null, T);
    shadows.requests.pipeInput("other", request); // keyed by another device
    shadows.commandEvents.pipeInput("d", event("c-404", CommandStatus.FAILED)); // never issued
    shadows.advanceSeconds(90); // held for the grace, then dead-lettered by the sweep

    assertThat(deadLetters("DESERIALIZATION_FAILED", Topics.SHADOW_REQUESTS.name())).isEqualTo(1);
    assertThat(deadLetters("INVALID_REQUEST", Topics.SHADOW_REQUESTS.name())).isEqualTo(1);
    // Command events are judged in their device's task, as read: their own topic is the origin.
    assertThat(deadLetters("INVALID_REQUEST", Topics.COMMAND_EVENTS.name())).isEqualTo(1);
    assertThat(metrics.scrape())
        .contains(
            "streams_deadletters_total{origin=\"iot.shadow.requests\","
                + "reason=\"DESERIALIZATION_FAILED\"} 1");
  }

  private double answered(String operation, String outcome, String code) {
    return metrics.count(
        "shadow.updates", "operation", operation, "outcome", outcome, "code", code);
  }

  private double deadLetters(String reason, String origin) {
    return metrics.count("streams.deadletters", "reason", reason, "origin", origin);
  }

  private void send(String device, Instant producedAt, String document) {
    ShadowRequest request =
        shadows.request(device, null, ShadowOperation.UPDATE, document, producedAt);
    shadows.requests.pipeInput(device, request, producedAt);
  }

  private static Command command(String id, Instant expiresAt) {
    return Command.newBuilder()
        .setCommandId(id)
        .setDeviceId("d")
        .setName("reboot")
        .setPayload("{}")
        .setCreatedAt(T)
        .setExpiresAt(expiresAt)
        .build();
  }

  private static CommandEvent event(String id, CommandStatus status) {
    return CommandEvent.newBuilder()
        .setCommandId(id)
        .setDeviceId("d")
        .setStatus(status)
        .setOccurredAt(T.plusSeconds(1))
        .build();
  }
}
