package org.iotbackbone.localstack.internal.fuzz;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubRecException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.iotbackbone.localstack.internal.DeviceEndpoints;

/**
 * Publishes through the MQTT broker, as devices do: topics in and out of the device's own tree,
 * payloads from empty to over the bridge's cap (random bytes, text, bad and deep JSON, not UTF-8),
 * MQTT 5 user properties (none to many, small to over a Kafka record), QoS 0, 1 and 2, retained or
 * not. Each input's fate is decided first ({@link MqttFate}); the broker's answer is checked at
 * once, and what must reach Kafka is left in the {@link Ledger} to be found there.
 */
final class MqttDoor {

  static final String DOOR = "mqtt";

  /** The bridge's default {@code uplink.max.payload.bytes}: sizes are spread around it. */
  static final int PAYLOAD_CAP = 131_072;

  private static final int DEVICES = 8;
  private static final int IN_FLIGHT = 256;

  private final DeviceEndpoints devices;
  private final List<InetSocketAddress> brokers;
  private final boolean aclEnforced;
  private final String runId;
  private final long seed;
  private final Ledger ledger;

  /**
   * One more device, {@code ...-d8}, for the inputs that the broker may answer by closing the
   * connection (control characters): alone on its connection and sent one at a time, so that the
   * close refuses that input only, not the others in flight beside it.
   */
  private static final int CLOSER = DEVICES;

  private final Mqtt5AsyncClient[] clients = new Mqtt5AsyncClient[DEVICES + 1];

  MqttDoor(DeviceEndpoints devices, boolean aclEnforced, String runId, long seed, Ledger ledger) {
    this.devices = devices;
    this.brokers = devices.brokers();
    this.aclEnforced = aclEnforced;
    this.runId = runId;
    this.seed = seed;
    this.ledger = ledger;
  }

  String deviceId(int device) {
    return runId + "-d" + device;
  }

  void run(int count) throws InterruptedException {
    Semaphore window = new Semaphore(IN_FLIGHT);
    try {
      for (int n = 0; n < count; n++) {
        Random random = Inputs.forInput(seed, DOOR, n);
        boolean control = random.nextInt(100) == 0;
        int device = control ? CLOSER : random.nextInt(DEVICES);
        Publish publish = publish(random, n, deviceId(device), control);
        ledger.input(DOOR);
        Mqtt5AsyncClient client = connected(device);
        if (client == null) {
          ledger.fail(DOOR, n, "connect", "device " + deviceId(device) + " cannot connect");
          continue;
        }
        window.acquire();
        CompletableFuture<Void> done =
            send(client, publish, n).whenComplete((ignored, error) -> window.release());
        if (control) {
          done.join();
        }
      }
      window.acquire(IN_FLIGHT); // every answer is in
      window.release(IN_FLIGHT);
    } finally {
      for (Mqtt5AsyncClient client : clients) {
        if (client != null && client.getState().isConnected()) {
          client.disconnect();
        }
      }
    }
  }

  /** Input {@code n} as {@link #run} sends it, without sending it: to name one in a report. */
  Publish input(long n) {
    Random random = Inputs.forInput(seed, DOOR, n);
    boolean control = random.nextInt(100) == 0;
    int device = control ? CLOSER : random.nextInt(DEVICES);
    return publish(random, n, deviceId(device), control);
  }

  private CompletableFuture<Void> send(Mqtt5AsyncClient client, Publish p, long n) {
    MqttFate fate = MqttFate.of(p.topic, p.clientId, aclEnforced);
    CompletableFuture<Mqtt5PublishResult> sent;
    try {
      sent =
          client
              .publishWith()
              .topic(p.topic)
              .qos(MqttQos.fromCode(p.qos))
              .retain(p.retain)
              .payload(p.payload)
              .userProperties(p.properties)
              .send();
    } catch (IllegalArgumentException e) {
      // The client library will not put it on the wire (a wildcard in a topic, say): a refusal
      // on the device's side, before the platform sees it.
      ledger.outcome(DOOR, p.describe(n), "refused by the client library");
      return CompletableFuture.completedFuture(null);
    }
    return sent.handle(
        (result, error) -> {
          Throwable problem = error != null ? error : result.getError().orElse(null);
          String reason = result != null ? reasonCode(result) : reasonCode(problem);
          // QoS 2 is taken at PUBREC (the async client completes there): the broker then owns it.
          judge(p, n, fate, problem, reason);
          return null;
        });
  }

