package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iotbackbone.streamsapp.ShadowDriver.json;
import static org.iotbackbone.streamsapp.ShadowDriver.q;

import java.util.List;
import org.iotbackbone.schemas.DeviceShadow;
import org.iotbackbone.schemas.RequestSource;
import org.iotbackbone.schemas.ShadowDocument;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowRequest;
import org.iotbackbone.schemas.ShadowResponse;
import org.iotbackbone.schemas.ShadowResponseType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Accepted updates: merge, versions, metadata, documents and delta messages. */
class ShadowUpdateTest {

  private static final long T0 = ShadowDriver.START.getEpochSecond();
  private final ShadowDriver shadows = new ShadowDriver();

  @AfterEach
  void close() {
    shadows.close();
  }

  @Test
  void theFirstUpdateCreatesVersion1AndAnswersAcceptedDocumentsAndDelta() {
    ShadowRequest request =
        shadows.update("lamp-1", q("{'state':{'desired':{'color':'red'}},'clientToken':'t-1'}"));

    List<ShadowResponse> out = shadows.responses();
    assertThat(out)
        .extracting(ShadowResponse::getType)
        .containsExactly(
            ShadowResponseType.ACCEPTED, ShadowResponseType.DOCUMENTS, ShadowResponseType.DELTA);
    ShadowResponse accepted = out.get(0);
    assertThat(accepted.getRequestId()).isEqualTo(request.getRequestId());
    assertThat(accepted.getSource()).isEqualTo(RequestSource.DEVICE);
    assertThat(accepted.getOperation()).isEqualTo(ShadowOperation.UPDATE);
    assertThat(accepted.getVersion()).isEqualTo(1L);
    assertThat(accepted.getCode()).isNull();
    assertThat(json(accepted.getPayload()))
        .isEqualTo(
            json(
                q(
                    "{'state':{'desired':{'color':'red'}},"
                        + "'metadata':{'desired':{'color':{'timestamp':"
                        + T0
                        + "}}},'version':1,'timestamp':"
                        + T0
                        + ",'clientToken':'t-1'}")));
    assertThat(json(out.get(1).getPayload()))
        .isEqualTo(
            json(
                q(
                    "{'previous':null,'current':{'state':{'desired':{'color':'red'}},"
                        + "'metadata':{'desired':{'color':{'timestamp':"
                        + T0
                        + "}}},'version':1},'timestamp':"
                        + T0
                        + ",'clientToken':'t-1'}")));
    assertThat(out.get(1).getRequestId()).isNull();
    assertThat(json(out.get(2).getPayload()))
        .isEqualTo(
            json(
                q(
                    "{'state':{'color':'red'},'metadata':{'color':{'timestamp':"
                        + T0
                        + "}},'version':1,'timestamp':"
                        + T0
                        + ",'clientToken':'t-1'}")));

    DeviceShadow state = shadows.states.readValue();
    assertThat(state.getDeviceId()).isEqualTo("lamp-1");
    assertThat(state.getRevision()).isEqualTo(1L);
    ShadowDocument classic = state.getClassic();
    assertThat(classic.getVersion()).isEqualTo(1L);
    assertThat(json(classic.getDesired())).isEqualTo(json(q("{'color':'red'}")));
    assertThat(classic.getReported()).isNull();
    assertThat(json(classic.getDelta())).isEqualTo(json(q("{'color':'red'}")));
    assertThat(shadows.store().get("lamp-1")).isEqualTo(state);
  }

  @Test
  void objectsMergeArraysAndScalarsReplaceAndNullDeletes() {
    shadows.update(
        "lamp-1",
        q("{'state':{'reported':{'light':{'on':true,'level':5},'modes':[1,2],'fw':'1.0'}}}"));
    shadows.update(
        "lamp-1", q("{'state':{'reported':{'light':{'level':7},'modes':[3],'fw':null}}}"));

    ShadowDocument classic = shadows.store().get("lamp-1").getClassic();
    assertThat(json(classic.getReported()))
        .isEqualTo(json(q("{'light':{'on':true,'level':7},'modes':[3]}")));
    assertThat(json(classic.getMetadata()).path("reported").has("fw")).isFalse();
    assertThat(classic.getVersion()).isEqualTo(2L);
  }

  @Test
  void everyAcceptedUpdateAddsOneToTheVersionEvenWhenNothingChanges() {
    for (int i = 0; i < 3; i++) {
      shadows.update("lamp-1", q("{'state':{'reported':{'on':true}}}"));
    }
    assertThat(shadows.store().get("lamp-1").getClassic().getVersion()).isEqualTo(3L);
    assertThat(shadows.states.readValuesToList())
        .extracting(DeviceShadow::getRevision)
        .containsExactly(1L, 2L, 3L);
  }

  @Test
  void aMatchingVersionIsAcceptedAndAnotherIsRejectedWith409() {
    shadows.update("lamp-1", q("{'state':{'reported':{'on':true}}}"));
    shadows.responses();

    shadows.update("lamp-1", q("{'state':{'reported':{'on':false}},'version':1}"));
    assertThat(shadows.responses().get(0).getVersion()).isEqualTo(2L);

    shadows.update("lamp-1", q("{'state':{'reported':{'on':true}},'version':1,'clientToken':'c'}"));
    ShadowResponse rejected = shadows.onlyResponse();
    assertThat(rejected.getType()).isEqualTo(ShadowResponseType.REJECTED);
    assertThat(rejected.getCode()).isEqualTo(409);
    assertThat(rejected.getVersion()).isEqualTo(2L);
    assertThat(json(rejected.getPayload()))
        .isEqualTo(
            json(
                q(
                    "{'code':409,'message':'Version conflict','timestamp':"
                        + T0
                        + ",'clientToken':'c'}")));
    assertThat(shadows.store().get("lamp-1").getClassic().getVersion()).isEqualTo(2L);
  }

