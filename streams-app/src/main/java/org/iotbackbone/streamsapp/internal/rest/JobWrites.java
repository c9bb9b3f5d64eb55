package org.iotbackbone.streamsapp.internal.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Serializer;
import org.iotbackbone.schemas.JobDefinition;
import org.iotbackbone.schemas.JobOperation;
import org.iotbackbone.schemas.JobRequest;
import org.iotbackbone.schemas.JobStatus;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.streamsapp.internal.jobs.JobJson;
import org.iotbackbone.streamsapp.internal.json.Json;

/**
 * Creates and cancels jobs: checks what the coordinator would refuse (a job id used before, a job
 * not IN_PROGRESS), writes the JobRequest to {@code iot.job.requests}, then reads the job until the
 * coordinator applied it (a bounded wait, like a cloud shadow update's): the job, or 202 with its
 * {@code Location} when it takes longer.
 */
final class JobWrites {

  /** How often the job is read while waiting: a fraction of the coordinator's commit. */
  private static final Duration POLL = Duration.ofMillis(100);

  private final Producer<String, byte[]> producer;
  private final Serializer<JobRequest> serializer;
  private final JobQueries queries;
  private final Duration timeout;

  JobWrites(
      Producer<String, byte[]> producer,
      Serializer<JobRequest> serializer,
      JobQueries queries,
      Duration timeout) {
    this.producer = producer;
    this.serializer = serializer;
    this.queries = queries;
    this.timeout = timeout;
  }

  /** {@code POST /jobs}: 201 with the job, 409 for a job id used before, 202 if not in time. */
  Reply create(JobDefinition definition, String requestedBy, String authorization) {
    String jobId = definition.getJobId();
    if (job(jobId, authorization) != null) {
      throw ApiError.field(409, "jobId", "a job '" + jobId + "' exists; a job id is used once");
    }
    send(jobId, request(jobId, JobOperation.CREATE, requestedBy).setDefinition(definition));
    JsonNode created = await(jobId, authorization, job -> true);
    if (created == null) {
      return accepted(jobId);
    }
    if (!JobJson.describes(created, definition)) {
      // Another request with the same id came first: this one was refused.
      throw ApiError.field(409, "jobId", "a job '" + jobId + "' was created by another request");
    }
    return new Reply(201, Json.write(created), Reply.JSON, Map.of("Location", "/jobs/" + jobId));
  }

  /** {@code POST /jobs/{jobId}/cancel}: 200 with the job, 409 if not IN_PROGRESS, 202 late. */
  Reply cancel(String jobId, String comment, String requestedBy, String authorization) {
    JsonNode before = job(jobId, authorization);
    if (before == null) {
      throw new ApiError(404, "No job with id '" + jobId + "'");
    }
    String status = before.path("status").asText();
    if (!status.equals(JobStatus.IN_PROGRESS.name())) {
      throw notInProgress(jobId, status);
    }
    send(jobId, request(jobId, JobOperation.CANCEL, requestedBy).setComment(comment));
    JsonNode after =
        await(jobId, authorization, job -> !job.path("status").asText().equals(status));
    if (after == null) {
      return accepted(jobId);
    }
    String now = after.path("status").asText();
    if (!now.equals(JobStatus.CANCELED.name())) {
      throw notInProgress(jobId, now); // it completed before the cancel was applied
    }
    return Reply.ok(Json.write(after));
  }

  /**
   * The job as {@code GET /jobs/{jobId}} describes it, read where it is (with the caller's token),
   * or null when there is none; the owner's other answers (503 while it moves) are thrown.
   */
  private JsonNode job(String jobId, String authorization) {
    Reply reply;
    try {
      reply = queries.describe(jobId, new Forwarding("/jobs/" + jobId, false, authorization));
    } catch (ApiError e) {
      if (e.status() == 404) {
        return null;
      }
      throw e;
    }
    if (reply.status() == 404) {
      return null;
    }
    JsonNode body = Json.parseObject(reply.body());
    if (reply.status() != 200) {
      throw new ApiError(reply.status(), body.path("message").asText());
    }
    return body;
  }

  private static JobRequest.Builder request(String jobId, JobOperation operation, String by) {
    return JobRequest.newBuilder()
        .setRequestId(UUID.randomUUID().toString())
        .setJobId(jobId)
        .setOperation(operation)
        .setRequestedBy(by)
        .setRequestedAt(Instant.now());
  }

  private void send(String jobId, JobRequest.Builder request) {
    String topic = Topics.JOB_REQUESTS.name();
    Writes.send(producer, timeout, topic, jobId, serializer.serialize(topic, request.build()));
  }

  /**
   * The job once it is there and {@code done} says so, or null when the timeout passed first. A
   * store being moved (503) is waited out like a job not there yet.
   */
  private JsonNode await(String jobId, String authorization, Predicate<JsonNode> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        JsonNode job = job(jobId, authorization);
        if (job != null && done.test(job)) {
          return job;
        }
      } catch (ApiError e) {
        if (e.status() != 503) {
          throw e;
        }
      }
      if (System.nanoTime() + POLL.toNanos() > deadline) {
        return null;
      }
      try {
        Thread.sleep(POLL.toMillis()); // the coordinator applies it on its own schedule
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiError(503, "Interrupted");
      }
    }
  }

  private static Reply accepted(String jobId) {
    ObjectNode out = Json.object();
    out.put("jobId", jobId);
    out.put("message", "Requested; not applied yet: read the job at its Location");
    return new Reply(202, Json.write(out), Reply.JSON, Map.of("Location", "/jobs/" + jobId));
  }

  private static ApiError notInProgress(String jobId, String status) {
    return new ApiError(
        409, "Job '" + jobId + "' is " + status + ": only an IN_PROGRESS job can be canceled");
  }
}
