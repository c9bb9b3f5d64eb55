package org.iotbackbone.streamsapp.internal.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.iotbackbone.schemas.Command;
import org.iotbackbone.schemas.CommandEvent;
import org.iotbackbone.streamsapp.internal.json.Json;

/**
 * A command's status as the REST API serves it, kept as JSON text in a store keyed by command id
 * (in its device's task): {@code
 * {"commandId","deviceId","name","status","createdAt","expiresAt","updatedAt",
 * "deviceResult","message","history":[{"status","at"}]}}.
 */
public final class CommandStatusView {

  /** Before any event: the command was issued and not yet delivered. */
  public static final String PENDING = "PENDING";

  /** Delivered (or accepted) and no final status within the completion timeout after expiry. */
  public static final String TIMED_OUT = "TIMED_OUT";

  /** Never delivered and past its expiry (as the bridge records it). */
  public static final String EXPIRED = "EXPIRED";

  /**
   * The bridge published it and no session was subscribed to the device's commands (MQTT 5 PUBACK
   * 0x10): nobody got it (docs/design.md, Guarantees).
   */
  public static final String UNDELIVERED = "UNDELIVERED";

  /**
   * The statuses after which a command changes no more (but a late device answer is kept). The
   * contract's UNDELIVERED among them: the sweep left it out, and timed it out an hour after its
   * expiry as TIMED_OUT, "no final status from the device", for a command no device ever got.
   */
  private static final java.util.Set<String> FINAL =
      java.util.Set.of("SUCCEEDED", "FAILED", "REJECTED", UNDELIVERED, EXPIRED, TIMED_OUT);

  /** Later steps of a command's life rank higher; an earlier step arriving late does not win. */
  private static final Map<String, Integer> RANK =
      Map.of(
          PENDING,
          0,
          "DELIVERED",
          1,
          // Below DELIVERED: a command the bridge published twice (again after a rebalance) that
          // once reached a session and once found none was delivered, in whichever order read.
          UNDELIVERED,
          0,
          "ACCEPTED",
          2,
          "SUCCEEDED",
          3,
          "FAILED",
          3,
          "REJECTED",
          3,
          EXPIRED,
          3,
          TIMED_OUT,
          3);

  private CommandStatusView() {}

  /**
   * The view of a command read under {@code key}, which must be the device it addresses: its status
   * lives in that device's partition, where the device's answers are read.
   */
  public static String of(String key, Command command) {
    DeviceIds.check(key, command, command.getDeviceId());
    return of(command);
  }

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

  /** The view of an event read under {@code key}, which must be the event's device. */
  public static String of(String key, CommandEvent event) {
    DeviceIds.check(key, event, event.getDeviceId());
    return of(event);
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
    return merge(known, update, Integer.MAX_VALUE);
  }

  /**
   * As {@link #merge(String, String)}, keeping at most {@code maxHistory} steps: the first (when
   * the command was issued) and the latest, so that a device repeating its answer cannot grow the
   * view without bound.
   */
  public static String merge(String known, String update, int maxHistory) {
    ObjectNode into = Json.parseObject(known);
    ObjectNode next = Json.parseObject(update);
    ArrayNode history = history(into);
    history.addAll(history(next));
    while (history.size() > maxHistory) {
      history.remove(1);
    }
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

  /** Whether this view is of a command (else of one of its events). */
  public static boolean isCommand(ObjectNode view) {
    return view.has("createdAt");
  }

  /** Whether a status is final: SUCCEEDED, FAILED, REJECTED, UNDELIVERED, EXPIRED or TIMED_OUT. */
  public static boolean isFinal(String status) {
    return FINAL.contains(status);
  }

  /**
   * The view with a status the platform decided ({@link #TIMED_OUT}, {@link #EXPIRED}) at {@code
   * at}, with a message saying why.
   */
  public static String decided(String known, String status, long at, String message, int max) {
    ObjectNode step = Json.object();
    step.put("status", status);
    step.put("updatedAt", at);
    step.put("message", message);
    history(step).add(step(status, at));
    return merge(known, Json.write(step), max);
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
