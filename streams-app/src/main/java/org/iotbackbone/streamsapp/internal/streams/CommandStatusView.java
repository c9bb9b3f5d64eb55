package org.iotbackbone.streamsapp.internal.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.iotbackbone.schemas.Command;
import org.iotbackbone.schemas.CommandEvent;
import org.iotbackbone.streamsapp.internal.json.Json;

/**
 * A command's status as the REST API serves it, kept as JSON text in a store keyed by command id:
 * {@code {"commandId","deviceId","name","status","createdAt","expiresAt","updatedAt",
 * "deviceResult","message","history":[{"status","at"}]}}.
 */
public final class CommandStatusView {

  /** Before any event: the command was issued and not yet delivered. */
  public static final String PENDING = "PENDING";

  /** Later steps of a command's life rank higher; an earlier step arriving late does not win. */
  private static final Map<String, Integer> RANK =
      Map.of(
          PENDING,
          0,
          "DELIVERED",
          1,
          "ACCEPTED",
          2,
          "SUCCEEDED",
          3,
          "FAILED",
          3,
          "REJECTED",
          3,
          "EXPIRED",
          3);

  private CommandStatusView() {}

  public static String of(Command command) {
    ObjectNode view = Json.object();
    view.put("commandId", command.getCommandId());
    view.put("deviceId", command.getDeviceId());
    view.put("name", command.getName());
    view.put("status", PENDING);
    view.put("createdAt", command.getCreatedAt().toEpochMilli());
    view.put("expiresAt", command.getExpiresAt().toEpochMilli());
    view.put("updatedAt", command.getCreatedAt().toEpochMilli());
    history(view).add(step(PENDING, command.getCreatedAt().toEpochMilli()));
    return Json.write(view);
  }

  public static String of(CommandEvent event) {
    ObjectNode view = Json.object();
    long at = event.getOccurredAt().toEpochMilli();
    view.put("commandId", event.getCommandId());
    view.put("deviceId", event.getDeviceId());
    view.put("status", event.getStatus().name());
    view.put("updatedAt", at);
    if (event.getDeviceResult() != null) {
      view.set("deviceResult", parseOrText(event.getDeviceResult()));
    }
    if (event.getMessage() != null) {
      view.put("message", event.getMessage());
    }
    history(view).add(step(event.getStatus().name(), at));
    return Json.write(view);
  }

  /** Folds a newer view into what is known: fields are kept, the later step's status wins. */
  public static String merge(String known, String update) {
    ObjectNode into = Json.parseObject(known);
    ObjectNode next = Json.parseObject(update);
    ArrayNode history = history(into);
    history.addAll(history(next));
    for (Map.Entry<String, JsonNode> field : next.properties()) {
      String key = field.getKey();
      if (key.equals("history") || key.equals("status") || key.equals("updatedAt")) {
        continue;
      }
      into.set(key, field.getValue());
    }
    if (rank(next.path("status").asText()) >= rank(into.path("status").asText())) {
      into.put("status", next.path("status").asText());
      into.put(
          "updatedAt", Math.max(into.path("updatedAt").asLong(), next.path("updatedAt").asLong()));
    }
    into.set("history", history);
    return Json.write(into);
  }

  private static int rank(String status) {
    return RANK.getOrDefault(status, 0);
  }

  private static ArrayNode history(ObjectNode view) {
    return view.get("history") instanceof ArrayNode array ? array : view.putArray("history");
  }

  private static ObjectNode step(String status, long at) {
    ObjectNode step = Json.object();
    step.put("status", status);
    step.put("at", at);
    return step;
  }

  private static JsonNode parseOrText(String json) {
    try {
      return Json.parse(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return com.fasterxml.jackson.databind.node.TextNode.valueOf(json);
    }
  }
}
