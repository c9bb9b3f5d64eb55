package org.iotbackbone.simulator.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.iotbackbone.simulator.Count;
import org.iotbackbone.simulator.Leg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends commands as a cloud integration does, through the streams app's REST API ({@code POST
 * /devices/{id}/commands}), with the send time in the payload so that the device times the trip;
 * then polls the command's status as the device's ({@code GET /devices/{id}/commands/{commandId}}:
 * one lookup on the app instance that owns the device, where {@code GET /commands/{id}} may ask
 * every instance) until it is SUCCEEDED, as an integration that waits for the device's answer does,
 * and times that whole round trip.
 */
public final class CommandSender {

  private static final Logger LOG = LoggerFactory.getLogger(CommandSender.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TTL_SECONDS = 30;
  // The report counts refusals; the log says why for the first few (status and body, or the
  // client's error), enough to tell a refusal from a lost connection without a flood.
  private static final int REFUSALS_LOGGED = 10;
  private static final long MIN_POLL_MILLIS = 5;
  private static final long MAX_POLL_MILLIS = 250;

  // The final statuses other than SUCCEEDED (docs/design.md, Commands and Guarantees), by what the
  // report counts them as.
  private static final Map<String, Count> ENDED_OTHERWISE =
      Map.of(
          "UNDELIVERED", Count.COMMANDS_UNDELIVERED,
          "EXPIRED", Count.COMMANDS_EXPIRED,
          "FAILED", Count.COMMANDS_FAILED,
          "REJECTED", Count.COMMANDS_FAILED,
          "TIMED_OUT", Count.COMMANDS_FAILED);

  private final RestApi rest;
  private final Metrics metrics;
  private final AtomicInteger refusalsLogged = new AtomicInteger();

  /**
   * @param authorization the {@code Authorization} header of every call ({@code Bearer <token>}),
   *     or null for an API without authentication
   */
  public CommandSender(String restUrl, String authorization, Metrics metrics) {
    this.rest = new RestApi(restUrl, authorization);
    this.metrics = metrics;
  }

  /**
   * The wait before the next read of a status: a tenth of the time the command has been on its way,
   * from 5 ms to 250 ms. A round trip of tens of milliseconds is resolved to within a few ms, a
   * slow one to within a tenth of itself; and the reads stay about ten per command whatever the
   * trip takes. A fixed 5 ms made a slow moment worse: every command in flight read its status 200
   * times a second, so a stall of a few seconds became thousands of GETs a second on the app that
   * was stalled.
   */
  static long nextPollMillis(long elapsedMicros) {
    return Math.max(MIN_POLL_MILLIS, Math.min(MAX_POLL_MILLIS, elapsedMicros / 10_000));
  }

  /**
   * Sends one command without waiting for the answer. A 503 of the app's load shedding (it accepted
   * nothing) is sent again after its {@code Retry-After}, as an integration that honors it does,
   * and so is a request that never got a connection (after a second); the trip is still timed from
   * the first send. A request whose answer did not come in time may have been taken, so its status
   * is read as an accepted command's is. Any other refusal is counted.
   */
  public void send(String deviceId) {
    String commandId = UUID.randomUUID().toString();
    long sentAt = Clock.micros();
    ObjectNode body = JSON.createObjectNode();
    body.put("name", "ping");
    body.put("commandId", commandId);
    body.putObject("payload").put("sentAtUs", sentAt);
    body.put("ttlSeconds", TTL_SECONDS);
    HttpRequest request =
        rest.request("devices/" + deviceId + "/commands")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    post(deviceId, commandId, sentAt, request);
  }

  private void post(String deviceId, String commandId, long sentAt, HttpRequest request) {
    rest.http()
        .sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (response, error) -> {
              Unanswered unanswered = error == null ? null : unanswered(error);
              if ((error == null && response.statusCode() == 202)
                  || unanswered == Unanswered.ANSWER_LOST) {
                // Without its answer the command may be in the app all the same: its status, read
                // by the id the simulator gave it, tells (404 to the end: never taken).
                metrics.count(Count.COMMANDS_SENT);
                if (unanswered == Unanswered.ANSWER_LOST && logged()) {
                  LOG.warn(
                      "a command to {} got no answer ({}); reading its status", deviceId, error);
                }
                poll(deviceId, commandId, sentAt);
                return;
              }
              long elapsed = Clock.micros() - sentAt;
              OptionalLong retry =
                  error == null
                      ? retryAfterMillis(
                          response.statusCode(),
                          response.headers().firstValue("Retry-After"),
                          elapsed)
                      : unanswered == Unanswered.NOT_SENT
                          ? withinTimeToLive(RestApi.retryAfterMillis(Optional.empty()), elapsed)
                          : OptionalLong.empty();
              if (retry.isPresent()) {
                CompletableFuture.delayedExecutor(retry.getAsLong(), TimeUnit.MILLISECONDS)
                    .execute(() -> post(deviceId, commandId, sentAt, request));
                return;
              }
              metrics.count(Count.COMMANDS_REFUSED);
              logRefusal(deviceId, response, error);
            });
  }

