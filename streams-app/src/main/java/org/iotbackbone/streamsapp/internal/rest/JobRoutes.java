package org.iotbackbone.streamsapp.internal.rest;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Serializer;
import org.iotbackbone.schemas.JobDefinition;
import org.iotbackbone.schemas.JobExecutionStatus;
import org.iotbackbone.schemas.JobRequest;
import org.iotbackbone.schemas.JobStatus;
import org.iotbackbone.streamsapp.JobLimits;
import org.iotbackbone.streamsapp.internal.auth.Caller;
import org.iotbackbone.streamsapp.internal.auth.Scope;
import org.iotbackbone.streamsapp.internal.jobs.JobDocuments;
import org.iotbackbone.streamsapp.internal.jobs.JobValidation;
import org.iotbackbone.streamsapp.internal.rest.Paging.Listing;

/**
 * The jobs' routes (docs/design.md, "Jobs"; the OpenAPI description): their rows of the route
 * table, and what each reads from its request before {@link JobQueries} or {@link JobWrites}
 * answers.
 */
final class JobRoutes {

  private static final Set<String> JOB_STATUSES = names(JobStatus.values());
  private static final Set<String> EXECUTION_STATUSES = names(JobExecutionStatus.values());

  /** The largest cancel body: a comment of {@link JobDocuments#MAX_COMMENT_CHARS} and room. */
  private static final int MAX_CANCEL_BODY_BYTES = 4 * JobDocuments.MAX_COMMENT_CHARS + 1024;

  private volatile JobQueries queries;
  private volatile JobWrites writes;
  private volatile JobLimits limits;

  /** Connects the routes to the running app. */
  void attach(
      Queries queries,
      Producer<String, byte[]> producer,
      Serializer<JobRequest> requests,
      JobLimits limits,
      Duration timeout) {
    JobQueries reads = new JobQueries(queries);
    this.limits = limits;
    this.writes = new JobWrites(producer, requests, reads, timeout);
    this.queries = reads;
  }

  /**
   * The rows of the route table. A job spans devices: its routes are refused to a token limited to
   * devices, but a device's own list, which the table checks like any device path.
   */
  List<Endpoint> endpoints() {
    return List.of(
        Endpoint.allDevices(new Route("POST", "/jobs"), Scope.JOBS_WRITE, this::create),
        Endpoint.allDevices(new Route("GET", "/jobs"), Scope.JOBS_READ, this::list),
        Endpoint.allDevices(new Route("GET", "/jobs/{jobId}"), Scope.JOBS_READ, this::describe),
        Endpoint.allDevices(
            new Route("POST", "/jobs/{jobId}/cancel"), Scope.JOBS_WRITE, this::cancel),
        Endpoint.allDevices(
            new Route("GET", "/jobs/{jobId}/executions"), Scope.JOBS_READ, this::executions),
        new Endpoint(
            new Route("GET", "/devices/{deviceId}/jobs"), Scope.JOBS_READ, this::deviceJobs));
  }

  private Reply create(HttpExchange exchange, Matcher parameters, Caller caller)
      throws IOException {
    String body = Requests.body(exchange, JobDocuments.maxBodyBytes(limits));
    JobDefinition definition;
    try {
      definition = JobDocuments.parseCreate(body, limits);
    } catch (IllegalArgumentException e) {
      throw ApiError.fieldMessage(400, e.getMessage());
    }
    return writes.create(definition, caller.subject(), authorization(exchange));
  }

  private Reply describe(HttpExchange exchange, Matcher parameters, Caller caller) {
    return queries.describe(jobId(parameters), Forwarding.of(exchange));
  }

  private Reply cancel(HttpExchange exchange, Matcher parameters, Caller caller)
      throws IOException {
    String jobId = jobId(parameters);
    String comment;
    try {
      comment = JobDocuments.parseCancel(Requests.body(exchange, MAX_CANCEL_BODY_BYTES));
    } catch (IllegalArgumentException e) {
      throw ApiError.fieldMessage(400, e.getMessage());
    }
    return writes.cancel(jobId, comment, caller.subject(), authorization(exchange));
  }

  private Reply list(HttpExchange exchange, Matcher parameters, Caller caller) {
    return queries.jobs(query(exchange, Listing.JOBS, JOB_STATUSES), Forwarding.of(exchange));
  }

  private Reply executions(HttpExchange exchange, Matcher parameters, Caller caller) {
    String jobId = jobId(parameters);
    Paging.Query query = query(exchange, Listing.JOB_EXECUTIONS, EXECUTION_STATUSES);
    Forwarding request = Forwarding.of(exchange);
    if (!query.local()) {
      // 404 for an unknown job, not an empty list; asked once, by the instance the caller asked.
      Reply job =
          queries.describe(jobId, new Forwarding("/jobs/" + jobId, false, request.authorization()));
      if (job.status() != 200) {
        return job;
      }
    }
    return queries.executions(jobId, query, request);
  }

  private Reply deviceJobs(HttpExchange exchange, Matcher parameters, Caller caller) {
    String deviceId = Requests.deviceId(parameters.group("deviceId"));
    return queries.deviceJobs(
        deviceId,
        query(exchange, Listing.DEVICE_JOBS, EXECUTION_STATUSES),
        Forwarding.of(exchange));
  }

  private static String jobId(Matcher parameters) {
    String jobId = parameters.group("jobId");
    if (!JobValidation.JOB_ID.matcher(jobId).matches()) {
      throw ApiError.field(400, "jobId", "must be 1 to 64 of [A-Za-z0-9_-]");
    }
    return jobId;
  }

  private static Paging.Query query(HttpExchange exchange, Listing list, Set<String> statuses) {
    return Paging.query(Requests.params(exchange.getRequestURI().getRawQuery()), list, statuses);
  }

  private static String authorization(HttpExchange exchange) {
    return exchange.getRequestHeaders().getFirst("Authorization");
  }

  /** The statuses a filter may name: every one but UNKNOWN (a reader's, never a record's). */
  private static Set<String> names(Enum<?>[] values) {
    return Arrays.stream(values)
        .map(Enum::name)
        .filter(name -> !name.equals("UNKNOWN"))
        .collect(Collectors.toUnmodifiableSet());
  }
}
