package org.iotbackbone.localstack.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.iotbackbone.servers.launch.ProcessTree;

/**
 * Whether a recorded part is healthy, by the check its record names ({@code health}): {@code
 * tcp:HOST:PORT} (it accepts connections), {@code http:URL} (it answers 200), or {@code
 * connector:URL} (a Connect connector and its tasks are RUNNING).
 */
public final class Health {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Health() {}

  /** Empty when healthy; else what is wrong. */
  public static Optional<String> problem(Map<String, String> part) {
    long pid = Long.parseLong(part.getOrDefault("pid", "-1"));
    if (!ProcessTree.alive(pid)) {
      return Optional.of("not running (pid " + pid + " is gone)");
    }
    String check = part.getOrDefault("health", "");
    try {
      if (check.startsWith("tcp:")) {
        String[] hostPort = check.substring(4).split(":");
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 2_000);
        }
        return Optional.empty();
      }
      if (check.startsWith("http:")) {
        HttpResponse<String> response = get(check.substring(5));
        return response.statusCode() == 200
            ? Optional.empty()
            : Optional.of("HTTP " + response.statusCode() + " from " + check.substring(5));
      }
      if (check.startsWith("connector:")) {
        HttpResponse<String> response = get(check.substring(10));
        if (response.statusCode() != 200) {
          return Optional.of("connector not known yet (HTTP " + response.statusCode() + ")");
        }
        JsonNode status = JSON.readTree(response.body());
        String connector = status.path("connector").path("state").asText("");
        JsonNode tasks = status.path("tasks");
        if (!connector.equals("RUNNING") || tasks.isEmpty()) {
          return Optional.of("connector " + connector + ", " + tasks.size() + " tasks");
        }
        for (JsonNode task : tasks) {
          if (!task.path("state").asText().equals("RUNNING")) {
            return Optional.of(
                "task "
                    + task.path("id").asText()
                    + " "
                    + task.path("state").asText()
                    + ": "
                    + task.path("trace").asText("").lines().findFirst().orElse(""));
          }
        }
        return Optional.empty();
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("not answering: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
