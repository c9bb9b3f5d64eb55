package org.iotbackbone.streamsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.iotbackbone.schemas.DeadLetter;
import org.iotbackbone.schemas.RequestSource;
import org.iotbackbone.schemas.ShadowOperation;
import org.iotbackbone.schemas.ShadowRequest;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.streamsapp.internal.ops.StreamsAppMetrics;
import org.iotbackbone.streamsapp.internal.streams.DeadLetterHandler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The topology with its production serdes against a real HTTP endpoint that answers every registry
 * call with 503 (hole 5): reading a request and writing its output both fail the task, to be
 * retried, and nothing goes to the dead-letter topic. Whatever the body of the 503: a registry's
 * problem document or a load balancer's HTML page.
 */
class RegistryAnswering503Test {

  @ParameterizedTest
  @CsvSource({
    "application/problem+json, '{\"status\":503,\"title\":\"restarting\"}'",
    "text/html, '<html><body>503 Service Unavailable</body></html>'",
    "text/plain, ''"
  })
  void aShadowRequestIsRetriedNotDeadLetteredWhileTheRegistryAnswers503(String type, String body)
      throws IOException {
    AtomicInteger calls = new AtomicInteger();
    HttpServer registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    registry.createContext(
        "/",
        exchange -> {
          calls.incrementAndGet();
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", type);
          exchange.sendResponseHeaders(503, bytes.length == 0 ? -1 : bytes.length);
          if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
          }
          exchange.close();
        });
    registry.start();
    Path stateDir = Files.createTempDirectory("registry-503");
    try {
      String url = "http://127.0.0.1:" + registry.getAddress().getPort() + "/apis/registry/v3";
      ShadowSerdes real = ShadowSerdes.registry(RegistryConfig.of(url));
      ShadowSerdes plain = PlainAvroSerde.shadowSerdes();
      byte[] avro = plain.requests().serializer().serialize("t", request());
      byte[] framed = new byte[avro.length + 5];
      framed[4] = 7; // content id 7, which only the registry knows
      System.arraycopy(avro, 0, framed, 5, avro.length);

      // Reading: the request's schema must be fetched.
      assertRetriedNotDeadLettered(real, stateDir.resolve("read"), framed);
      // Writing: the request is read without the registry, its outputs need it.
      ShadowSerdes writeOnly =
          new ShadowSerdes(
              plain.requests(),
              plain.presence(),
              real.shadows(),
              real.responses(),
              plain.commands(),
              plain.commandEvents());
      assertRetriedNotDeadLettered(writeOnly, stateDir.resolve("write"), avro);
      assertThat(calls.get()).isPositive();
    } finally {
      registry.stop(0);
      org.apache.kafka.common.utils.Utils.delete(stateDir.toFile());
    }
  }

  private static void assertRetriedNotDeadLettered(ShadowSerdes serdes, Path dir, byte[] value) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "registry-503");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
    StreamsAppMetrics metrics = new StreamsAppMetrics();
    props.putAll(StreamsApp.errorHandlingConfig(metrics));
    props.put(
        DeadLetterHandler.SERIALIZER_CONFIG, PlainAvroSerde.DeadLetterSerializer.class.getName());
    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            ShadowTopology.build(serdes, ShadowLimits.defaults(), metrics), props)) {
      var in =
          driver.createInputTopic(
              Topics.SHADOW_REQUESTS.name(), new ByteArraySerializer(), new ByteArraySerializer());
      TestOutputTopic<String, DeadLetter> letters =
          driver.createOutputTopic(
              Topics.DEAD_LETTER.name(),
              Serdes.String().deserializer(),
              new PlainAvroSerde<>(DeadLetter.class).deserializer());
      // The task fails (in the app: the thread is replaced and the record read again).
      Throwable failed = catchThrowable(() -> in.pipeInput("d".getBytes(), value));
      assertThat(failed).isNotNull();
      assertThat(letters.isEmpty()).isTrue();
      assertThat(metrics.total("streams.deadletters")).isZero();
    }
  }

  private static ShadowRequest request() {
    return ShadowRequest.newBuilder()
        .setRequestId("r-1")
        .setDeviceId("d")
        .setOperation(ShadowOperation.UPDATE)
        .setSource(RequestSource.DEVICE)
        .setDocument("{\"state\":{\"reported\":{\"on\":true}}}")
        .setBroker("b")
        .setRequestedAt(Instant.parse("2026-11-22T00:00:00Z"))
        .build();
  }
}
