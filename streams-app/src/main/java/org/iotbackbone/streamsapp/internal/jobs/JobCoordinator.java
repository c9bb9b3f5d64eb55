package org.iotbackbone.streamsapp.internal.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.iotbackbone.schemas.DeadLetterReason;
import org.iotbackbone.schemas.Job;
import org.iotbackbone.schemas.JobDefinition;
import org.iotbackbone.schemas.JobEvent;
import org.iotbackbone.schemas.JobExecutionStatus;
import org.iotbackbone.schemas.JobProcessDetails;
import org.iotbackbone.schemas.JobRequest;
import org.iotbackbone.schemas.JobStatus;
import org.iotbackbone.schemas.JobStatusChange;
import org.iotbackbone.streamsapp.JobLimits;
import org.iotbackbone.streamsapp.internal.InvalidRecordException;
import org.iotbackbone.streamsapp.internal.json.Json;
import org.iotbackbone.streamsapp.internal.ops.StreamsAppMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator of jobs (docs/design.md, "Jobs"), keyed by job id: the one place a job's rollout,
 * abort, timeouts and completion are decided. Every change of an execution reaches it re-keyed by
 * job id; a wall-clock punctuation paces notifications and times executions out.
 *
 * <p>Stores: the jobs by id; the working state of the jobs with work left ({@link RolloutState});
 * the targets not notified yet ({@code jobId/sequence -> device}); the executions not final yet
 * ({@code jobId/device -> status, start}).
 */