  /** What a request that got no answer did. */
  enum Unanswered {
    /** Never reached the app (no connection): sending it again cannot make it twice. */
    NOT_SENT,
    /** Sent, and its answer did not come in time: the app may have taken it. */
    ANSWER_LOST,
    /** Anything else (the connection broke on the way): counted as refused. */
    FAILED
  }

  static Unanswered unanswered(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException) {
      return Unanswered.NOT_SENT;
    }
    return cause instanceof HttpTimeoutException ? Unanswered.ANSWER_LOST : Unanswered.FAILED;
  }

  /**
   * When to send a refused command again: after the wait of a 503 ({@link
   * RestApi#retryAfterMillis}), while that still falls within the command's time to live; empty for
   * any other answer, which is final. {@code elapsedMicros}: since the first send.
   */
  static OptionalLong retryAfterMillis(
      int status, Optional<String> retryAfter, long elapsedMicros) {
    if (status != 503) {
      return OptionalLong.empty();
    }
    return withinTimeToLive(RestApi.retryAfterMillis(retryAfter), elapsedMicros);
  }

  /** The wait, if the command's time to live outlasts it. */
  static OptionalLong withinTimeToLive(long waitMillis, long elapsedMicros) {
    long ttlMillis = TimeUnit.SECONDS.toMillis(TTL_SECONDS);
    return elapsedMicros / 1_000 + waitMillis < ttlMillis
        ? OptionalLong.of(waitMillis)
        : OptionalLong.empty();
  }

  /** Whether one more refusal (or lost answer) is logged. */
  private boolean logged() {
    return refusalsLogged.incrementAndGet() <= REFUSALS_LOGGED;
  }

  private void logRefusal(String deviceId, HttpResponse<String> response, Throwable error) {
    if (!logged()) {
      return;
    }
    String why =
        error != null
            ? "failed: " + error
            : "answered " + response.statusCode() + ": " + response.body();
    LOG.warn("a command to {} was not accepted, {}", deviceId, why);
  }

  /**
   * Reads the command's status until it ends: a 404 (not in the app's store yet), a 503 (a
   * rebalance) or a status that is not final (PENDING, DELIVERED, ACCEPTED) is read again {@link
   * #nextPollMillis} later, until the time to live. A final status other than SUCCEEDED ends it at
   * once, counted by what it was ({@link #outcome}).
   */
  private void poll(String deviceId, String commandId, long sentAt) {
    HttpRequest status =
        rest.request("devices/" + deviceId + "/commands/" + commandId).GET().build();
    rest.http()
        .sendAsync(status, HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (response, error) -> {
              long now = Clock.micros();
              String state = error == null ? statusOf(response) : "";
              Count ended = outcome(state, now - sentAt > TimeUnit.SECONDS.toMicros(TTL_SECONDS));
              if (ended == null) {
                CompletableFuture.delayedExecutor(
                        nextPollMillis(now - sentAt), TimeUnit.MILLISECONDS)
                    .execute(() -> poll(deviceId, commandId, sentAt));
                return;
              }
              if (ended == Count.COMMANDS_COMPLETED) {
                metrics.record(Leg.COMMAND_COMPLETED, now - sentAt);
              } else {
                metrics.count(Count.COMMANDS_NOT_COMPLETED);
              }
              metrics.count(ended);
            });
  }

  /**
   * What a command whose status reads {@code status} ({@code ""}: not found, or no answer) counts
   * as in the report, or null to read it again; {@code pastTimeToLive}: its time to live has
   * passed.
   */
  static Count outcome(String status, boolean pastTimeToLive) {
    if (status.equals("SUCCEEDED")) {
      return Count.COMMANDS_COMPLETED;
    }
    Count ended = ENDED_OTHERWISE.get(status);
    if (ended != null) {
      return ended;
    }
    return pastTimeToLive ? Count.COMMANDS_UNFINISHED : null;
  }

  private static String statusOf(HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      return "";
    }
    try {
      return JSON.readTree(response.body()).path("status").asText("");
    } catch (Exception e) {
      return "";
    }
  }
}
