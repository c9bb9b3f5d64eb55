package org.iotbackbone.streamsapp.internal.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import org.apache.kafka.streams.KafkaStreams.State;
import org.iotbackbone.streamsapp.internal.auth.TestTokens;
import org.iotbackbone.streamsapp.internal.ops.StreamsAppMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HealthTest {

  @ParameterizedTest
  @EnumSource(State.class)
  void aliveUnlessInErrorOrStoppingReadyOnlyWhenRunning(State state) {
    boolean alive = EnumSet.of(State.CREATED, State.REBALANCING, State.RUNNING).contains(state);

    assertThat(Health.alive(state)).isEqualTo(alive);
    assertThat(Health.ready(state)).isEqualTo(state == State.RUNNING);
  }

  @Test
  void beforeStreamsStartsTheProcessIsAliveButNotReady() throws Exception {
    assertThat(Health.alive(null)).isTrue();
    assertThat(Health.ready(null)).isFalse();

    try (HttpApi api =
        new HttpApi(
            "127.0.0.1",
            0,
            TestHttpLimits.SMALL,
            new TestTokens().security(),
            new StreamsAppMetrics()::scrape)) {
      answersStartingBeforeAttach(api);
    }
  }

  private static void answersStartingBeforeAttach(HttpApi api) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> health =
        client.send(get(api, "/health"), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> ready =
        client.send(get(api, "/ready"), HttpResponse.BodyHandlers.ofString());

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"state\":\"STARTING\"");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).contains("\"state\":\"STARTING\"");
  }

  private static HttpRequest get(HttpApi api, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).build();
  }
}
