package org.iotbackbone.localstack.internal.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every input of a run and what became of it: an outcome per input (counted per door), the inputs
 * that must show up in Kafka, what was found there, and the failures. Thread-safe: the doors run
 * concurrently.
 */
final class Ledger {

  /** At most this many failures are kept with their details; all are counted. */
  private static final int FAILURE_SAMPLES = 200;

  /** An input expected in Kafka: how it was sent, to name it in a failure. */
  record Sent(String door, long input, int qos, String description) {}

  private final Map<String, Map<String, AtomicLong>> outcomes = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> inputs = new ConcurrentHashMap<>();
  private static final int SAMPLES_PER_OUTCOME = 3;
  private final Map<String, List<String>> samples = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<FuzzReport.Failure> failures = new ConcurrentLinkedQueue<>();
  private final AtomicLong failureCount = new AtomicLong();

  /** MQTT topic -> the inputs published on it that the bridge must have turned into a record. */
  private final Map<String, List<Sent>> mqttExpected = new ConcurrentHashMap<>();

  /** MQTT topic -> what was found in Kafka for it (record kind or dead-letter reason). */
  private final Map<String, List<String>> mqttFound = new ConcurrentHashMap<>();

  /** Kafka topic + key -> the input written there, which must come back as a dead letter. */
  private final Map<String, Sent> kafkaExpected = new ConcurrentHashMap<>();

  private final Map<String, List<String>> kafkaFound = new ConcurrentHashMap<>();

  /**
   * A device's shadow request the bridge passed on (its request id) -> the MQTT topic it came from:
   * the streams app must answer each (accepted or rejected, 429 included), or dead-letter it.
   */
  private final Map<String, String> shadowExpected = new ConcurrentHashMap<>();

  private final Map<String, String> shadowAnswered = new ConcurrentHashMap<>();

  /** The second stage: a shadow request of this run's devices, after the bridge. */
  static final String SHADOW_STAGE = "mqtt shadow requests, answered by streams-app";

  void input(String door) {
    inputs.computeIfAbsent(door, d -> new AtomicLong()).incrementAndGet();
  }

  /** Like {@link #outcome(String, String)}, keeping the first inputs of each outcome as samples. */
  void outcome(String door, String description, String outcome) {
    outcome(door, outcome);
    List<String> kept =
        samples.computeIfAbsent(
            door + ": " + outcome, o -> new java.util.concurrent.CopyOnWriteArrayList<>());
    if (kept.size() < SAMPLES_PER_OUTCOME) {
      kept.add(description);
    }
  }

  void outcome(String door, String outcome) {
    outcomes
        .computeIfAbsent(door, d -> new ConcurrentHashMap<>())
        .computeIfAbsent(outcome, o -> new AtomicLong())
        .incrementAndGet();
  }

  void fail(String door, long input, String check, String what) {
    outcome(door, "FAILED " + check);
    if (failureCount.incrementAndGet() <= FAILURE_SAMPLES) {
      failures.add(new FuzzReport.Failure(door, input, check, what));
    }
  }

  /** A failure of the platform as a whole (a part died, the normal device did not get through). */
  void failPlatform(String check, String what) {
    failureCount.incrementAndGet();
    failures.add(new FuzzReport.Failure("platform", -1, check, what));
  }

  void expectMqtt(String topic, Sent sent) {
    mqttExpected.computeIfAbsent(topic, t -> new ArrayList<>());
    synchronized (mqttExpected.get(topic)) {
      mqttExpected.get(topic).add(sent);
    }
  }

  void expectKafka(String topic, String key, Sent sent) {
    kafkaExpected.put(topic + " " + key, sent);
  }

  /** A record found in Kafka for an MQTT topic; ignored unless an input was published there. */
  boolean foundMqtt(String topic, String kind) {
    if (topic == null || !mqttExpected.containsKey(topic)) {
      return false;
    }
    mqttFound.computeIfAbsent(topic, t -> new ArrayList<>()).add(kind);
    return true;
  }

  /** A dead letter found for a Kafka input; ignored unless it is one of this run's. */
  boolean foundKafka(String topic, String key, String kind) {
    String id = topic + " " + key;
    if (!kafkaExpected.containsKey(id)) {
      return false;
    }
    kafkaFound.computeIfAbsent(id, t -> new ArrayList<>()).add(kind);
    return true;
  }

