package org.iotbackbone.streamsapp.internal.streams;

import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowRequest;
import org.iotbackbone.schemas.ShadowResponse;
import org.iotbackbone.schemas.ShadowResponseType;
import org.iotbackbone.streamsapp.ShadowLimits;
import org.iotbackbone.streamsapp.internal.ops.StreamsAppMetrics;
import org.iotbackbone.streamsapp.internal.shadow.InFlightLimiter;
import org.iotbackbone.streamsapp.internal.shadow.Outcome;
import org.iotbackbone.streamsapp.internal.shadow.RecentTokens;
import org.iotbackbone.streamsapp.internal.shadow.ShadowEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies shadow requests to the device records of the store. */
public final class ShadowRequestProcessor
    implements Processor<String, ShadowRequest, String, ShadowOutput> {

  private static final Logger LOG = LoggerFactory.getLogger(ShadowRequestProcessor.class);

  private final String storeName;
  private final String tokenStoreName;
  private final ShadowLimits limits;
  private final ShadowEngine engine;
  private final StreamsAppMetrics metrics;
  private InFlightLimiter limiter;
  private ProcessorContext<String, ShadowOutput> context;
  private KeyValueStore<String, DeviceShadow> store;
  private KeyValueStore<String, String> tokenStore;
  private long latestRequestMs;

  /**
   * @param storeName the store of device records
   * @param tokenStoreName the store of each device's recent clientTokens ({@link RecentTokens})
   * @param metrics where answers and update latencies are counted
   */
  public ShadowRequestProcessor(
      String storeName, String tokenStoreName, ShadowLimits limits, StreamsAppMetrics metrics) {
    this.storeName = storeName;
    this.tokenStoreName = tokenStoreName;
    this.limits = limits;
    this.engine = new ShadowEngine(limits);
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, ShadowOutput> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    this.tokenStore = context.getStateStore(tokenStoreName);
    this.limiter = new InFlightLimiter(limits.maxInFlight(), limits.inFlightWindow());
    // Forget idle devices now and then, so the in-flight counts hold only active ones.
    context.schedule(
        Duration.ofSeconds(30),
        PunctuationType.WALL_CLOCK_TIME,
        now -> limiter.expire(latestRequestMs));
  }

  @Override
  public void process(Record<String, ShadowRequest> record) {
    ShadowRequest request = record.value();
    DeviceIds.check(record.key(), request, request == null ? null : request.getDeviceId());
    latestRequestMs = Math.max(latestRequestMs, request.getRequestedAt().toEpochMilli());
    DeviceShadow current = store.get(record.key());
    // Read the device's tokens only for a request that may carry one (no store read otherwise).
    boolean mayCarryToken =
        limits.clientTokensRemembered() > 0
            && request.getOperation() != ShadowOperation.GET
            && request.getDocument() != null
            && request.getDocument().contains("clientToken");
    RecentTokens tokens =
        !mayCarryToken
            ? null
            : RecentTokens.parse(
                tokenStore.get(record.key()),
                limits.clientTokensRemembered(),
                limits.clientTokenWindow());
    Outcome outcome =
        engine.apply(current, request, limiter, tokens, context.currentSystemTimeMs());
    if (tokens != null && tokens.changed()) {
      tokenStore.put(record.key(), tokens.toJson());
    }
    if (outcome.changed()) {
      if (outcome.next() == null) {
        store.delete(record.key());
      } else {
        store.put(record.key(), outcome.next());
      }
      // From when the request was produced to now, when its shadow is stored (a processing
      // attempt: an aborted transaction's requests are timed again when processed again).
      metrics.shadowWritten(record.timestamp(), context.currentSystemTimeMs());
      context.forward(record.withValue(ShadowOutput.state(outcome.next())));
    }
    for (ShadowResponse response : outcome.responses()) {
      // The answer (one per request, beside the delta and documents notifications) is what the
      // request came to: counted here, where the engine's decision leaves the processor.
      if (response.getType() == ShadowResponseType.ACCEPTED) {
        metrics.shadowAnswered(request.getOperation(), null);
      } else if (response.getType() == ShadowResponseType.REJECTED) {
        metrics.shadowAnswered(request.getOperation(), response.getCode());
      }
      if (response.getCode() != null && LOG.isDebugEnabled()) {
        LOG.debug(
            "device {}: {} rejected with {}",
            record.key(),
            request.getRequestId(),
            response.getCode());
      }
      context.forward(record.withValue(ShadowOutput.response(response)));
    }
  }
}
