package org.iotbackbone.streamsapp.internal.streams;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.PresenceEvent;
import org.iotbackbone.streamsapp.internal.shadow.PresenceRules;

/** Records presence events in the device records of the store. */
public final class PresenceProcessor
    implements Processor<String, PresenceEvent, String, ShadowOutput> {

  private final String storeName;
  private ProcessorContext<String, ShadowOutput> context;
  private KeyValueStore<String, DeviceShadow> store;

  public PresenceProcessor(String storeName) {
    this.storeName = storeName;
  }

  @Override
  public void init(ProcessorContext<String, ShadowOutput> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, PresenceEvent> record) {
    PresenceEvent event = record.value();
    DeviceIds.check(record.key(), event, event == null ? null : event.getDeviceId());
    DeviceShadow next =
        PresenceRules.apply(store.get(record.key()), event, context.currentSystemTimeMs());
    if (next != null) {
      store.put(record.key(), next);
      context.forward(record.withValue(ShadowOutput.state(next)));
    }
  }
}
