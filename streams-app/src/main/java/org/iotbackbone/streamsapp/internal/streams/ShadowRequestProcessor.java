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
import org.iotbackbone.streamsapp.ShadowLimits;
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
  private InFlightLimiter limiter;
  private ProcessorContext<String, ShadowOutput> context;
  private KeyValueStore<String, DeviceShadow> store;
  private KeyValueStore<String, String> tokenStore;
  private long latestRequestMs;

  /**
   * @param storeName the store of device records
   * @param tokenStoreName the store of each device's recent clientTokens ({@link RecentTokens})
   */
  public ShadowRequestProcessor(String storeName, String tokenStoreName, ShadowLimits limits) {
    this.storeName = storeName;
    this.tokenStoreName = tokenStoreName;
    this.limits = limits;
    this.engine = new ShadowEngine(limits);
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
      context.forward(record.withValue(ShadowOutput.state(outcome.next())));
    }
    for (ShadowResponse response : outcome.responses()) {
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
