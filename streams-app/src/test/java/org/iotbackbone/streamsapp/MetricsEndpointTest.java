package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.streamsapp.internal.auth.TestTokens;
import org.iotbackbone.streamsapp.internal.ops.StreamsAppMetrics;
import org.iotbackbone.streamsapp.internal.rest.HttpApi;
import org.iotbackbone.streamsapp.internal.rest.TestHttpLimits;
import org.iotbackbone.streamsapp.internal.streams.DeadLetterHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code GET /metrics} on the API's server, without Kafka: the JVM's series, those of a Kafka
 * Streams client that was made (not started: it needs no broker to have its metrics) and the app's
 * own, without a token, while the app's routes still refuse a request without one.
 */
@Timeout(60)
class MetricsEndpointTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void metricsAnswerWithoutATokenWhileTheAppsRoutesNeedOne() throws Exception {
    Path stateDir = Files.createTempDirectory("metrics-endpoint");
    try (StreamsAppMetrics metrics = new StreamsAppMetrics()) {
      metrics.bindJvm();
      KafkaStreams streams =
          new KafkaStreams(
              ShadowTopology.build(PlainAvroSerde.shadowSerdes(), ShadowLimits.defaults(), metrics),
              properties(stateDir, metrics));
      try (HttpApi api =
          new HttpApi(
              "127.0.0.1", 0, TestHttpLimits.SMALL, new TestTokens().security(), metrics::scrape)) {
        metrics.bind(streams);
        metrics.shadowAnswered(ShadowOperation.UPDATE, 409);

        HttpResponse<String> scrape = get(api, "/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type").orElseThrow())
            .startsWith("text/plain; version=0.0.4");
        assertThat(scrape.body())
            .contains(
                "jvm_memory_used_bytes{",
                "jvm_threads_live_threads ",
                "jvm_classes_loaded_classes ",
                "process_cpu_usage ",
                "process_uptime_seconds ",
                "kafka_consumer_fetch_manager_records_lag_max{",
                "kafka_stream_thread_commit_latency_avg{",
                "kafka_stream_thread_process_rate{",
                "streams_state 0.0", // CREATED, not RUNNING
                "streams_restore_remaining_records 0.0",
                "streams_restored_records_total 0.0",
                "shadow_update_seconds_count 0",
                // Known label values from 0: a panel reads 0 before the first one, not no data.
                "streams_deadletters_total{origin=\"iot.shadow.requests\","
                    + "reason=\"DESERIALIZATION_FAILED\"} 0.0",
                "commands_total{status=\"SUCCEEDED\"} 0.0",
                "shadow_updates_total{code=\"\",operation=\"GET\",outcome=\"accepted\"} 0.0",
                "shadow_updates_total{code=\"409\",operation=\"UPDATE\",outcome=\"rejected\"} 1.0");

        assertThat(get(api, "/devices").statusCode()).isEqualTo(401);
        assertThat(get(api, "/devices/lamp-1/shadow").statusCode()).isEqualTo(401);
      } finally {
        streams.close(Duration.ofSeconds(10));
      }
    } finally {
      org.apache.kafka.common.utils.Utils.delete(stateDir.toFile());
    }
  }

  private static Properties properties(Path stateDir, StreamsAppMetrics metrics) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-endpoint");
    // Never reached: the client is made, not started.
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.putAll(StreamsApp.errorHandlingConfig(metrics));
    props.put(
        DeadLetterHandler.SERIALIZER_CONFIG, PlainAvroSerde.DeadLetterSerializer.class.getName());
    return props;
  }

  private HttpResponse<String> get(HttpApi api, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