  void expectShadowAnswer(String requestId, String mqttTopic) {
    shadowExpected.put(requestId, mqttTopic);
  }

  /** An answer (or dead letter) for a shadow request; kept until the request itself is found. */
  void shadowAnswered(String requestId, String kind) {
    shadowAnswered.putIfAbsent(requestId, kind);
  }

  /** What was found in Kafka for an MQTT topic so far. */
  List<String> foundFor(String topic) {
    return List.copyOf(mqttFound.getOrDefault(topic, List.of()));
  }

  /**
   * Whether every QoS 1/2 MQTT input and every Kafka input has been found (QoS 0 may be missing).
   */
  boolean allFound() {
    for (Map.Entry<String, List<Sent>> entry : mqttExpected.entrySet()) {
      long needed = entry.getValue().stream().filter(s -> s.qos() > 0).count();
      if (mqttFound.getOrDefault(entry.getKey(), List.of()).size() < needed) {
        return false;
      }
    }
    return kafkaFound.keySet().containsAll(kafkaExpected.keySet())
        && shadowAnswered.keySet().containsAll(shadowExpected.keySet());
  }

  /**
   * Settles the expected inputs against what was found: each found record accounts for one input on
   * its topic (QoS 1/2 ones first); a QoS 1/2 input left over is lost, a QoS 0 one is dropped as
   * MQTT allows. More records than inputs are duplicates, which at-least-once allows.
   */
  void settle() {
    mqttExpected.forEach(
        (topic, sent) -> {
          List<String> found = new ArrayList<>(mqttFound.getOrDefault(topic, List.of()));
          List<Sent> ordered = new ArrayList<>(sent);
          ordered.sort((a, b) -> Integer.compare(b.qos(), a.qos()));
          for (Sent input : ordered) {
            if (!found.isEmpty()) {
              outcome(input.door(), input.description(), found.remove(0));
            } else if (input.qos() == 0) {
              outcome(input.door(), input.description(), "dropped (QoS 0, allowed)");
            } else {
              fail(
                  input.door(),
                  input.input(),
                  "lost",
                  "neither a record nor a dead letter in Kafka for QoS "
                      + input.qos()
                      + " publish on '"
                      + abbreviate(topic)
                      + "': "
                      + input.description());
            }
          }
          found.forEach(extra -> outcome("mqtt", "duplicate (at-least-once) " + extra));
        });
    kafkaExpected.forEach(
        (id, input) -> {
          List<String> found = kafkaFound.get(id);
          if (found == null) {
            fail(
                input.door(),
                input.input(),
                "lost",
                "no dead letter for " + input.description() + " (" + id + ")");
          } else {
            outcome(input.door(), input.description(), found.get(0));
          }
        });
    shadowExpected.forEach(
        (requestId, topic) -> {
          input(SHADOW_STAGE);
          String answer = shadowAnswered.get(requestId);
          if (answer != null) {
            outcome(SHADOW_STAGE, answer);
          } else {
            fail(
                SHADOW_STAGE,
                -1,
                "no-shadow-answer",
                "the streams app neither answered nor dead-lettered shadow request "
                    + requestId
                    + " from '"
                    + abbreviate(topic)
                    + "'");
          }
        });
  }

  static String abbreviate(String text) {
    return text.length() <= 120 ? text : text.substring(0, 120) + "...(" + text.length() + ")";
  }

  Map<String, Long> inputs() {
    Map<String, Long> out = new TreeMap<>();
    inputs.forEach((door, count) -> out.put(door, count.get()));
    return out;
  }

  Map<String, Map<String, Long>> outcomes() {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    outcomes.forEach(
        (door, counts) -> {
          Map<String, Long> sorted = new TreeMap<>();
          counts.forEach((outcome, count) -> sorted.put(outcome, count.get()));
          out.put(door, sorted);
        });
    return out;
  }

  /** The first inputs of each outcome, by "door: outcome". */
  Map<String, List<String>> samples() {
    Map<String, List<String>> out = new TreeMap<>();
    samples.forEach((outcome, kept) -> out.put(outcome, List.copyOf(kept)));
    return out;
  }

  List<FuzzReport.Failure> failures() {
    return List.copyOf(failures);
  }

  long failureCount() {
    return failureCount.get();
  }

  int mqttExpectedTopics() {
    return mqttExpected.size();
  }

  int kafkaExpected() {
    return kafkaExpected.size();
  }
}
