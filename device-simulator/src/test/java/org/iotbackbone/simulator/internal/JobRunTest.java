package org.iotbackbone.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.iotbackbone.simulator.Count;
import org.iotbackbone.simulator.Rollout;
import org.iotbackbone.simulator.Scenario;
import org.junit.jupiter.api.Test;

/** The job a rollout run creates (docs/design.md, "Jobs": POST /jobs) and how it is reported. */
class JobRunTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Rollout rollout(Map<String, String> settings) {
    return Scenario.of(settings, "test").rollout();
  }

  @Test
  void aListedJobAtAConstantRateWithAnAbortAndATimeout() throws Exception {
    Rollout rollout =
        rollout(
            Map.of(
                "job.enabled", "true",
                "job.rate.per.minute", "1000",
                "job.abort.threshold.percent", "10",
                "job.abort.min.executed", "20",
                "job.timeout.minutes", "2"));

    JsonNode body =
        JSON.readTree(
            JobRun.body(rollout, "sim-r1-fw", "sim-r1", List.of("sim-r1-0", "sim-r1-1"), "d"));

    assertThat(body.path("jobId").asText()).isEqualTo("sim-r1-fw");
    assertThat(body.path("targets").toString()).isEqualTo("[\"sim-r1-0\",\"sim-r1-1\"]");
    assertThat(body.has("targetFilter")).isFalse();
    assertThat(body.at("/document/firmware").asText()).isEqualTo("2.4.0");
    assertThat(body.path("jobExecutionsRolloutConfig").toString())
        .isEqualTo("{\"maximumPerMinute\":1000}");
    assertThat(body.at("/abortConfig/criteriaList").toString())
        .isEqualTo(
            "[{\"failureType\":\"FAILED\",\"action\":\"CANCEL\",\"thresholdPercentage\":10.0,"
                + "\"minNumberOfExecutedThings\":20}]");
    assertThat(body.path("timeoutConfig").toString())
        .isEqualTo("{\"inProgressTimeoutInMinutes\":2}");
  }

  @Test
  void aFilteredJobSelectsTheRunsOwnDevicesAtAnExponentialRate() throws Exception {
    Rollout rollout =
        rollout(
            Map.of(
                "job.enabled", "true",
                "job.target.filter", "model = sim-speaker or firmware < 2.4.0",
                "job.rate.per.minute", "60",
                "job.rate.increment.factor", "1.5",
                "job.rate.increment.every.notified", "50",
                "job.abort.failure.type", "NONE",
                "job.timeout.minutes", "0"));

    JsonNode body = JSON.readTree(JobRun.body(rollout, "j", "sim-r2", List.of(), "d"));

    // In parentheses: the run's mark must hold whatever the filter's or.
    assertThat(body.path("targetFilter").asText())
        .isEqualTo("(model = sim-speaker or firmware < 2.4.0) and simRun = \"sim-r2\"");
    assertThat(body.has("targets")).isFalse();
    assertThat(body.path("jobExecutionsRolloutConfig").toString())
        .isEqualTo(
            "{\"exponentialRate\":{\"baseRatePerMinute\":60,\"incrementFactor\":1.5,"
                + "\"rateIncreaseCriteria\":{\"numberOfNotifiedThings\":50}}}");
    assertThat(body.has("abortConfig")).isFalse();
    assertThat(body.has("timeoutConfig")).isFalse();
  }

  /** The REST calls against a JDK HTTP server that answers as the API does. */
  @Test
  void createsTheJobWithTheTokenAndDescribesIt() throws Exception {
    List<String> calls = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body = new String(exchange.getRequestBody().readAllBytes());
          calls.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Authorization")
                  + " "
                  + body);
          boolean create = exchange.getRequestMethod().equals("POST");
          byte[] answer =
              (create && body.contains("bad")
                      ? "{\"code\":400,\"message\":\"targetFilter: at position 1\"}"
                      : "{\"jobId\":\"j\",\"status\":\"COMPLETED\"}")
                  .getBytes();
          exchange.sendResponseHeaders(create ? (body.contains("bad") ? 400 : 201) : 200, 0);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      JobRun run = new JobRun(url, "Bearer t0k", "j", "{\"jobId\":\"j\"}", System.nanoTime());
      run.create();
      run.startPolling();
      // Closing describes it a last time: ended, whatever the polls before saw.
      run.close();
      assertThat(run.ended()).isTrue();

      assertThat(calls.get(0)).isEqualTo("POST /jobs Bearer t0k {\"jobId\":\"j\"}");
      assertThat(calls.get(1)).isEqualTo("GET /jobs/j Bearer t0k ");
      assertThat(run.createdAtMillis()).isNotNegative();
      assertThat(run.summary().path("status").asText()).isEqualTo("COMPLETED");

      JobRun refused = new JobRun(url, null, "j", "{\"bad\":1}", System.nanoTime());
      assertThatThrownBy(refused::create)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("jobs answered 400: {\"code\":400,\"message\":\"targetFilter");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aJobTheAppShedsIsSentAgainAfterItsRetryAfter() throws Exception {
    AtomicInteger posts = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/jobs",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          boolean shed = posts.incrementAndGet() <= 2;
          byte[] answer =
              (shed ? "{\"code\":503,\"message\":\"Overloaded\"}" : "{\"jobId\":\"j\"}").getBytes();
          // 0: the least wait (100 ms) all the same, not a loop of back-to-back requests.
          exchange.getResponseHeaders().set("Retry-After", "0");
          exchange.sendResponseHeaders(shed ? 503 : 201, 0);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
    try {
      JobRun run =
          new JobRun(
              "http://127.0.0.1:" + server.getAddress().getPort(),
              null,
              "j",
              "{\"jobId\":\"j\"}",
              System.nanoTime());
      long start = System.nanoTime();
      run.create();

      assertThat(posts.get()).isEqualTo(3);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(200));
      assertThat(run.createdAtMillis()).isNotNegative();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void theJobsDescriptionsAreKeptForTheReport() throws Exception {
    JobRun run = new JobRun("http://127.0.0.1:1", null, "j", "{}", System.nanoTime());
    assertThat(run.ended()).isFalse();
    run.record(
        1_000,
        JSON.readTree(
            "{\"jobId\":\"j\",\"status\":\"IN_PROGRESS\",\"targets\":[\"a\",\"b\"],"
                + "\"jobProcessDetails\":{\"numberOfQueuedThings\":2}}"));
    assertThat(run.ended()).isFalse();
    run.record(
        2_000,
        JSON.readTree(
            "{\"jobId\":\"j\",\"status\":\"CANCELED\",\"reasonCode\":\"FAILED>=10.0%\","
                + "\"targets\":[\"a\",\"b\"],\"jobProcessDetails\":{\"numberOfFailedThings\":1,"
                + "\"numberOfCanceledThings\":1},\"completedAt\":7}"));

    assertThat(run.ended()).isTrue();
    JsonNode summary = run.summary();
    assertThat(summary.path("status").asText()).isEqualTo("CANCELED");
    assertThat(summary.path("reasonCode").asText()).isEqualTo("FAILED>=10.0%");
    assertThat(summary.path("targets").asInt()).isEqualTo(2);
    assertThat(summary.path("completedAt").asLong()).isEqualTo(7);
    assertThat(summary.path("perSecond")).hasSize(2);
    assertThat(summary.path("perSecond").get(0).path("numberOfQueuedThings").asLong()).isEqualTo(2);
    assertThat(summary.path("perSecond").get(1).path("t").asDouble()).isEqualTo(2.0);
  }

  @Test
  void theTextAndThePageShowTheRolloutOverTime() throws Exception {
    JobRun run = new JobRun("http://127.0.0.1:1", null, "j", "{}", System.nanoTime());
    Metrics metrics = new Metrics();
    for (int second = 1; second <= 4; second++) {
      for (int i = 0; i < 3; i++) {
        metrics.count(Count.JOBS_NOTIFIED);
        metrics.count(Count.JOBS_STARTED);
      }
      metrics.count(Count.JOBS_SUCCEEDED);
      metrics.sample(second * 1000L, 1.0);
      run.record(
          second * 1000L,
          JSON.readTree(
              "{\"status\":\""
                  + (second < 4 ? "IN_PROGRESS" : "CANCELED")
                  + "\",\"jobProcessDetails\":{\"numberOfInProgressThings\":"
                  + (3 * second - second)
                  + ",\"numberOfSucceededThings\":"
                  + second
                  + "}}"));
    }
    Map<Count, Long> totals = new java.util.EnumMap<>(Count.class);
    for (Count count : Count.values()) {
      totals.put(count, metrics.total(count));
    }

    String text = RolloutText.of(run.summary(), metrics.samples(), totals);

    assertThat(text).contains("job j: CANCELED");
    assertThat(text).contains("the devices: notified 12, took it (IN_PROGRESS) 12, succeeded 4");
    assertThat(text)
        .contains("the job:     targets 0, notified 0, queued 0, in progress 8, succeeded 4");
    // A row a second: 3 notified/s, and the job's counts then, with their bar.
    assertThat(text)
        .containsPattern("   0-1 +3\\.0 +3\\.0 +1\\.0 +0\\.0 \\| IN_PROGRESS +0 +2 +1 .*#+-+");
    assertThat(text).containsPattern("   3-4 .*\\| CANCELED +0 +8 +4 ");
    // The rows start at the job's creation: before it, the devices were connecting.
    var created = run.summary();
    created.put("createdAtSeconds", 2.5);
    assertThat(RolloutText.of(created, metrics.samples(), totals))
        .doesNotContain("   0-1 ")
        .containsPattern("   2-3 +3\\.0");

    var summary = JSON.createObjectNode();
    summary.set("job", run.summary());
    String html =
        HtmlReport.rollout(
            run.summary(),
            JSON.readTree("[{\"t\":1.0,\"jobs_notified\":3.0},{\"t\":2.0,\"jobs_notified\":3.0}]"),
            JSON.readTree("{\"jobs_notified\":12,\"jobs_succeeded\":4}"));
    assertThat(html)
        .contains("<h2>Rollout</h2>")
        .contains("<th>status</th><td>CANCELED</td>")
        .contains("<tr><th>succeeded</th><td>4</td><td>4</td></tr>")
        .contains("<h2>Rollout: the devices, per second</h2><svg")
        .contains("<h2>Rollout: the job's counts")
        .contains(">notified</text>");
  }
}
