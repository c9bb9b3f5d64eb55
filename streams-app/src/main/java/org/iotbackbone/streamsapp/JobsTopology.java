package org.iotbackbone.streamsapp;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.streamsapp.internal.jobs.CoordinatorSide;
import org.iotbackbone.streamsapp.internal.jobs.DeviceJobsProcessor;
import org.iotbackbone.streamsapp.internal.jobs.DeviceSide;
import org.iotbackbone.streamsapp.internal.jobs.JobCoordinator;
import org.iotbackbone.streamsapp.internal.jobs.OrderRouting;
import org.iotbackbone.streamsapp.internal.ops.StreamsAppMetrics;

/**
 * The jobs topology (docs/design.md, "Jobs"), added to the shadows' builder because the device side
 * reads the shadow store to resolve target filters. A pure factory, like {@link ShadowTopology}.
 *
 * <p>The coordinator, keyed by job id, reads {@code iot.job.requests} and {@code iot.job.events}
 * and writes {@code iot.jobs}, {@code iot.job.status} and, through the internal topic {@link
 * #JOBS_TO_DEVICES} (by device id; a filter to every partition), its orders to the device side. The
 * device side, keyed by device id in the shadows' sub-topology, reads those and {@code
 * iot.job.execution.requests} and writes {@code iot.job.executions}, {@code iot.job.responses} and
 * {@code iot.job.events}.
 */
public final class JobsTopology {

  /** Jobs (Job) by job id. */
  public static final String JOBS_STORE = "jobs";

  /** The working state of jobs with work left (JSON) by job id. */
  public static final String JOB_STATE_STORE = "job-rollout";

  /** Targets not notified yet: {@code jobId/sequence -> device id}. */
  public static final String JOB_TARGETS_STORE = "job-targets";

  /** Executions not final yet, as the coordinator tracks them: {@code jobId/device -> JSON}. */
  public static final String JOB_ACTIVE_STORE = "job-active-executions";

  /** Each device's executions (DeviceJobExecutions) by device id. */
  public static final String DEVICE_JOBS_STORE = "device-job-executions";

  /** The internal topic from the coordinator to the device side. */
  public static final String JOBS_TO_DEVICES = "jobs-to-devices";

  private JobsTopology() {}

  /** The shadow topology and the jobs topology, in one. */
  public static Topology build(
      ShadowSerdes shadowSerdes,
      ShadowLimits shadowLimits,
      CommandLimits commandLimits,
      JobsSerdes serdes,
      JobLimits limits,
      StreamsAppMetrics metrics) {
    StreamsBuilder builder = new StreamsBuilder();
    ShadowTopology.addTo(builder, shadowSerdes, shadowLimits, commandLimits, metrics);
    addTo(builder, serdes, limits, metrics);
    return builder.build();
  }

  /**
   * Adds the jobs to a builder that has the shadows' store ({@link ShadowTopology#addTo}), counting
   * requests, notifications and executions in {@code metrics}.
   */
  public static void addTo(
      StreamsBuilder builder, JobsSerdes serdes, JobLimits limits, StreamsAppMetrics metrics) {
    Serde<String> ids = Serdes.String();
    builder.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(JOBS_STORE), ids, serdes.jobs())
            // A running job changes with every execution; the cache writes it once per commit.
            .withCachingEnabled());
    for (String store : new String[] {JOB_STATE_STORE, JOB_TARGETS_STORE, JOB_ACTIVE_STORE}) {
      builder.addStateStore(
          Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), ids, ids));
    }
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(DEVICE_JOBS_STORE), ids, serdes.executions()));

    // The coordinator: requests and the device side's events, one job per key.
    KStream<String, CoordinatorSide.In> requests =
        builder.stream(Topics.JOB_REQUESTS.name(), Consumed.with(ids, serdes.requests()))
            .mapValues(request -> CoordinatorSide.In.of(request), Named.as("job-requests-in"));
    KStream<String, CoordinatorSide.In> events =
        builder.stream(Topics.JOB_EVENTS.name(), Consumed.with(ids, serdes.events()))
            .mapValues(event -> CoordinatorSide.In.of(event), Named.as("job-events-in"));
    KStream<String, CoordinatorSide.Out> decided =
        requests
            .merge(events, Named.as("coordinator-inputs"))
            .process(
                () ->
                    new JobCoordinator(
                        JOBS_STORE,
                        JOB_STATE_STORE,
                        JOB_TARGETS_STORE,
                        JOB_ACTIVE_STORE,
                        limits,
                        metrics),
                Named.as("coordinate-jobs"),
                JOBS_STORE,
                JOB_STATE_STORE,
                JOB_TARGETS_STORE,
                JOB_ACTIVE_STORE);
    decided
        .filter((job, out) -> out.job() != null, Named.as("job-records"))
        .mapValues(CoordinatorSide.Out::job, Named.as("job-values"))
        .to(Topics.JOBS.name(), Produced.with(ids, serdes.jobs()));
    decided
        .filter((job, out) -> out.statusChange() != null, Named.as("job-status-changes"))
        .mapValues(CoordinatorSide.Out::statusChange, Named.as("job-status-values"))
        .to(Topics.JOB_STATUS.name(), Produced.with(ids, serdes.statusChanges()));

    // Orders for devices, by device id; a filter to resolve goes to every partition.
    OrderRouting routing = new OrderRouting();
    KStream<String, DeviceSide.In> orders =
        decided
            .filter((key, out) -> out.toDevices() != null, Named.as("orders"))
            .mapValues(CoordinatorSide.Out::toDevices, Named.as("order-values"))
            .repartition(
                Repartitioned.with(ids, routing.serde())
                    .withName(JOBS_TO_DEVICES)
                    .withStreamPartitioner(routing))
            .mapValues(order -> DeviceSide.In.of(order), Named.as("orders-in"));
    KStream<String, DeviceSide.In> deviceRequests =
        builder.stream(
                Topics.JOB_EXECUTION_REQUESTS.name(),
                Consumed.with(ids, serdes.executionRequests()))
            .mapValues(request -> DeviceSide.In.of(request), Named.as("job-execution-requests-in"));

    // The device side: in the shadows' sub-topology (it reads their store), one device per key.
    KStream<String, DeviceSide.Out> applied =
        deviceRequests
            .merge(orders, Named.as("device-job-inputs"))
            .process(
                () ->
                    new DeviceJobsProcessor(
                        DEVICE_JOBS_STORE, ShadowTopology.SHADOW_STORE, limits, metrics),
                Named.as("apply-job-executions"),
                DEVICE_JOBS_STORE,
                ShadowTopology.SHADOW_STORE);
    applied
        .filter((device, out) -> out.executions() != null, Named.as("job-executions"))
        .mapValues(DeviceSide.Out::executions, Named.as("job-execution-values"))
        .to(Topics.JOB_EXECUTIONS.name(), Produced.with(ids, serdes.executions()));
    applied
        .filter((device, out) -> out.response() != null, Named.as("job-responses"))
        .mapValues(DeviceSide.Out::response, Named.as("job-response-values"))
        .to(Topics.JOB_RESPONSES.name(), Produced.with(ids, serdes.responses()));
    applied
        .filter((job, out) -> out.event() != null, Named.as("job-event-records"))
        .mapValues(DeviceSide.Out::event, Named.as("job-event-values"))
        .to(Topics.JOB_EVENTS.name(), Produced.with(ids, serdes.events()));
  }
}
