package org.iotbackbone.streamsapp.internal.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.DeviceJobExecutions;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.JobEvent;
import org.iotbackbone.schemas.JobEventType;
import org.iotbackbone.schemas.JobExecution;
import org.iotbackbone.schemas.JobExecutionOperation;
import org.iotbackbone.schemas.JobExecutionRequest;
import org.iotbackbone.schemas.JobExecutionStatus;
import org.iotbackbone.schemas.JobResponse;
import org.iotbackbone.schemas.JobResponseType;
import org.iotbackbone.streamsapp.JobLimits;
import org.iotbackbone.streamsapp.internal.InvalidRecordException;
import org.iotbackbone.streamsapp.internal.json.Json;
import org.iotbackbone.streamsapp.internal.ops.StreamsAppMetrics;
import org.iotbackbone.streamsapp.internal.streams.DeviceIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device side of jobs (docs/design.md, "Jobs"): the only writer of a device's executions. It
 * applies the device's requests (start-next, get, update) and the coordinator's messages (notify,
 * cancel, timeout), tells the coordinator of every change of status, and resolves a target filter
 * over this partition's shadows.
 */
public final class DeviceJobsProcessor
    implements Processor<String, DeviceSide.In, String, DeviceSide.Out> {

  private static final Logger LOG = LoggerFactory.getLogger(DeviceJobsProcessor.class);

  /** The statuses a device may report. */
  private static final Set<String> DEVICE_STATUSES =
      Set.of("IN_PROGRESS", "SUCCEEDED", "FAILED", "REJECTED");

  private final String executionsStoreName;
  private final String shadowStoreName;
  private final JobLimits limits;
  private final StreamsAppMetrics metrics;
  private ProcessorContext<String, DeviceSide.Out> context;
  private KeyValueStore<String, DeviceJobExecutions> executions;
  private KeyValueStore<String, DeviceShadow> shadows;

  public DeviceJobsProcessor(
      String executionsStoreName,
      String shadowStoreName,
      JobLimits limits,
      StreamsAppMetrics metrics) {
    this.executionsStoreName = executionsStoreName;
    this.shadowStoreName = shadowStoreName;
    this.limits = limits;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, DeviceSide.Out> context) {
    this.context = context;
    this.executions = context.getStateStore(executionsStoreName);
    this.shadows = context.getStateStore(shadowStoreName);
  }

  @Override
  public void process(Record<String, DeviceSide.In> record) {
    DeviceSide.In in = record.value();
    if (in != null && in.message() != null) {
      fromCoordinator(record, in.message());
    } else {
      fromDevice(record, in == null ? null : in.request());
    }
  }

  // ---- the coordinator's messages

  private void fromCoordinator(Record<String, DeviceSide.In> record, JobMessage message) {
    long now = context.currentSystemTimeMs();
    switch (message.type()) {
      case RESOLVE -> resolve(record, message, now);
      case NOTIFY -> notifyDevice(record, message, now);
      case CANCEL -> cancel(record, message, now);
      case TIMEOUT -> timeOut(record, message, now);
      default -> throw new IllegalStateException("not for the device side: " + message.type());
    }
  }

  private void resolve(Record<String, DeviceSide.In> record, JobMessage message, long now) {
    TargetFilter filter = TargetFilter.parse(message.filter());
    long matched = 0;
    try (KeyValueIterator<String, DeviceShadow> all = shadows.all()) {
      while (all.hasNext()) {
        KeyValue<String, DeviceShadow> device = all.next();
        if (matches(filter, device.value)) {
          matched++;
          toCoordinator(
              record, event(message.jobId(), JobEventType.TARGET, now).setDeviceId(device.key));
        }
      }
    }
    int partition = context.taskId().partition();
    LOG.info(
        "job {}: partition {} resolved its filter to {} devices",
        message.jobId(),
        partition,
        matched);
    toCoordinator(
        record,
        event(message.jobId(), JobEventType.RESOLVED, now)
            .setPartition(partition)
            .setPartitions(message.partitions()));
  }

  private static boolean matches(TargetFilter filter, DeviceShadow shadow) {
    if (shadow == null
        || shadow.getClassic() == null
        || shadow.getClassic().getReported() == null) {
      return false;
    }
    try {
      return filter.matches(Json.parse(shadow.getClassic().getReported()));
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  private void notifyDevice(Record<String, DeviceSide.In> record, JobMessage message, long now) {
    String device = message.deviceId();
    DeviceJobExecutions current = executions.get(device);
    if (Executions.find(current, message.jobId()).isPresent()) {
      return; // notified before: a replay changes nothing
    }
    Instant at = Instant.ofEpochMilli(now);
    JobExecution queued =
        JobExecution.newBuilder()
            .setJobId(message.jobId())
            .setStatus(JobExecutionStatus.QUEUED)
            .setVersionNumber(1)
            .setJobDocument(message.document())
            .setQueuedAt(at)
            .setLastUpdatedAt(at)
            .build();
    change(record, device, current, queued, null, now);
  }

  private void cancel(Record<String, DeviceSide.In> record, JobMessage message, long now) {
    DeviceJobExecutions current = executions.get(message.deviceId());
    Optional<JobExecution> execution = Executions.find(current, message.jobId());
    if (execution.isEmpty() || Executions.isFinal(execution.get().getStatus())) {
      return; // it ended first
    }
    JobExecution was = execution.get();
    JobExecution next =
        was.getStatus() == JobExecutionStatus.QUEUED
            ? step(was, JobExecutionStatus.CANCELED, null, now)
            // IN_PROGRESS may finish: no longer offered, same version so its update still fits.
            : JobExecution.newBuilder(was).setJobCanceled(true).build();
    change(record, message.deviceId(), current, next, was.getStatus(), now);
  }

  private void timeOut(Record<String, DeviceSide.In> record, JobMessage message, long now) {
    DeviceJobExecutions current = executions.get(message.deviceId());
    Optional<JobExecution> execution = Executions.find(current, message.jobId());
    if (execution.isEmpty() || execution.get().getStatus() != JobExecutionStatus.IN_PROGRESS) {
      return; // it ended first
    }
    JobExecution next = step(execution.get(), JobExecutionStatus.TIMED_OUT, null, now);
    change(record, message.deviceId(), current, next, JobExecutionStatus.IN_PROGRESS, now);
  }

  // ---- the device's requests

  private void fromDevice(Record<String, DeviceSide.In> record, JobExecutionRequest request) {
    DeviceIds.check(record.key(), request, request == null ? null : request.getDeviceId());
    if (request.getOperation() == JobExecutionOperation.UNKNOWN) {
      throw new InvalidRecordException(
          DeadLetterReason.INVALID_REQUEST, "job execution request with an unknown operation");
    }
    if (request.getOperation() != JobExecutionOperation.START_NEXT
        && (request.getJobId() == null
            || !JobValidation.JOB_ID.matcher(request.getJobId()).matches())) {
      throw new InvalidRecordException(
          DeadLetterReason.INVALID_REQUEST,
          request.getOperation() + " without a valid jobId: " + request.getJobId());
    }
    long now = context.currentSystemTimeMs();
    ObjectNode body;
    try {
      body = body(request.getDocument());
    } catch (IllegalArgumentException e) {
      reject(record, request, null, 400, e.getMessage(), now);
      return;
    }
    String clientToken =
        body.path("clientToken").isTextual() ? body.get("clientToken").asText() : null;
    if (clientToken != null && clientToken.getBytes(StandardCharsets.UTF_8).length > 64) {
      reject(record, request, null, 400, "clientToken: more than 64 bytes", now);
      return;
    }
    DeviceJobExecutions current = executions.get(record.key());
    switch (request.getOperation()) {
      case START_NEXT -> startNext(record, request, body, clientToken, current, now);
      case GET -> get(record, request, clientToken, current, now);
      case UPDATE -> update(record, request, body, clientToken, current, now);
      default -> throw new IllegalStateException("operation " + request.getOperation());
    }
  }

  private static ObjectNode body(String document) {
    if (document == null || document.isBlank()) {
      return Json.object();
    }
    JsonNode node;
    try {
      node = Json.parse(document);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("the request must be a JSON object");
    }
    return (ObjectNode) node;
  }

  private void startNext(
      Record<String, DeviceSide.In> record,
      JobExecutionRequest request,
      ObjectNode body,
      String clientToken,
      DeviceJobExecutions current,
      long now) {
    Map<String, String> details;
    try {
      details = statusDetails(body);
    } catch (IllegalArgumentException e) {
      reject(record, request, null, 400, e.getMessage(), now);
      return;
    }
    Optional<JobExecution> next = Executions.nextPending(current);
    ObjectNode answer = Json.object();
    if (next.isPresent()) {
      JobExecution execution = next.get();
      if (execution.getStatus() == JobExecutionStatus.QUEUED) {
        execution = step(execution, JobExecutionStatus.IN_PROGRESS, details, now);
        change(record, record.key(), current, execution, JobExecutionStatus.QUEUED, now);
      }
      answer.set("execution", Executions.toJson(execution, true));
    }
    accept(
        record, request, next.map(JobExecution::getJobId).orElse(null), answer, clientToken, now);
  }

  private void get(
      Record<String, DeviceSide.In> record,
      JobExecutionRequest request,
      String clientToken,
      DeviceJobExecutions current,
      long now) {
    Optional<JobExecution> execution = Executions.find(current, request.getJobId());
    if (execution.isEmpty()) {
      reject(record, request, clientToken, 404, "no execution of job " + request.getJobId(), now);
      return;
    }
    ObjectNode answer = Json.object();
    answer.set("execution", Executions.toJson(execution.get(), true));
    accept(record, request, request.getJobId(), answer, clientToken, now);
  }

  private void update(
      Record<String, DeviceSide.In> record,
      JobExecutionRequest request,
      ObjectNode body,
      String clientToken,
      DeviceJobExecutions current,
      long now) {
    Optional<JobExecution> found = Executions.find(current, request.getJobId());
    if (found.isEmpty()) {
      // Not a target, or not notified yet: nothing to update.
      reject(record, request, clientToken, 404, "no execution of job " + request.getJobId(), now);
      return;
    }
    JobExecution execution = found.get();
    JsonNode status = body.get("status");
    if (status == null || !status.isTextual() || !DEVICE_STATUSES.contains(status.asText())) {
      reject(
          record,
          request,
          clientToken,
          400,
          "status: must be IN_PROGRESS, SUCCEEDED, FAILED or REJECTED",
          now);
      return;
    }
    Map<String, String> details;
    Long expected;
    try {
      details = statusDetails(body);
      expected = expectedVersion(body);
    } catch (IllegalArgumentException e) {
      reject(record, request, clientToken, 400, e.getMessage(), now);
      return;
    }
    if (Executions.isFinal(execution.getStatus())) {
      reject(
          record,
          request,
          clientToken,
          409,
          "InvalidStateTransition: the execution is " + execution.getStatus(),
          now);
      return;
    }
    if (expected != null && expected != execution.getVersionNumber()) {
      reject(
          record,
          request,
          clientToken,
          409,
          "VersionMismatch: expectedVersion "
              + expected
              + ", the execution is at "
              + execution.getVersionNumber(),
          now);
      return;
    }
    JobExecution next = step(execution, JobExecutionStatus.valueOf(status.asText()), details, now);
    change(record, record.key(), current, next, execution.getStatus(), now);
    ObjectNode answer = Json.object();
    ObjectNode state = answer.putObject("executionState");
    state.put("status", next.getStatus().name());
    ObjectNode detailsNode = state.putObject("statusDetails");
    next.getStatusDetails().forEach(detailsNode::put);
    state.put("versionNumber", next.getVersionNumber());
    accept(record, request, request.getJobId(), answer, clientToken, now);
  }

  private static Map<String, String> statusDetails(ObjectNode body) {
    JsonNode details = body.get("statusDetails");
    if (details == null || details.isNull()) {
      return null;
    }
    if (!details.isObject()) {
      throw new IllegalArgumentException("statusDetails: must be an object of strings");
    }
    Map<String, String> map = new HashMap<>();
    for (Map.Entry<String, JsonNode> field : details.properties()) {
      if (!field.getValue().isTextual()) {
        throw new IllegalArgumentException(
            "statusDetails." + field.getKey() + ": must be a string");
      }
      map.put(field.getKey(), field.getValue().asText());
    }
    return map;
  }

  private static Long expectedVersion(ObjectNode body) {
    JsonNode version = body.get("expectedVersion");
    if (version == null || version.isNull()) {
      return null;
    }
    if (!version.canConvertToLong() || !version.isIntegralNumber() || version.asLong() < 1) {
      throw new IllegalArgumentException("expectedVersion: must be a positive integer");
    }
    return version.asLong();
  }

  // ---- changes and answers

  /** The execution in a new status (or the same, with new details), one version on. */
  private static JobExecution step(
      JobExecution execution, JobExecutionStatus status, Map<String, String> details, long now) {
    Instant at = Instant.ofEpochMilli(now);
    JobExecution.Builder next =
        JobExecution.newBuilder(execution)
            .setStatus(status)
            .setVersionNumber(execution.getVersionNumber() + 1)
            .setLastUpdatedAt(at);
    if (details != null) {
      next.setStatusDetails(details);
    }
    if (status == JobExecutionStatus.IN_PROGRESS && execution.getStartedAt() == null) {
      next.setStartedAt(at);
    }
    return next.build();
  }

  /**
   * Stores the changed execution, writes the device's record, tells the coordinator when the status
   * changed and the device when its next pending job changed.
   */
  private void change(
      Record<String, DeviceSide.In> record,
      String device,
      DeviceJobExecutions current,
      JobExecution changed,
      JobExecutionStatus from,
      long now) {
    DeviceJobExecutions before = current == null ? Executions.empty(device, now) : current;
    DeviceJobExecutions after = Executions.with(before, changed, limits.finalExecutionsKept(), now);
    executions.put(device, after);
    context.forward(record.withKey(device).withValue(new DeviceSide.Out(after, null, null)));
    if (from != changed.getStatus()) {
      metrics.jobExecution(changed.getStatus());
      toCoordinator(
          record,
          event(changed.getJobId(), JobEventType.CHANGED, now)
              .setDeviceId(device)
              .setFrom(from)
              .setTo(changed.getStatus()));
    }
    if (!Objects.equals(Executions.nextJobId(current), Executions.nextJobId(after))) {
      respond(
          record,
          JobResponse.newBuilder()
              .setDeviceId(device)
              .setType(JobResponseType.NOTIFY_NEXT)
              .setPayload(Executions.notifyNext(after))
              .setCreatedAt(Instant.ofEpochMilli(now))
              .build());
    }
  }

  private void accept(
      Record<String, DeviceSide.In> record,
      JobExecutionRequest request,
      String jobId,
      ObjectNode answer,
      String clientToken,
      long now) {
    answer.put("timestamp", now);
    if (clientToken != null) {
      answer.put("clientToken", clientToken);
    }
    metrics.jobDeviceAnswered(request.getOperation(), null);
    respond(
        record,
        JobResponse.newBuilder()
            .setDeviceId(record.key())
            .setType(JobResponseType.ACCEPTED)
            .setOperation(request.getOperation())
            .setJobId(request.getOperation() == JobExecutionOperation.START_NEXT ? null : jobId)
            .setRequestId(request.getRequestId())
            .setPayload(Json.write(answer))
            .setCreatedAt(Instant.ofEpochMilli(now))
            .build());
  }

  private void reject(
      Record<String, DeviceSide.In> record,
      JobExecutionRequest request,
      String clientToken,
      int code,
      String message,
      long now) {
    ObjectNode body = Json.object();
    body.put("code", code);
    body.put("message", message);
    body.put("timestamp", now);
    if (clientToken != null) {
      body.put("clientToken", clientToken);
    }
    LOG.debug(
        "device {}: job request {} rejected with {}", record.key(), request.getRequestId(), code);
    metrics.jobDeviceAnswered(request.getOperation(), code);
    respond(
        record,
        JobResponse.newBuilder()
            .setDeviceId(record.key())
            .setType(JobResponseType.REJECTED)
            .setOperation(request.getOperation())
            .setJobId(request.getJobId())
            .setRequestId(request.getRequestId())
            .setCode(code)
            .setPayload(Json.write(body))
            .setCreatedAt(Instant.ofEpochMilli(now))
            .build());
  }

  private void respond(Record<String, DeviceSide.In> record, JobResponse response) {
    context.forward(
        record.withKey(response.getDeviceId()).withValue(new DeviceSide.Out(null, response, null)));
  }

  private static JobEvent.Builder event(String jobId, JobEventType type, long now) {
    return JobEvent.newBuilder()
        .setJobId(jobId)
        .setType(type)
        .setOccurredAt(Instant.ofEpochMilli(now));
  }

  private void toCoordinator(Record<String, DeviceSide.In> record, JobEvent.Builder event) {
    JobEvent built = event.build();
    context.forward(
        record.withKey(built.getJobId()).withValue(new DeviceSide.Out(null, null, built)));
  }
}