  private void judge(Publish p, long n, MqttFate fate, Throwable problem, String reason) {
    String description = p.describe(n);
    if (problem != null && reason == null) {
      // No answer from the broker at all: the connection was closed under the publish.
      ledger.outcome(
          DOOR,
          description,
          "refused (connection closed: " + problem.getClass().getSimpleName() + ")");
      if (fate == MqttFate.BRIDGE && p.qos > 0) {
        // It may have reached the broker before the close; if it did it must be in Kafka, but a
        // missing one is not lost: the device was not told it was taken.
        ledger.expectMqtt(p.topic, new Ledger.Sent(DOOR, n, 0, description));
      }
      return;
    }
    switch (fate) {
      case ACL_REFUSED -> {
        if (p.qos == 0) {
          ledger.outcome(DOOR, description, "dropped by the ACL (QoS 0: no answer, allowed)");
        } else if ("NOT_AUTHORIZED".equals(reason)) {
          ledger.outcome(DOOR, description, "refused NOT_AUTHORIZED (ACL)");
        } else {
          ledger.fail(
              DOOR,
              n,
              "acl",
              "broker answered " + reason + " outside the device's tree: " + description);
        }
      }
      case NO_SUBSCRIBER -> {
        if (p.qos == 0
            || reason == null
            || reason.equals("SUCCESS")
            || reason.equals("NO_MATCHING_SUBSCRIBERS")) {
          ledger.outcome(DOOR, description, "no subscriber (allowed: no uplink topic)");
        } else {
          ledger.outcome(DOOR, description, "refused " + reason);
        }
      }
      case BRIDGE -> {
        if (reason != null
            && !reason.equals("SUCCESS")
            && !reason.equals("NO_MATCHING_SUBSCRIBERS")) {
          ledger.outcome(DOOR, description, "refused " + reason);
        } else if ("NO_MATCHING_SUBSCRIBERS".equals(reason)) {
          ledger.fail(
              DOOR, n, "bridge-subscription", "no subscriber for an uplink topic: " + description);
        } else {
          ledger.expectMqtt(p.topic, new Ledger.Sent(DOOR, n, p.qos, description));
        }
      }
    }
  }

  /** The reason code an error answer carried (a PUBACK or PUBREC), null when none came. */
  private static String reasonCode(Throwable problem) {
    for (Throwable e = problem; e != null; e = e.getCause()) {
      if (e instanceof Mqtt5PubAckException pubAck) {
        return pubAck.getMqttMessage().getReasonCode().name();
      }
      if (e instanceof Mqtt5PubRecException pubRec) {
        return pubRec.getMqttMessage().getReasonCode().name();
      }
    }
    return null;
  }

