package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iotbackbone.streamsapp.ShadowDriver.json;
import static org.iotbackbone.streamsapp.ShadowDriver.q;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowResponse;
import org.iotbackbone.schemas.ShadowResponseType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Get, delete, named shadows and the tombstone. */
class ShadowGetDeleteNamedTest {

  private static final long T0 = ShadowDriver.START.getEpochSecond();
  private final ShadowDriver shadows = new ShadowDriver();

  @AfterEach
  void close() {
    shadows.close();
  }

  @Test
  void getAnswersTheWholeDocumentWithDeltaMetadataVersionAndClientToken() {
    shadows.update(
        "d", q("{'state':{'desired':{'on':true,'level':3},'reported':{'on':false,'level':3}}}"));
    shadows.responses();
    shadows.states.readValuesToList();
    shadows.get("d", null, q("{'clientToken':'g-1'}"));

    ShadowResponse accepted = shadows.onlyResponse();
    assertThat(accepted.getOperation()).isEqualTo(ShadowOperation.GET);
    assertThat(accepted.getType()).isEqualTo(ShadowResponseType.ACCEPTED);
    assertThat(accepted.getVersion()).isEqualTo(1L);
    String ts = "{'timestamp':" + T0 + "}";
    assertThat(json(accepted.getPayload()))
        .isEqualTo(
            json(
                q(
                    "{'state':{'desired':{'on':true,'level':3},'reported':{'on':false,'level':3},"
                        + "'delta':{'on':true}},'metadata':{'desired':{'on':"
                        + ts
                        + ",'level':"
                        + ts
                        + "},'reported':{'on':"
                        + ts
                        + ",'level':"
                        + ts
                        + "}},'version':1,'timestamp':"
                        + T0
                        + ",'clientToken':'g-1'}")));
    // A get changes nothing.
    assertThat(shadows.states.isEmpty()).isTrue();
  }

  @Test
  void namedShadowsAreIndependentOfTheClassicShadowAndOfEachOther() {
    shadows.update("d", q("{'state':{'reported':{'on':true}}}"));
    shadows.update("d", "config", q("{'state':{'desired':{'volume':5}}}"));
    shadows.update("d", "config", q("{'state':{'desired':{'volume':6}}}"));
    shadows.update("d", "fw", q("{'state':{'reported':{'v':'1.2'}}}"));

    List<ShadowResponse> out = shadows.responses();
    assertThat(out)
        .filteredOn(r -> "config".equals(r.getShadowName()))
        .extracting(ShadowResponse::getVersion)
        .contains(1L, 2L);
    DeviceShadow record = shadows.store().get("d");
    assertThat(record.getClassic().getVersion()).isEqualTo(1L);
    assertThat(record.getNamed()).containsOnlyKeys("config", "fw");
    assertThat(record.getNamed().get("config").getVersion()).isEqualTo(2L);
    assertThat(json(record.getNamed().get("config").getDelta())).isEqualTo(json(q("{'volume':6}")));
    assertThat(record.getRevision()).isEqualTo(4L);

    shadows.get("d", "fw", null);
    JsonNode fw = json(shadows.onlyResponse().getPayload());
    assertThat(fw.at("/state/reported/v").asText()).isEqualTo("1.2");
    assertThat(fw.has("clientToken")).isFalse();
  }

  @Test
  void deletingAShadowKeepsTheOthersAndDeletingTheLastOneSendsATombstone() {
    shadows.update("d", q("{'state':{'reported':{'on':true}}}"));
    shadows.update("d", "config", q("{'state':{'desired':{'volume':5}}}"));
    shadows.states.readValuesToList();
    shadows.responses();

    shadows.delete("d", null, q("{'clientToken':'del'}"));
    ShadowResponse deleted = shadows.onlyResponse();
    assertThat(deleted.getOperation()).isEqualTo(ShadowOperation.DELETE);
    assertThat(json(deleted.getPayload()))
        .isEqualTo(json(q("{'version':1,'timestamp':" + T0 + ",'clientToken':'del'}")));
    DeviceShadow afterFirst = shadows.states.readValue();
    assertThat(afterFirst.getClassic()).isNull();
    assertThat(afterFirst.getNamed()).containsOnlyKeys("config");

    shadows.delete("d", "config", q("{'version':1}"));
    assertThat(shadows.onlyResponse().getType()).isEqualTo(ShadowResponseType.ACCEPTED);
    var tombstone = shadows.states.readRecord();
    assertThat(tombstone.key()).isEqualTo("d");
    assertThat(tombstone.value()).isNull();
    assertThat(shadows.store().get("d")).isNull();

    // A new shadow starts again at version 1.
    shadows.update("d", q("{'state':{'reported':{'on':true}}}"));
    assertThat(shadows.store().get("d").getClassic().getVersion()).isEqualTo(1L);
  }
}