public final class JobCoordinator
    implements Processor<String, CoordinatorSide.In, String, CoordinatorSide.Out> {

  private static final Logger LOG = LoggerFactory.getLogger(JobCoordinator.class);
  private static final StringSerializer KEYS = new StringSerializer();

  private final String jobsStoreName;
  private final String stateStoreName;
  private final String targetsStoreName;
  private final String activeStoreName;
  private final JobLimits limits;
  private final StreamsAppMetrics metrics;
  private ProcessorContext<String, CoordinatorSide.Out> context;
  private KeyValueStore<String, Job> jobs;
  private KeyValueStore<String, String> states;
  private KeyValueStore<String, String> targets;
  private KeyValueStore<String, String> active;

  public JobCoordinator(
      String jobsStoreName,
      String stateStoreName,
      String targetsStoreName,
      String activeStoreName,
      JobLimits limits,
      StreamsAppMetrics metrics) {
    this.jobsStoreName = jobsStoreName;
    this.stateStoreName = stateStoreName;
    this.targetsStoreName = targetsStoreName;
    this.activeStoreName = activeStoreName;
    this.limits = limits;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, CoordinatorSide.Out> context) {
    this.context = context;
    this.jobs = context.getStateStore(jobsStoreName);
    this.states = context.getStateStore(stateStoreName);
    this.targets = context.getStateStore(targetsStoreName);
    this.active = context.getStateStore(activeStoreName);
    context.schedule(limits.tick(), PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  @Override
  public void process(Record<String, CoordinatorSide.In> record) {
    CoordinatorSide.In in = record.value();
    if (in != null && in.event() != null) {
      fromDevices(record.key(), in.event());
    } else {
      JobRequest request = in == null ? null : in.request();
      try {
        request(record.key(), request);
      } catch (InvalidRecordException e) {
        metrics.jobRequest(request == null ? null : request.getOperation(), false);
        throw e; // to the dead-letter topic
      }
      metrics.jobRequest(request.getOperation(), true);
    }
  }

  // ---- job requests

  private void request(String jobId, JobRequest request) {
    if (jobId == null) {
      throw new InvalidRecordException(DeadLetterReason.INVALID_REQUEST, "job request has no key");
    }
    if (request == null) {
      throw new InvalidRecordException(DeadLetterReason.INVALID_REQUEST, "record has no value");
    }
    if (!jobId.equals(request.getJobId())) {
      throw new InvalidRecordException(
          DeadLetterReason.INVALID_REQUEST, "key and jobId differ: " + request.getJobId());
    }
    switch (request.getOperation()) {
      case CREATE -> create(jobId, request.getDefinition());
      case CANCEL -> cancelRequest(jobId, request);
      default ->
          throw new InvalidRecordException(
              DeadLetterReason.INVALID_REQUEST, "job request with an unknown operation");
    }
  }

  private void create(String jobId, JobDefinition definition) {
    if (definition == null || !jobId.equals(definition.getJobId())) {
      throw new InvalidRecordException(
          DeadLetterReason.INVALID_REQUEST, "CREATE needs a definition whose jobId is the key");
    }
    Optional<String> problem = JobValidation.problem(definition, limits);
    if (problem.isPresent()) {
      throw new InvalidRecordException(DeadLetterReason.INVALID_REQUEST, problem.get());
    }
    if (jobs.get(jobId) != null) {
      throw new InvalidRecordException(
          DeadLetterReason.INVALID_REQUEST, "job " + jobId + " exists: a job id is used once");
    }
    long now = context.currentSystemTimeMs();
    int rate = Rollout.initialRate(definition);
    boolean listed = definition.getTargetFilter() == null;
    Set<String> devices = new LinkedHashSet<>(definition.getTargets());
    long sequence = 0;
    for (String device : devices) {
      targets.put(targetKey(jobId, sequence++), device);
    }
    Job job =
        Job.newBuilder()
            .setJobId(jobId)
            .setDefinition(definition)
            .setStatus(JobStatus.IN_PROGRESS)
            .setTargetsResolved(listed)
            .setCurrentRatePerMinute(rate)
            .setProcessDetails(
                JobProcessDetails.newBuilder().setNumberOfTargets(devices.size()).build())
            .setCreatedAt(Instant.ofEpochMilli(now))
            .setLastUpdatedAt(Instant.ofEpochMilli(now))
            .build();
    jobs.put(jobId, job);
    // The first tick notifies at once: one second's worth of credit to start with.
    states.put(
        jobId,
        new RolloutState(Math.max(1.0, rate / 60.0), now, rate, 0, Set.of(), false, 0).toJson());
    LOG.info("job {} created: {}", jobId, listed ? devices.size() + " targets" : "a filter");
    statusChange(job, null, false, now);
    if (!listed) {
      // Every partition of the device side selects its own devices (a broadcast); each answer
      // says how many partitions there are.
      forward(
          jobId,
          new CoordinatorSide.Out(
              JobMessage.resolve(jobId, definition.getTargetFilter(), now), null, null));
    }
    forward(jobId, new CoordinatorSide.Out(null, job, null));
  }

  private void cancelRequest(String jobId, JobRequest request) {
    Job job = jobs.get(jobId);
    if (job == null) {
      throw new InvalidRecordException(DeadLetterReason.INVALID_REQUEST, "no job " + jobId);
    }
    if (job.getStatus() != JobStatus.IN_PROGRESS) {
      throw new InvalidRecordException(
          DeadLetterReason.INVALID_REQUEST,
          "job " + jobId + " is " + job.getStatus() + ": only an IN_PROGRESS job can be canceled");
    }
    String reason = request.getComment() == null ? "CANCELED_BY_REQUEST" : request.getComment();
    cancel(job, reason, false, context.currentSystemTimeMs());
  }

  /** Notifies nobody new, cancels QUEUED executions and tells IN_PROGRESS ones. */
  private Job cancel(Job job, String reason, boolean aborted, long now) {
    String jobId = job.getJobId();
    List<String> notNotified = keys(targets, jobId);
    notNotified.forEach(targets::delete);
    for (KeyValue<String, String> execution : entries(active, jobId)) {
      String device = execution.key.substring(jobId.length() + 1);
      forward(
          device,
          new CoordinatorSide.Out(
              JobMessage.toDevice(JobMessage.Type.CANCEL, jobId, device, now), null, null));
    }
    Job canceled =
        Job.newBuilder(job)
            .setStatus(JobStatus.CANCELED)
            .setReasonCode(reason)
            .setLastUpdatedAt(Instant.ofEpochMilli(now))
            .setCompletedAt(Instant.ofEpochMilli(now))
            .build();
    jobs.put(jobId, canceled);
    LOG.info("job {} canceled ({}): {} targets never notified", jobId, reason, notNotified.size());
    statusChange(canceled, job.getStatus(), aborted, now);
    forward(jobId, new CoordinatorSide.Out(null, canceled, null));
    return canceled;
  }

  // ---- the device side's messages

  private void fromDevices(String key, JobEvent message) {
    String jobId = message.getJobId();
    if (!jobId.equals(key)) {
      throw new InvalidRecordException(
          DeadLetterReason.INVALID_REQUEST, "key and jobId differ: " + jobId);
    }
    Job job = jobs.get(jobId);
    String stateJson = states.get(jobId);
    if (job == null || stateJson == null) {
      LOG.warn("job {}: {} for a job without work left, ignored", jobId, message.getType());
      return;
    }
    RolloutState state = RolloutState.parse(stateJson).withDirty(true);
    long now = context.currentSystemTimeMs();
    switch (message.getType()) {
      case TARGET -> {
        if (job.getStatus() == JobStatus.IN_PROGRESS) {
          // Every target ever queued was counted: the count is the next free sequence.
          long sequence = job.getProcessDetails().getNumberOfTargets();
          targets.put(targetKey(jobId, sequence), message.getDeviceId());
          job =
              withCounts(
                  job,
                  JobProcessDetails.newBuilder(job.getProcessDetails())
                      .setNumberOfTargets(sequence + 1)
                      .build(),
                  now);
        }
      }
      case RESOLVED -> {
        state = state.withResolved(message.getPartition());
        if (state.resolved().size() >= message.getPartitions()) {
          job = Job.newBuilder(job).setTargetsResolved(true).build();
        }
      }
      case CHANGED -> job = changed(job, message, now);
      default ->
          throw new InvalidRecordException(
              DeadLetterReason.INVALID_REQUEST, "job event of an unknown type");
    }
    jobs.put(jobId, job);
    // Written to iot.jobs by the next tick: once a second, not once per execution change.
    settle(job, state, now, false);
  }

  private Job changed(Job job, JobEvent message, long now) {
    JobExecutionStatus from = message.getFrom();
    JobExecutionStatus to = message.getTo();
    if (to == null || to == JobExecutionStatus.UNKNOWN || from == JobExecutionStatus.UNKNOWN) {
      throw new InvalidRecordException(
          DeadLetterReason.INVALID_REQUEST, "CHANGED without a known status: " + from + "->" + to);
    }
    String key = job.getJobId() + "/" + message.getDeviceId();
    if (Executions.isFinal(to)) {
      active.delete(key);
    } else {
      Long startedAt =
          to == JobExecutionStatus.IN_PROGRESS ? message.getOccurredAt().toEpochMilli() : null;
      active.put(key, new Active(to.name(), startedAt, false).toJson());
    }
    Job next = withCounts(job, Counts.move(job.getProcessDetails(), from, to), now);
    if (next.getStatus() == JobStatus.IN_PROGRESS && Executions.isFinal(to)) {
      Optional<String> abort = Rollout.abortReason(next.getDefinition(), next.getProcessDetails());
      if (abort.isPresent()) {
        jobs.put(next.getJobId(), next);
        return cancel(next, abort.get(), true, now);
      }
    }
    return next;
  }

  // ---- the tick: rollout, timeouts, completion

  private void tick(long now) {
    List<KeyValue<String, String>> working = new ArrayList<>();
    try (KeyValueIterator<String, String> all = states.all()) {
      all.forEachRemaining(working::add);
    }
    for (KeyValue<String, String> entry : working) {
      Job job = jobs.get(entry.key);
      RolloutState state = RolloutState.parse(entry.value);
      if (job.getStatus() == JobStatus.IN_PROGRESS) {
        state = roll(job, state, now);
        job = jobs.get(entry.key);
      }
      timeOut(job, now);
      settle(job, state, now, true);
    }
  }

  private RolloutState roll(Job job, RolloutState state, long now) {
    String jobId = job.getJobId();
    double credit = Rollout.credit(state.credit(), state.rate(), now - state.lastTickMs());
    int allowed = (int) Math.floor(credit);
    List<KeyValue<String, String>> next = new ArrayList<>();
    // Targets are numbered from 0 in the order they were queued: read by key from the cursor.
    long sequence = state.nextTarget();
    long queued = job.getProcessDetails().getNumberOfTargets();
    while (next.size() < allowed && sequence < queued) {
      String key = targetKey(jobId, sequence++);
      String device = targets.get(key);
      if (device != null) {
        next.add(KeyValue.pair(key, device));
      }
    }
    for (KeyValue<String, String> target : next) {
      targets.delete(target.key);
      // Tracked from now on, not from the device side's answer: a cancel that overtakes the
      // answer must still reach this execution.
      active.put(
          jobId + "/" + target.value,
          new Active(JobExecutionStatus.QUEUED.name(), null, false).toJson());
      forward(
          target.value,
          new CoordinatorSide.Out(
              JobMessage.notify(jobId, target.value, job.getDefinition().getDocument(), now),
              null,
              null));
    }
    RolloutState after = state.withCredit(credit - next.size(), now).withNextTarget(sequence);
    if (!next.isEmpty()) {
      metrics.jobsNotified(next.size());
      var counts = job.getProcessDetails();
      job =
          withCounts(
              job,
              JobProcessDetails.newBuilder(counts)
                  .setNumberOfNotifiedThings(counts.getNumberOfNotifiedThings() + next.size())
                  .build(),
              now);
      after = after.withDirty(true);
    }
    Optional<Integer> raised =
        Rollout.raised(
            job.getDefinition(), after.rate(), job.getProcessDetails(), after.countAtRaise());
    if (raised.isPresent()) {
      after =
          after.withRate(
              raised.get(), Rollout.increaseCount(job.getDefinition(), job.getProcessDetails()));
      job = Job.newBuilder(job).setCurrentRatePerMinute(raised.get()).build();
      LOG.info("job {}: rollout rate raised to {} per minute", jobId, raised.get());
    }
    jobs.put(jobId, job);
    return after;
  }

  private void timeOut(Job job, long now) {
    Long minutes = job.getDefinition().getInProgressTimeoutMinutes();
    // Only an execution IN_PROGRESS times out: without one, no scan of the job's executions.
    if (minutes == null || job.getProcessDetails().getNumberOfInProgressThings() == 0) {
      return;
    }
    long limitMs = minutes * 60_000L;
    for (KeyValue<String, String> entry : entries(active, job.getJobId())) {
      Active execution = Active.parse(entry.value);
      if (execution.startedAt() == null
          || execution.timeoutSent()
          || now - execution.startedAt() < limitMs) {
        continue;
      }
      String device = entry.key.substring(job.getJobId().length() + 1);
      active.put(entry.key, new Active(execution.status(), execution.startedAt(), true).toJson());
      forward(
          device,
          new CoordinatorSide.Out(
              JobMessage.toDevice(JobMessage.Type.TIMEOUT, job.getJobId(), device, now),
              null,
              null));
    }
  }

  /**
   * Completes a job that has nothing left to do, writes it when it changed (and {@code
   * writeChanged}), and forgets the working state of a job that has no work left.
   */
  private void settle(Job job, RolloutState state, long now, boolean writeChanged) {
    String jobId = job.getJobId();
    // From the counts and the cursor, not by scanning the stores: this runs for every event and
    // for every job on every tick. (notified is counted when the rollout notifies, before the
    // execution's QUEUED comes back.)
    boolean queueEmpty = state.nextTarget() >= job.getProcessDetails().getNumberOfTargets();
    boolean noPending = Counts.unfinished(job.getProcessDetails()) <= 0;
    if (job.getStatus() == JobStatus.IN_PROGRESS
        && job.getTargetsResolved()
        && queueEmpty
        && noPending) {
      Job completed =
          Job.newBuilder(job)
              .setStatus(JobStatus.COMPLETED)
              .setLastUpdatedAt(Instant.ofEpochMilli(now))
              .setCompletedAt(Instant.ofEpochMilli(now))
              .build();
      jobs.put(jobId, completed);
      LOG.info("job {} completed", jobId);
      statusChange(completed, JobStatus.IN_PROGRESS, false, now);
      forward(jobId, new CoordinatorSide.Out(null, completed, null));
      job = completed;
      state = state.withDirty(false);
    }
    boolean done = job.getStatus() != JobStatus.IN_PROGRESS && noPending;
    // A job with no work left has no next tick: its last change is written now.
    if (state.dirty() && (writeChanged || done)) {
      forward(jobId, new CoordinatorSide.Out(null, job, null));
      state = state.withDirty(false);
    }
    if (done) {
      states.delete(jobId);
    } else {
      states.put(jobId, state.toJson());
    }
  }

  // ---- helpers

  private Job withCounts(Job job, JobProcessDetails counts, long now) {
    return Job.newBuilder(job)
        .setProcessDetails(counts)
        .setLastUpdatedAt(Instant.ofEpochMilli(now))
        .build();
  }

  private void statusChange(Job job, JobStatus previous, boolean aborted, long now) {
    metrics.job(job.getStatus(), aborted);
    forward(
        job.getJobId(),
        new CoordinatorSide.Out(
            null,
            null,
            JobStatusChange.newBuilder()
                .setJobId(job.getJobId())
                .setStatus(job.getStatus())
                .setPreviousStatus(previous)
                .setReasonCode(job.getReasonCode())
                .setProcessDetails(job.getProcessDetails())
                .setOccurredAt(Instant.ofEpochMilli(now))
                .build()));
  }

  private void forward(String key, CoordinatorSide.Out out) {
    context.forward(new Record<>(key, out, context.currentSystemTimeMs()));
  }

  private static String targetKey(String jobId, long sequence) {
    return jobId + "/" + String.format("%019d", sequence);
  }

  private static List<String> keys(KeyValueStore<String, String> store, String jobId) {
    return keys(store, jobId, Integer.MAX_VALUE);
  }

  private static List<String> keys(KeyValueStore<String, String> store, String jobId, int most) {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, String> it = store.prefixScan(jobId + "/", KEYS)) {
      while (it.hasNext() && keys.size() < most) {
        keys.add(it.next().key);
      }
    }
    return keys;
  }

  private static List<KeyValue<String, String>> entries(
      KeyValueStore<String, String> store, String jobId) {
    List<KeyValue<String, String>> entries = new ArrayList<>();
    try (KeyValueIterator<String, String> it = store.prefixScan(jobId + "/", KEYS)) {
      it.forEachRemaining(entries::add);
    }
    return entries;
  }

  /** An execution not final yet, as the coordinator tracks it for cancel and timeout. */
  record Active(String status, Long startedAt, boolean timeoutSent) {
    String toJson() {
      try {
        return Json.MAPPER.writeValueAsString(this);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    static Active parse(String json) {
      try {
        return Json.MAPPER.readValue(json, Active.class);
      } catch (IOException e) {
        throw new IllegalStateException("stored execution state is invalid", e);
      }
    }
  }
}
