package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iotbackbone.streamsapp.ShadowDriver.json;
import static org.iotbackbone.streamsapp.ShadowDriver.q;

import java.time.Duration;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.ShadowResponse;
import org.iotbackbone.schemas.ShadowResponseType;
import org.junit.jupiter.api.Test;

/**
 * A device's record is bounded (issue 16, hole 6): the number of named shadows and the serialized
 * size of all of them together, so that the store, the changelog and ScyllaDB hold the same record.
 */
class ShadowDeviceLimitsTest {

  @Test
  void aNamedShadowOverTheCapIsRejectedWith400AndTheOthersStillWork() {
    try (ShadowDriver shadows =
        new ShadowDriver(ShadowLimits.defaults().withDeviceCaps(2, 512 * 1024))) {
      shadows.update("d", "a", q("{'state':{'desired':{'x':1}}}"));
      shadows.update("d", "b", q("{'state':{'desired':{'x':1}}}"));
      shadows.responses();
      shadows.states.readValuesToList();

      shadows.update("d", "c", q("{'state':{'desired':{'x':1}},'clientToken':'tok'}"));
      ShadowResponse rejected = shadows.onlyResponse();
      assertThat(rejected.getType()).isEqualTo(ShadowResponseType.REJECTED);
      assertThat(rejected.getCode()).isEqualTo(400);
      assertThat(json(rejected.getPayload()).get("message").asText())
          .contains("maximum number of named shadows (2)");
      assertThat(json(rejected.getPayload()).get("clientToken").asText()).isEqualTo("tok");
      assertThat(shadows.states.isEmpty()).isTrue();
      assertThat(shadows.store().get("d").getNamed()).containsOnlyKeys("a", "b");

      // Existing named shadows and the classic one are not counted against new ones.
      shadows.update("d", "a", q("{'state':{'desired':{'x':2}}}"));
      shadows.update("d", q("{'state':{'desired':{'x':2}}}"));
      assertThat(shadows.responses())
          .filteredOn(r -> r.getType() == ShadowResponseType.ACCEPTED)
          .hasSize(2);

      // Delete one, and there is room again.
      shadows.delete("d", "b", null);
      shadows.update("d", "c", q("{'state':{'desired':{'x':1}}}"));
      assertThat(shadows.store().get("d").getNamed()).containsOnlyKeys("a", "c");
    }
  }

  @Test
  void anUpdateThatWouldMakeTheRecordTooLargeIsRejectedWith413() {
    ShadowLimits limits =
        new ShadowLimits(6, 1024, 64, 1000, Duration.ofSeconds(1)).withDeviceCaps(1000, 8 * 1024);
    try (ShadowDriver shadows = new ShadowDriver(limits)) {
      String value = "v".repeat(900); // each shadow under its own 1 KiB limit
      int accepted = 0;
      ShadowResponse last = null;
      for (int i = 0; i < 50 && (last == null || last.getCode() == null); i++) {
        shadows.update("d", "s" + i, q("{'state':{'reported':{'big':'" + value + "'}}}"));
        last = shadows.responses().get(0);
        if (last.getType() == ShadowResponseType.ACCEPTED) {
          accepted++;
        }
      }
      assertThat(last.getCode()).isEqualTo(413);
      assertThat(json(last.getPayload()).get("message").asText()).contains("8192 bytes");
      assertThat(accepted).isBetween(4, 8);
      DeviceShadow stored = shadows.store().get("d");
      assertThat(stored.getNamed()).hasSize(accepted);
      byte[] bytes = new PlainAvroSerde<>(DeviceShadow.class).serializer().serialize("t", stored);
      assertThat(bytes.length + 5).isLessThanOrEqualTo(8 * 1024);

      // Growing an existing shadow is refused the same way; shrinking one is fine.
      shadows.update("d", "s0", q("{'state':{'desired':{'more':'" + value + "'}}}"));
      assertThat(shadows.responses().get(0).getCode()).isEqualTo(413);
      shadows.update("d", "s0", q("{'state':{'reported':{'big':null}}}"));
      assertThat(shadows.responses().get(0).getType()).isEqualTo(ShadowResponseType.ACCEPTED);
    }
  }
}