  @Test
  void metadataKeepsTheTimeOfEachLeafsLastUpdate() {
    shadows.update("lamp-1", q("{'state':{'desired':{'a':1,'b':{'c':1}}}}"));
    shadows.advanceSeconds(10);
    shadows.update("lamp-1", q("{'state':{'desired':{'b':{'d':2}}}}"));

    assertThat(json(shadows.store().get("lamp-1").getClassic().getMetadata()))
        .isEqualTo(
            json(
                q(
                    "{'desired':{'a':{'timestamp':"
                        + T0
                        + "},'b':{'c':{'timestamp':"
                        + T0
                        + "},'d':{'timestamp':"
                        + (T0 + 10)
                        + "}}}}")));
  }

  @Test
  void theDeltaIsRecursiveAndSentOnlyWhenItChangesAndIsNotEmpty() {
    shadows.update("lamp-1", q("{'state':{'desired':{'light':{'on':true,'level':5}}}}"));
    assertThat(types(shadows.responses())).contains(ShadowResponseType.DELTA);

    // Reported catches up on one leaf: the delta shrinks, so it is sent again.
    shadows.update("lamp-1", q("{'state':{'reported':{'light':{'on':true,'level':1}}}}"));
    List<ShadowResponse> out = shadows.responses();
    assertThat(types(out)).contains(ShadowResponseType.DELTA);
    assertThat(json(out.get(2).getPayload()).get("state"))
        .isEqualTo(json(q("{'light':{'level':5}}")));

    // A reported change that leaves the delta as it was: no delta message.
    shadows.update("lamp-1", q("{'state':{'reported':{'temp':20}}}"));
    assertThat(types(shadows.responses())).doesNotContain(ShadowResponseType.DELTA);

    // Reported matches desired: the delta is empty, nothing sent.
    shadows.update("lamp-1", q("{'state':{'reported':{'light':{'level':5}}}}"));
    assertThat(types(shadows.responses())).doesNotContain(ShadowResponseType.DELTA);
    assertThat(shadows.store().get("lamp-1").getClassic().getDelta()).isNull();

    // The same desired again changes nothing in the delta: not sent either.
    shadows.update("lamp-1", q("{'state':{'desired':{'light':{'level':5}}}}"));
    assertThat(types(shadows.responses())).doesNotContain(ShadowResponseType.DELTA);
  }

  @Test
  void desiredNullClearsDesiredAndStateNullClearsBoth() {
    shadows.update("lamp-1", q("{'state':{'desired':{'a':1},'reported':{'a':2}}}"));
    shadows.update("lamp-1", q("{'state':{'desired':null}}"));
    ShadowDocument classic = shadows.store().get("lamp-1").getClassic();
    assertThat(classic.getDesired()).isNull();
    assertThat(classic.getDelta()).isNull();
    assertThat(json(classic.getReported())).isEqualTo(json(q("{'a':2}")));

    shadows.update("lamp-1", q("{'state':null}"));
    classic = shadows.store().get("lamp-1").getClassic();
    assertThat(classic.getReported()).isNull();
    assertThat(classic.getMetadata()).isNull();
    assertThat(classic.getVersion()).isEqualTo(3L);
  }

  @Test
  void documentsCarryThePreviousAndTheCurrentDocument() {
    shadows.update("lamp-1", q("{'state':{'reported':{'on':true}}}"));
    shadows.responses();
    shadows.update("lamp-1", q("{'state':{'reported':{'on':false}}}"));
    ShadowResponse documents = shadows.responses().get(1);
    assertThat(documents.getType()).isEqualTo(ShadowResponseType.DOCUMENTS);
    assertThat(json(documents.getPayload()).at("/previous/state/reported/on").asBoolean()).isTrue();
    assertThat(json(documents.getPayload()).at("/previous/version").asLong()).isEqualTo(1);
    assertThat(json(documents.getPayload()).at("/current/state/reported/on").asBoolean()).isFalse();
    assertThat(json(documents.getPayload()).at("/current/version").asLong()).isEqualTo(2);
  }

  @Test
  void aCloudUpdateIsAnsweredToTheCloudWithItsRequestId() {
    ShadowRequest request =
        ShadowRequest.newBuilder(
                shadows.request(
                    "lamp-1",
                    null,
                    ShadowOperation.UPDATE,
                    q("{'state':{'desired':{'on':true}}}"),
                    ShadowDriver.START))
            .setSource(RequestSource.CLOUD)
            .build();
    shadows.send(request);
    ShadowResponse accepted = shadows.responses().get(0);
    assertThat(accepted.getSource()).isEqualTo(RequestSource.CLOUD);
    assertThat(accepted.getRequestId()).isEqualTo(request.getRequestId());
  }

  private static List<ShadowResponseType> types(List<ShadowResponse> responses) {
    return responses.stream().map(ShadowResponse::getType).toList();
  }
}
