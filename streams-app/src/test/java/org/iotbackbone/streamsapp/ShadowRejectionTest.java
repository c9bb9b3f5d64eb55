package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iotbackbone.streamsapp.ShadowDriver.json;
import static org.iotbackbone.streamsapp.ShadowDriver.q;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowResponse;
import org.iotbackbone.schemas.ShadowResponseType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rejection of docs/design.md, with AWS's codes; a rejected request changes nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShadowRejectionTest {

  private final ShadowDriver shadows = new ShadowDriver();
  private int deviceCount;
  private String device;

  @BeforeEach
  void newDevice() {
    device = "dev-" + (++deviceCount);
    shadows.responses.readValuesToList();
    shadows.states.readValuesToList();
  }

  @AfterAll
  void close() {
    shadows.close();
  }

  static Stream<Arguments> badUpdates() {
    String deep = "{'a':{'b':{'c':{'d':{'e':{'f':{'g':1}}}}}}}";
    return Stream.of(
        Arguments.of("not JSON", "{'state':", "Payload contains invalid json"),
        Arguments.of("not an object", "[1,2]", "Payload contains invalid json"),
        Arguments.of("duplicate key", "{'state':{},'state':{}}", "Payload contains invalid json"),
        Arguments.of("empty body", "", "Missing required node: state"),
        Arguments.of("no state", "{'version':1}", "Missing required node: state"),
        Arguments.of("state a string", "{'state':'on'}", "State node must be an object"),
        Arguments.of(
            "desired an array", "{'state':{'desired':[1]}}", "Desired node must be an object"),
        Arguments.of(
            "reported a number", "{'state':{'reported':1}}", "Reported node must be an object"),
        Arguments.of(
            "unknown state node",
            "{'state':{'delta':{}}}",
            "State contains an invalid node: 'delta'"),
        Arguments.of("empty state", "{'state':{}}", "State node must contain desired or reported"),
        Arguments.of(
            "version a string", "{'state':{'desired':{}},'version':'1'}", "Invalid version"),
        Arguments.of(
            "version negative", "{'state':{'desired':{}},'version':-1}", "Invalid version"),
        Arguments.of(
            "version a fraction", "{'state':{'desired':{}},'version':1.5}", "Invalid version"),
        Arguments.of(
            "clientToken a number",
            "{'state':{'desired':{}},'clientToken':5}",
            "Invalid clientToken: must be a string"),
        Arguments.of(
            "clientToken 65 bytes",
            "{'state':{'desired':{}},'clientToken':'" + "x".repeat(65) + "'}",
            "clientToken is longer than 64 bytes"),
        Arguments.of(
            "clientToken 33 chars, 66 bytes",
            "{'state':{'desired':{}},'clientToken':'" + "é".repeat(33) + "'}",
            "clientToken is longer than 64 bytes"),
        Arguments.of(
            "desired 7 levels deep",
            "{'state':{'desired':" + deep + "}}",
            "JSON contains too many levels of nesting; maximum is 6"),
        Arguments.of(
            "reported 7 levels through an array",
            "{'state':{'reported':{'a':[{'b':{'c':{'d':{'e':{'f':{'g':1}}}}}}]}}}",
            "JSON contains too many levels of nesting; maximum is 6"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badUpdates")
  void aBadUpdateIsRejectedWith400(String why, String document, String message) {
    shadows.update(device, q(document));
    assertRejected(400, message);
    assertThat(shadows.store().get(device)).isNull();
    assertThat(shadows.states.isEmpty()).isTrue();
  }

  @Test
  void sixLevelsAreAllowed() {
    shadows.update(device, q("{'state':{'desired':{'a':{'b':{'c':{'d':{'e':{'f':1}}}}}}}}"));
    assertThat(shadows.responses().get(0).getType()).isEqualTo(ShadowResponseType.ACCEPTED);
  }

  @Test
  void aClientTokenOf64BytesIsEchoedAndAValidTokenIsEchoedInRejections() {
    String token = "x".repeat(64);
    shadows.update(device, q("{'state':{'desired':{}},'clientToken':'" + token + "'}"));
    assertThat(json(shadows.responses().get(0).getPayload()).get("clientToken").asText())
        .isEqualTo(token);
    shadows.update(device, q("{'state':{'desired':1},'clientToken':'abc'}"));
    assertThat(json(shadows.onlyResponse().getPayload()).get("clientToken").asText())
        .isEqualTo("abc");
  }

  @Test
  void aStateOverTheSizeLimitIsRejectedWith413AndMetadataDoesNotCount() {
    // {"a":"xxx…"} is 8 bytes of JSON around the string.
    String fits = "x".repeat(8 * 1024 - 8);
    shadows.update(device, q("{'state':{'desired':{'a':'" + fits + "'}}}"));
    assertThat(shadows.responses().get(0).getType()).isEqualTo(ShadowResponseType.ACCEPTED);

    shadows.update(device, q("{'state':{'reported':{'b':1}}}"));
    assertRejected(413, "The payload exceeds the maximum size allowed (8192 bytes)");
    assertThat(shadows.store().get(device).getClassic().getVersion()).isEqualTo(1L);
  }

  @Test
  void aDocumentThatWasNotUtf8IsRejectedWith415() {
    shadows.update(device, "{\"state\":{\"desired\":{\"name\":\"caf\uFFFD\"}}}");
    assertRejected(415, "Unsupported documented encoding; supported encoding is UTF-8");
  }

  @Test
  void moreThanTenRequestsInFlightForOneDeviceAreRejectedWith429() {
    Instant at = Instant.parse("2026-11-22T01:00:00Z");
    for (int i = 0; i < 10; i++) {
      shadows.send(
          shadows.request(
              device,
              null,
              ShadowOperation.UPDATE,
              q("{'state':{'reported':{'i':" + i + "}}}"),
              at));
    }
    assertThat(shadows.responses()).noneMatch(r -> r.getType() == ShadowResponseType.REJECTED);

    shadows.send(
        shadows.request(
            device, null, ShadowOperation.GET, q("{'clientToken':'c'}"), at.plusMillis(999)));
    assertRejected(429, "Too many requests");
    // Another device is not slowed down by this one.
    shadows.send(
        shadows.request(
            device + "-other", null, ShadowOperation.UPDATE, q("{'state':{'reported':{}}}"), at));
    assertThat(shadows.responses().get(0).getType()).isEqualTo(ShadowResponseType.ACCEPTED);
    // A window later, the first ones are no longer in flight.
    shadows.send(
        shadows.request(device, null, ShadowOperation.GET, null, at.plus(Duration.ofSeconds(1))));
    assertThat(shadows.onlyResponse().getType()).isEqualTo(ShadowResponseType.ACCEPTED);
  }

  @Test
  void getAndDeleteOfAMissingShadowAreRejectedWith404() {
    shadows.get(device, null, q("{'clientToken':'g'}"));
    assertRejected(404, "No shadow exists with name: '" + device + "'");
    shadows.delete(device, null, null);
    assertRejected(404, "No shadow exists with name: '" + device + "'");
    shadows.update(device, q("{'state':{'reported':{'on':true}}}"));
    shadows.responses();
    shadows.get(device, "config", null);
    assertRejected(404, "No shadow exists with name: 'config'");
    shadows.delete(device, "config", null);
    assertRejected(404, "No shadow exists with name: 'config'");
  }

  @Test
  void aDeleteNamingAnotherVersionIsRejectedWith409() {
    shadows.update(device, q("{'state':{'reported':{'on':true}}}"));
    shadows.responses();
    shadows.delete(device, null, q("{'version':7}"));
    assertRejected(409, "Version conflict");
    assertThat(shadows.store().get(device)).isNotNull();
  }

  @Test
  void anInvalidShadowNameOrOperationIsRejectedWith400() {
    shadows.update(device, "bad name!", q("{'state':{'reported':{'on':true}}}"));
    assertRejected(400, "Invalid shadow name");
    shadows.update(device, "x".repeat(65), q("{'state':{'reported':{'on':true}}}"));
    assertRejected(400, "Invalid shadow name");
    shadows.send(device, null, ShadowOperation.UNKNOWN, null);
    ShadowResponse unknown = shadows.onlyResponse();
    assertThat(unknown.getCode()).isEqualTo(400);
    assertThat(unknown.getOperation()).isEqualTo(ShadowOperation.UNKNOWN);
  }

  @Test
  void theNestingLimitIsConfigurable() {
    ShadowLimits two = new ShadowLimits(2, 8192, 64, 10, Duration.ofSeconds(1));
    try (ShadowDriver shallow = new ShadowDriver(two)) {
      shallow.update("d", q("{'state':{'desired':{'a':{'b':1}}}}"));
      assertThat(shallow.responses().get(0).getType()).isEqualTo(ShadowResponseType.ACCEPTED);
      shallow.update("d", q("{'state':{'desired':{'a':{'b':{'c':1}}}}}"));
      assertThat(shallow.onlyResponse().getPayload()).contains("maximum is 2");
    }
  }

  private void assertRejected(int code, String message) {
    ShadowResponse rejected = shadows.onlyResponse();
    assertThat(rejected.getType()).isEqualTo(ShadowResponseType.REJECTED);
    assertThat(rejected.getCode()).isEqualTo(code);
    assertThat(json(rejected.getPayload()).get("code").asInt()).isEqualTo(code);
    assertThat(json(rejected.getPayload()).get("message").asText()).isEqualTo(message);
  }
}
