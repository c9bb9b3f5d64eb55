package org.iotbackbone.streamsapp.internal.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.iotbackbone.schemas.DeviceJobExecutions;
import org.iotbackbone.schemas.Job;
import org.iotbackbone.schemas.JobExecution;
import org.iotbackbone.streamsapp.JobsTopology;
import org.iotbackbone.streamsapp.internal.jobs.JobJson;
import org.iotbackbone.streamsapp.internal.json.Json;
import org.iotbackbone.streamsapp.internal.rest.Paging.Collector;
import org.iotbackbone.streamsapp.internal.rest.Paging.Listing;

/**
 * Reads the jobs' stores (docs/design.md, "Jobs"): a job by id and a device's executions by device
 * id on the instance that owns the key, the list of jobs and a job's executions from every
 * instance's partitions (the executions are kept by device, so a job's are found by reading every
 * device's record, as {@code GET /devices} reads every shadow).
 */
final class JobQueries {

  private final Queries queries;

  JobQueries(Queries queries) {
    this.queries = queries;
  }

  /** A job as {@code GET /jobs/{jobId}} answers it, or 404. */
  Reply describe(String jobId, Forwarding request) {
    return queries.<Job>keyed(
        JobsTopology.JOBS_STORE,
        jobId,
        request,
        job -> {
          if (job == null) {
            throw new ApiError(404, "No job with id '" + jobId + "'");
          }
          return Reply.ok(Json.write(JobJson.describe(job)));
        });
  }

  /** A page of a device's executions (none for a device that never had one). */
  Reply deviceJobs(String deviceId, Paging.Query query, Forwarding request) {
    return queries.<DeviceJobExecutions>keyed(
        JobsTopology.DEVICE_JOBS_STORE,
        deviceId,
        request,
        record -> {
          Collector page = new Collector(query);
          if (record != null) {
            for (JobExecution execution : record.getExecutions()) {
              if (page.wants(execution.getJobId(), execution.getStatus().name())) {
                page.add(
                    execution.getJobId(),
                    JobJson.execution("jobId", execution.getJobId(), execution));
              }
            }
          }
          return Reply.ok(Json.write(page.page(Listing.DEVICE_JOBS)));
        });
  }

  /** A page of the jobs, in job id order. */
  Reply jobs(Paging.Query query, Forwarding request) {
    return this.<Job>scan(
        JobsTopology.JOBS_STORE,
        Listing.JOBS,
        query,
        request,
        (entry, page) -> {
          if (page.wants(entry.key, entry.value.getStatus().name())) {
            page.add(entry.key, JobJson.summary(entry.value));
          }
        });
  }

  /** A page of a job's executions, in device id order. */
  Reply executions(String jobId, Paging.Query query, Forwarding request) {
    return this.<DeviceJobExecutions>scan(
        JobsTopology.DEVICE_JOBS_STORE,
        Listing.JOB_EXECUTIONS,
        query,
        request,
        (entry, page) -> {
          for (JobExecution execution : entry.value.getExecutions()) {
            if (execution.getJobId().equals(jobId)
                && page.wants(entry.key, execution.getStatus().name())) {
              page.add(entry.key, JobJson.execution("deviceId", entry.key, execution));
            }
          }
        });
  }

  /**
   * A page of a list read from every instance: this one's part, and each other instance's own part
   * (asked with {@code local}, and the caller's token), merged. A part that cannot be had (a
   * rebalance: 503; the token expired on the way: 401) is the answer: a partial page would lie.
   */
  private <V> Reply scan(
      String store,
      Listing list,
      Paging.Query query,
      Forwarding request,
      BiConsumer<KeyValue<String, V>, Collector> select) {
    Collector local = new Collector(query);
    ReadOnlyKeyValueStore<String, V> partitions = queries.localStore(store);
    if (partitions != null) {
      try (KeyValueIterator<String, V> entries =
          query.after() == null ? partitions.all() : partitions.range(query.after(), null)) {
        // Each partition in key order, one after the other: the collector keeps the first ones.
        entries.forEachRemaining(entry -> select.accept(entry, local));
      } catch (InvalidStateStoreException e) {
        throw Queries.unavailable();
      }
    }
    ObjectNode own = local.page(list);
    if (query.local()) {
      return Reply.ok(Json.write(own));
    }
    List<ObjectNode> items = new ArrayList<>();
    own.path(list.field()).forEach(item -> items.add((ObjectNode) item));
    boolean more = own.has("nextToken");
    String path = request.pathAndQuery();
    String asLocal = path + (path.contains("?") ? "&" : "?") + Paging.LOCAL + "=true";
    for (HostInfo instance : queries.otherActiveHosts(store)) {
      Reply answer = queries.forward(instance, asLocal, request.authorization());
      if (answer.status() != 200) {
        return answer;
      }
      JsonNode part = Json.parseObject(answer.body());
      part.path(list.field()).forEach(item -> items.add((ObjectNode) item));
      more |= part.has("nextToken");
    }
    return Reply.ok(Json.write(Paging.page(list, items, more, query.limit())));
  }
}
