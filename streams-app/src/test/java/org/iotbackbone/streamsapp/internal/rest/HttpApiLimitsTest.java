package org.iotbackbone.streamsapp.internal.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.iotbackbone.streamsapp.internal.auth.TestTokens;
import org.iotbackbone.streamsapp.internal.ops.StreamsAppMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Slow and numerous clients against the REST server's limits, over real sockets. */
@Timeout(60)
class HttpApiLimitsTest {

  private static final HttpLimits LIMITS = TestHttpLimits.SMALL;

  /** The read timeout plus the server's timer tick (1 s) and a margin for a loaded machine. */
  private static final Duration CLOSE_WITHIN = LIMITS.readTimeout().plusSeconds(4);

  private final List<Socket> sockets = new ArrayList<>();
  private HttpApi api;

  @BeforeEach
  void start() throws IOException {
    api =
        new HttpApi(
            "127.0.0.1", 0, LIMITS, new TestTokens().security(), new StreamsAppMetrics()::scrape);
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    api.close();
  }

  @Test
  void aClientThatNeverFinishesItsRequestIsDisconnected() throws IOException {
    Socket slow = halfARequest();
    slow.setSoTimeout((int) CLOSE_WITHIN.toMillis());
    InputStream in = slow.getInputStream();

    assertThat(readToEnd(in)).as("bytes before the server closed the connection").isZero();
  }

  @Test
  void healthAnswersWhileSlowClientsHoldEveryThreadAndTheQueue() throws Exception {
    for (int i = 0; i < LIMITS.threads() + LIMITS.queueSize() + 4; i++) {
      halfARequest();
    }
    HttpClient client = HttpClient.newBuilder().build();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/health"))
            .timeout(CLOSE_WITHIN.plus(LIMITS.readTimeout()))
            .build();

    HttpResponse<String> answer = sendUntilAccepted(client, health);

    assertThat(answer.statusCode()).isEqualTo(200);
  }

  @Test
  void aRequestBeyondTheQueueIsRefusedNotKeptWaiting() throws Exception {
    for (int i = 0; i < LIMITS.threads() + LIMITS.queueSize(); i++) {
      halfARequest();
    }
    Socket refused = halfARequest();
    refused.setSoTimeout((int) LIMITS.readTimeout().toMillis() / 2);

    // Closed by the server before the read timeout could have closed it: the queue was full.
    assertThat(readToEnd(refused.getInputStream())).isZero();
  }

  @Test
  void limitsAreValidated() {
    assertThatThrownBy(() -> new HttpLimits(2, 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .hasMessageContaining("threads must be more than 2");
    assertThatThrownBy(() -> new HttpLimits(3, 1, 1, Duration.ofMillis(10), Duration.ofSeconds(1)))
        .hasMessageContaining("at least a second");
  }

  /**
   * A connection that sends a request line and one header, never the blank line that ends them: the
   * server has given it a thread (or a place in the queue) once the first bytes are readable.
   */
  private Socket halfARequest() throws IOException {
    Socket socket = new Socket("127.0.0.1", api.port());
    sockets.add(socket);
    OutputStream out = socket.getOutputStream();
    out.write("GET /health HTTP/1.1\r\nHost: test\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  /** Reads until the peer closes; fails if it does not within the socket's timeout. */
  private static int readToEnd(InputStream in) throws IOException {
    int bytes = 0;
    try {
      while (in.read() != -1) {
        bytes++;
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open", e);
    } catch (java.net.SocketException e) {
      // A reset is a close too.
    }
    return bytes;
  }

  /** A request whose connection was refused (queue full) is sent again, as a client would. */
  private static HttpResponse<String> sendUntilAccepted(HttpClient client, HttpRequest request)
      throws Exception {
    long deadline = System.nanoTime() + CLOSE_WITHIN.multipliedBy(2).toNanos();
    while (true) {
      try {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }
}
