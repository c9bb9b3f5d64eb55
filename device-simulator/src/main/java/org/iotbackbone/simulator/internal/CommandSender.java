package org.iotbackbone.simulator.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.iotbackbone.simulator.Count;

/**
 * Sends commands as a cloud integration does, through the streams app's REST API ({@code POST
 * /devices/{id}/commands}), with the send time in the payload so that the device times the trip.
 */
public final class CommandSender {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;
  private final String authorization;
  private final Metrics metrics;

  /**
   * @param authorization the {@code Authorization} header of every call ({@code Bearer <token>}),
   *     or null for an API without authentication
   */
  public CommandSender(String restUrl, String authorization, Metrics metrics) {
    this.base = URI.create(restUrl.endsWith("/") ? restUrl : restUrl + "/");
    this.authorization = authorization;
    this.metrics = metrics;
  }

  /** Sends one command without waiting for the answer; a refusal is counted. */
  public void send(String deviceId) {
    ObjectNode body = JSON.createObjectNode();
    body.put("name", "ping");
    body.putObject("payload").put("sentAtUs", Clock.micros());
    body.put("ttlSeconds", 30);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve("devices/" + deviceId + "/commands"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, error) -> {
              if (error == null && response.statusCode() == 202) {
                metrics.count(Count.COMMANDS_SENT);
              } else {
                metrics.count(Count.COMMANDS_REFUSED);
              }
            });
  }
}
