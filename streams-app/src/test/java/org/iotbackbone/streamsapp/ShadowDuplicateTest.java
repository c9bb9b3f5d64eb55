package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iotbackbone.streamsapp.ShadowDriver.json;
import static org.iotbackbone.streamsapp.ShadowDriver.q;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.iotbackbone.schemas.ShadowRequest;
import org.iotbackbone.schemas.ShadowResponse;
import org.iotbackbone.schemas.ShadowResponseType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redelivered requests (issue 16, hole 7a): MQTT's at-least-once uplink can bring the same update
 * twice; with a clientToken it is applied once and the redelivery gets the first answer.
 */
class ShadowDuplicateTest {

  private final ShadowDriver shadows = new ShadowDriver();

  @AfterEach
  void close() {
    shadows.close();
  }

  @Test
  void aRedeliveredUpdateIsAnsweredWithItsFirstAnswerAndNotAppliedAgain() {
    ShadowRequest first =
        shadows.update("d", q("{'state':{'desired':{'on':true}},'clientToken':'t-1'}"));
    List<ShadowResponse> firstAnswers = shadows.responses();
    ShadowResponse accepted = firstAnswers.get(0);
    assertThat(accepted.getType()).isEqualTo(ShadowResponseType.ACCEPTED);
    assertThat(shadows.states.readValuesToList()).hasSize(1);
    shadows.advanceSeconds(5);

    ShadowRequest again = shadows.redeliver(first);

    ShadowResponse replayed = shadows.onlyResponse(); // no documents, no delta a second time
    assertThat(replayed.getType()).isEqualTo(ShadowResponseType.ACCEPTED);
    assertThat(replayed.getRequestId()).isEqualTo(again.getRequestId());
    assertThat(replayed.getVersion()).isEqualTo(1L);
    assertThat(json(replayed.getPayload())).isEqualTo(json(accepted.getPayload()));
    assertThat(shadows.states.isEmpty()).isTrue();
    assertThat(shadows.store().get("d").getClassic().getVersion()).isEqualTo(1L);

    // The device goes on with the version it was told: no 409 for an update that succeeded.
    shadows.update("d", q("{'state':{'reported':{'on':true}},'version':1}"));
    ShadowResponse next = shadows.responses().get(0);
    assertThat(next.getType()).isEqualTo(ShadowResponseType.ACCEPTED);
    assertThat(next.getVersion()).isEqualTo(2L);
  }

  @Test
  void aRedeliveredVersionedUpdateIsNotAConflict() {
    shadows.update("d", q("{'state':{'reported':{'n':1}}}"));
    shadows.responses();
    ShadowRequest first =
        shadows.update("d", q("{'state':{'reported':{'n':2}},'version':1,'clientToken':'v'}"));
    assertThat(shadows.responses().get(0).getVersion()).isEqualTo(2L);

    shadows.redeliver(first);

    ShadowResponse replayed = shadows.onlyResponse();
    assertThat(replayed.getType()).isEqualTo(ShadowResponseType.ACCEPTED);
    assertThat(replayed.getCode()).isNull();
    assertThat(replayed.getVersion()).isEqualTo(2L);
  }

  @Test
  void aRedeliveredDeleteIsAnsweredAsTheFirstNotWith404() {
    shadows.update("d", "cfg", q("{'state':{'desired':{'a':1}}}"));
    shadows.responses();
    ShadowRequest delete = shadows.delete("d", "cfg", q("{'clientToken':'del'}"));
    ShadowResponse first = shadows.onlyResponse();

    shadows.redeliver(delete);

    ShadowResponse replayed = shadows.onlyResponse();
    assertThat(replayed.getType()).isEqualTo(ShadowResponseType.ACCEPTED);
    assertThat(json(replayed.getPayload())).isEqualTo(json(first.getPayload()));
  }

  @Test
  void theSameTokenWithAnotherBodyOrAnotherShadowIsANewRequest() {
    shadows.update("d", q("{'state':{'desired':{'n':1}},'clientToken':'same'}"));
    shadows.update("d", q("{'state':{'desired':{'n':2}},'clientToken':'same'}"));
    shadows.update("d", "other", q("{'state':{'desired':{'n':2}},'clientToken':'same'}"));
    assertThat(shadows.store().get("d").getClassic().getVersion()).isEqualTo(2L);
    assertThat(shadows.store().get("d").getNamed().get("other").getVersion()).isEqualTo(1L);
  }

  @Test
  void whatIsNotDeduplicatedIsAppliedAgain() {
    // No clientToken: nothing tells a redelivery from a second, equal update (README says so).
    ShadowRequest plain = shadows.update("d", q("{'state':{'desired':{'on':true}}}"));
    shadows.redeliver(plain);
    assertThat(shadows.store().get("d").getClassic().getVersion()).isEqualTo(2L);

    // A redelivery after the window is a new request too.
    ShadowRequest tokened =
        shadows.update("d", q("{'state':{'desired':{'on':false}},'clientToken':'late'}"));
    shadows.advanceRequestClock(
        ShadowLimits.DEFAULT_CLIENT_TOKEN_WINDOW.plus(Duration.ofSeconds(1)));
    shadows.redeliver(tokened);
    assertThat(shadows.store().get("d").getClassic().getVersion()).isEqualTo(4L);
  }

  @Test
  void aRejectedRequestIsNotRememberedAndOnlyTheLatestTokensAreKept() {
    ShadowRequest conflict =
        shadows.update("d", q("{'state':{'desired':{'a':1}},'version':7,'clientToken':'c'}"));
    assertThat(shadows.onlyResponse().getCode()).isEqualTo(409);
    shadows.redeliver(conflict);
    assertThat(shadows.onlyResponse().getCode()).isEqualTo(409);

    try (ShadowDriver small =
        new ShadowDriver(ShadowLimits.defaults().withClientTokens(2, Duration.ofMinutes(10)))) {
      ShadowRequest oldest =
          small.update("e", q("{'state':{'desired':{'a':1}},'clientToken':'1'}"));
      small.update("e", q("{'state':{'desired':{'a':2}},'clientToken':'2'}"));
      small.update("e", q("{'state':{'desired':{'a':3}},'clientToken':'3'}"));
      small.redeliver(oldest); // forgotten: only two are kept
      assertThat(small.store().get("e").getClassic().getVersion()).isEqualTo(4L);
      JsonNode kept =
          json(
              small
                  .driver
                  .<String, String>getKeyValueStore(ShadowTopology.CLIENT_TOKEN_STORE)
                  .get("e"));
      assertThat(kept.get("entries")).hasSize(2);
    }
  }
}
