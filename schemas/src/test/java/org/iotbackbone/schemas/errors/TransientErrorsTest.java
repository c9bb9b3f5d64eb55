package org.iotbackbone.schemas.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.microsoft.kiota.ApiExceptionBuilder;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import org.apache.avro.AvroTypeException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Deserializer;
import org.iotbackbone.schemas.DeviceEvent;
import org.iotbackbone.schemas.registry.IncompatibleSchemaException;
import org.iotbackbone.schemas.registry.RegistryException;
import org.iotbackbone.schemas.serde.RegistryConfig;
import org.iotbackbone.schemas.serde.RegistrySerdes;
import org.iotbackbone.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The classifier's table, and what the real registry serde throws when the registry fails. */
class TransientErrorsTest {

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504, 408, 429, 401, 403})
  void aRegistryAskingToComeBackLaterOrRefusingTheServicesLoginIsTransient(int status) {
    assertThat(TransientErrors.isTransient(answered(status))).isTrue();
    assertThat(TransientErrors.isTransient(new RegistryException("answered", status))).isTrue();
    assertThat(TransientErrors.isTransient(new SerializationException("x", answered(status))))
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 404, 409, 415, 422})
  void aRegistryRefusingTheRequestIsPermanent(int status) {
    assertThat(TransientErrors.isTransient(answered(status))).isFalse();
    assertThat(TransientErrors.isTransient(new RegistryException("answered", status))).isFalse();
  }

  @Test
  void theFirstAnswerDecidesEvenOverAnIoCause() {
    // A client that wraps a 404 around the I/O exception it read it with: the registry answered.
    var notFound =
        new ApiExceptionBuilder()
            .withResponseStatusCode(404)
            .withThrowable(new ConnectException("Connection refused"))
            .build();
    assertThat(TransientErrors.isTransient(notFound)).isFalse();
    assertThat(TransientErrors.isTransient(new IncompatibleSchemaException("s", "{}"))).isFalse();
  }

  @Test
  void noAnswerIsTransient() {
    assertThat(TransientErrors.isTransient(new ConnectException("Connection refused"))).isTrue();
    assertThat(TransientErrors.isTransient(new NoRouteToHostException("down"))).isTrue();
    assertThat(TransientErrors.isTransient(new UnknownHostException("registry"))).isTrue();
    assertThat(TransientErrors.isTransient(new SocketTimeoutException("read"))).isTrue();
    assertThat(TransientErrors.isTransient(new HttpTimeoutException("request"))).isTrue();
    assertThat(TransientErrors.isTransient(new java.util.concurrent.TimeoutException())).isTrue();
    assertThat(
            TransientErrors.isTransient(
                new UncheckedIOException(
                    "GET failed", new IOException("x", new ConnectException("refused")))))
        .isTrue();
    assertThat(TransientErrors.isTransient(new IllegalStateException("Connection refused: x")))
        .isTrue();
  }

  @Test
  void kafkasRetriableErrorsAreTransientAnywhereInTheChain() {
    assertThat(TransientErrors.isTransient(new TimeoutException("metadata"))).isTrue();
    assertThat(TransientErrors.isTransient(new NotLeaderOrFollowerException("moved"))).isTrue();
    assertThat(
            TransientErrors.isTransient(
                new CompletionException(new RuntimeException(new TimeoutException("t")))))
        .isTrue();
  }

  @Test
  void theRecordsOwnFaultsArePermanent() {
    assertThat(TransientErrors.isTransient(new SerializationException("bad avro"))).isFalse();
    assertThat(TransientErrors.isTransient(new AvroTypeException("not an enum symbol"))).isFalse();
    assertThat(TransientErrors.isTransient(new RecordTooLargeException("big"))).isFalse();
    assertThat(TransientErrors.isTransient(new IllegalArgumentException("a bug"))).isFalse();
    assertThat(TransientErrors.isTransient(null)).isFalse();
  }

  @Test
  void aCauseChainThatLoopsEnds() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    assertThat(TransientErrors.isTransient(a)).isFalse();
  }

  @Test
  void theSerdesErrorForARegistryAnswering503IsTransientAndFor404IsNot() throws IOException {
    assertThat(TransientErrors.isTransient(readThroughRegistryAnswering(503))).isTrue();
    assertThat(TransientErrors.isTransient(readThroughRegistryAnswering(404))).isFalse();
  }

  @Test
  void theSerdesErrorForARegistryThatIsNotThereIsTransient() {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused.
    assertThat(TransientErrors.isTransient(read("http://127.0.0.1:9/apis/registry/v3"))).isTrue();
  }

  /** What the platform's deserializer throws when the registry answers every call with status. */
  private static Throwable readThroughRegistryAnswering(int status) throws IOException {
    HttpServer registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    registry.createContext(
        "/",
        exchange -> {
          byte[] body =
              ("{\"status\":" + status + ",\"title\":\"answered " + status + "\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    registry.start();
    try {
      int port = registry.getAddress().getPort();
      return read("http://127.0.0.1:" + port + "/apis/registry/v3");
    } finally {
      registry.stop(0);
    }
  }

  private static Throwable read(String registryUrl) {
    // A Confluent frame naming content id 7, which the registry is asked for.
    byte[] framed = {0, 0, 0, 0, 7, 2, 'x'};
    try (Deserializer<DeviceEvent> reader =
        RegistrySerdes.valueSerde(Topics.DEVICE_EVENTS, RegistryConfig.of(registryUrl))
            .deserializer()) {
      Throwable thrown = catchThrowable(() -> reader.deserialize("iot.device.events", framed));
      assertThat(thrown).isNotNull();
      return thrown;
    }
  }

  private static Exception answered(int status) {
    return new ApiExceptionBuilder()
        .withMessage("answered " + status)
        .withResponseStatusCode(status)
        .build();
  }
}