  /** The PUBACK's or PUBREC's reason code, null for QoS 0 or when there was no answer. */
  private static String reasonCode(Mqtt5PublishResult result) {
    if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1) {
      return qos1.getPubAck().getReasonCode().name();
    }
    if (result instanceof Mqtt5PublishResult.Mqtt5Qos2Result qos2) {
      return qos2.getPubRec().getReasonCode().name();
    }
    return null;
  }

  private Mqtt5AsyncClient connected(int device) {
    Mqtt5AsyncClient client = clients[device];
    if (client != null && client.getState().isConnected()) {
      return client;
    }
    InetSocketAddress broker = brokers.get(device % brokers.size());
    // On secure brokers each device connects with a certificate of its own id.
    client = devices.client(deviceId(device), broker).buildAsync();
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        client.connectWith().cleanStart(true).keepAlive(60).send().get(15, TimeUnit.SECONDS);
        clients[device] = client;
        return client;
      } catch (Exception e) {
        ledger.outcome(DOOR, "reconnect needed");
        try {
          Thread.sleep(500);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
    }
    return null;
  }

  /** One publish, fully decided before it is sent. */
  record Publish(
      String clientId,
      String topic,
      int qos,
      boolean retain,
      byte[] payload,
      String payloadKind,
      Mqtt5UserProperties properties,
      int propertyBytes) {
    String describe(long n) {
      return String.format(
          "mqtt#%d client %s qos %d%s topic '%s' payload %d bytes (%s), %d user properties"
              + " (%d bytes)",
          n,
          clientId,
          qos,
          retain ? " retained" : "",
          Ledger.abbreviate(topic),
          payload.length,
          payloadKind,
          properties.asList().size(),
          propertyBytes);
    }
  }

  private Publish publish(Random random, long n, String me, boolean control) {
    String other = runId + "-x" + random.nextInt(4);
    String tag = "n" + n;
    int kind = random.nextInt(1000);
    String topic;
    String payloadKind;
    byte[] payload;
    boolean hugeProperties = false;
    if (kind < 250) {
      topic =
          "devices/"
              + me
              + "/events/"
              + (random.nextBoolean() ? tag : Inputs.idChars(random, 1 + random.nextInt(64)));
      payloadKind = "event";
      payload = eventPayload(random);
    } else if (kind < 330) {
      topic =
          "devices/"
              + me
              + "/events/"
              + switch (random.nextInt(3)) {
                case 0 -> Inputs.badSegment(random);
                case 1 -> tag + "/" + Inputs.idChars(random, 3);
                default -> tag + "/";
              };
      payloadKind = "event, bad type";
      payload = eventPayload(random);
    } else if (kind < 430) {
      topic = "devices/" + me + "/shadow/update";
      payloadKind = "shadow document";
      payload = shadowPayload(random);
    } else if (kind < 510) {
      String name = random.nextInt(5) == 0 ? Inputs.badSegment(random) : tag;
      topic = "devices/" + me + "/shadow/name/" + name + "/update";
      payloadKind = "shadow document";
      payload = shadowPayload(random);
    } else if (kind < 570) {
      String prefix =
          random.nextBoolean()
              ? "devices/" + me + "/shadow"
              : "devices/" + me + "/shadow/name/" + tag;
      topic = prefix + (random.nextBoolean() ? "/get" : "/delete");
      payloadKind = "get/delete";
      payload = random.nextBoolean() ? new byte[0] : shadowPayload(random);
    } else if (kind < 610) {
      String[] shapes = {
        "/shadow",
        "/shadow/",
        "/shadow/upsert",
        "/shadow/name/" + tag,
        "/shadow/name//update",
        "/shadow/update/accepted",
        "/shadow/name/" + tag + "/update/x"
      };
      topic = "devices/" + me + shapes[random.nextInt(shapes.length)];
      payloadKind = "shadow, bad shape";
      payload = shadowPayload(random);
    } else if (kind < 690) {
      String command = random.nextInt(6) == 0 ? Inputs.badSegment(random) : tag;
      topic = "devices/" + me + "/commands/" + command + "/ack";
      payloadKind = "command ack";
      payload = ackPayload(random);
    } else if (kind < 730) {
      topic = "devices/" + me + "/presence" + (random.nextInt(5) == 0 ? "/" + tag : "");
      String[] words = {"online", "offline", " online\n", "ONLINE", "", "maybe"};
      payloadKind = "presence";
      payload =
          random.nextInt(8) == 0
              ? Inputs.notUtf8(random)
              : Inputs.utf8(words[random.nextInt(words.length)]);
    } else if (kind < 780) {
      topic =
          "devices/"
              + me
              + "/"
              + (random.nextBoolean() ? Inputs.idChars(random, 1 + random.nextInt(10)) : "commands")
              + "/"
              + tag;
      payloadKind = "own tree, no uplink topic";
      payload = eventPayload(random);
    } else if (kind < 840) {
      topic = "devices/" + other + "/events/" + tag;
      payloadKind = "another device's tree";
      payload = eventPayload(random);
    } else if (kind < 900) {
      String[] roots = {"", "device/", "Devices/", "$fz/", "iot/", "devices", "/devices/"};
      topic =
          roots[random.nextInt(roots.length)]
              + (random.nextBoolean() ? me : Inputs.text(random, 1 + random.nextInt(30)))
              + "/"
              + tag;
      payloadKind = "outside devices/";
      payload = eventPayload(random);
    } else if (kind < 940) {
      topic = "devices/" + Inputs.badSegment(random) + "/events/" + tag;
      payloadKind = "bad device id";
      payload = eventPayload(random);
    } else if (kind < 997) {
      topic = "devices/" + me + "/events/" + tag;
      payloadKind = "event, many properties";
      payload = eventPayload(random);
    } else {
      topic = "devices/" + me + "/events/" + tag;
      payloadKind = "event, properties over a Kafka record";
      payload = Inputs.bytes(random, random.nextInt(1024));
      hugeProperties = true;
    }
    Mqtt5UserPropertiesBuilder properties = Mqtt5UserProperties.builder();
    int propertyBytes = 0;
    int propertyCount =
        hugeProperties
            ? 20
            : kind >= 940
                ? 50 + random.nextInt(200)
                : random.nextInt(10) < 7 ? random.nextInt(4) : random.nextInt(30);
    for (int i = 0; i < propertyCount; i++) {
      String name =
          random.nextInt(10) == 0 ? "eventId" : Inputs.text(random, 1 + random.nextInt(20));
      String value =
          hugeProperties
              ? "v".repeat(60_000)
              : Inputs.text(random, random.nextInt(kind >= 940 ? 2000 : 100));
      properties.add(name, value);
      propertyBytes += Inputs.utf8(name).length + Inputs.utf8(value).length;
    }
    int qos = random.nextInt(3);
    boolean retain = random.nextInt(20) == 0;
    return new Publish(
        me, topic, qos, retain, payload, payloadKind, properties.build(), propertyBytes);
  }

  private static byte[] eventPayload(Random random) {
    int size = Inputs.size(random, PAYLOAD_CAP);
    return switch (random.nextInt(4)) {
      case 0 -> Inputs.bytes(random, size);
      case 1 -> Inputs.utf8(Inputs.text(random, size / 2));
      case 2 -> Inputs.utf8(Inputs.deepJson(random, Math.min(size, 5000)));
      default -> size > 10_000 ? Inputs.bytes(random, size) : Inputs.utf8(Inputs.badJson(random));
    };
  }

  private static byte[] shadowPayload(Random random) {
    return switch (random.nextInt(10)) {
      case 0 -> Inputs.utf8(Inputs.badJson(random));
      case 1 -> Inputs.notUtf8(random);
      case 2 -> Inputs.bytes(random, Inputs.size(random, PAYLOAD_CAP));
      case 3 -> new byte[0];
      default -> Inputs.utf8(Inputs.shadowDocument(random));
    };
  }

  private static byte[] ackPayload(Random random) {
    String[] statuses = {"ACCEPTED", "SUCCEEDED", "FAILED", "REJECTED", "DONE", "", "succeeded"};
    return switch (random.nextInt(6)) {
      case 0 -> Inputs.utf8(Inputs.badJson(random));
      case 1 -> Inputs.notUtf8(random);
      case 2 -> Inputs.utf8("{\"status\":" + Inputs.scalar(random) + "}");
      default ->
          Inputs.utf8(
              "{\"status\":\""
                  + statuses[random.nextInt(statuses.length)]
                  + "\",\"result\":"
                  + Inputs.scalar(random)
                  + "}");
    };
  }
}
