package org.iotbackbone.localstack.internal.fuzz;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.iotbackbone.localstack.internal.DeviceEndpoints;
import org.iotbackbone.simulator.Endpoints;

/**
 * A fuzzing run against a running platform, through its real doors: MQTT publishes, malformed MQTT
 * on a raw socket, REST requests, broken records in its input topics. The count is split over the
 * doors ({@link #split}); the doors run at once, each input from its own generator (the seed, the
 * door, its number), so a seed replays the same inputs whatever the timing. Then what must be in
 * Kafka is looked for, every part's health is read, and a normal device must still get through.
 */
public final class FuzzRun {

  /**
   * Where the platform is.
   *
   * @param devices how the fuzzer's devices reach the brokers (TLS with certificates of the stack's
   *     CA, or plain)
   * @param aclEnforced whether the MQTT brokers apply the contract's ACL ({@code devices/%c/#}), as
   *     {@code ./iot up} starts them; it decides which publishes are refused
   * @param partProblems the health of each part of the stack, read after the run
   */
  public record Target(
      Endpoints endpoints,
      DeviceEndpoints devices,
      boolean aclEnforced,
      Supplier<Map<String, Optional<String>>> partProblems) {}

  /** How long reading Kafka may go on with nothing new, and at most. */
  private static final Duration QUIET = Duration.ofSeconds(45);

  private static final Duration MAX_DRAIN = Duration.ofMinutes(10);

  private FuzzRun() {}

  /** The inputs per door for a total of {@code count}: MQTT 45%, REST 25%, Kafka 20%, raw 10%. */
  static int[] split(int count) {
    int mqtt = count * 45 / 100;
    int rest = count * 25 / 100;
    int kafka = count * 20 / 100;
    return new int[] {mqtt, rest, kafka, count - mqtt - rest - kafka};
  }

  /** The ids of this run's devices and keys: {@code fz-} and the seed in hex. */
  static String runId(long seed) {
    return "fz-" + Long.toHexString(seed);
  }

  public static FuzzReport run(Target target, long seed, int count, Consumer<String> progress)
      throws Exception {
    long started = System.nanoTime();
    Endpoints endpoints = target.endpoints();
    DeviceEndpoints devices = target.devices();
    List<InetSocketAddress> brokers = devices.brokers();
    String runId = runId(seed);
    Ledger ledger = new Ledger();
    int[] split = split(count);
    progress.accept(
        String.format(
            "fuzzing: %d MQTT publishes, %d REST requests, %d Kafka records, %d raw MQTT packets",
            split[0], split[1], split[2], split[3]));
    try (KafkaWatch watch =
        new KafkaWatch(endpoints.kafkaClientConfig(), endpoints.registry(), runId)) {
      ExecutorService doors = Executors.newFixedThreadPool(4);
      List<Future<?>> running =
          List.of(
              doors.submit(
                  door(
                      () ->
                          new MqttDoor(devices, target.aclEnforced(), runId, seed, ledger)
                              .run(split[0]))),
              doors.submit(
                  door(
                      () ->
                          new RestDoor(
                                  endpoints.restUrl(),
                                  endpoints.restAuthorization(),
                                  runId,
                                  seed,
                                  ledger)
                              .run(split[1]))),
              doors.submit(
                  door(
                      () ->
                          new KafkaDoor(
                                  endpoints.kafkaClientConfig(),
                                  endpoints.registry(),
                                  runId,
                                  seed,
                                  ledger)
                              .run(split[2]))),
              doors.submit(
                  door(() -> new RawMqttDoor(devices, runId, seed, ledger).run(split[3]))));
      doors.shutdown();
      for (Future<?> door : running) {
        door.get();
      }
      progress.accept(
          String.format(
              "sent in %.1f s; looking for %d MQTT topics and %d Kafka inputs in Kafka",
              (System.nanoTime() - started) / 1e9,
              ledger.mqttExpectedTopics(),
              ledger.kafkaExpected()));
      watch.drain(ledger, QUIET, MAX_DRAIN, progress);
    }
    ledger.settle();
    Map<String, Optional<String>> parts = target.partProblems().get();
    parts.forEach(
        (part, problem) ->
            problem.ifPresent(p -> ledger.failPlatform("part-alive", part + ": " + p)));
    progress.accept("a normal device: connect, event, shadow update, command");
    List<String> normal =
        NormalDevice.check(
            devices,
            brokers.get(0),
            endpoints.kafkaClientConfig(),
            endpoints.registry(),
            endpoints.restUrl(),
            endpoints.restAuthorization(),
            runId + "-ok");
    normal.forEach(problem -> ledger.failPlatform("normal-device", problem));
    return new FuzzReport(
        seed,
        count,
        (System.nanoTime() - started) / 1e9,
        ledger.inputs(),
        ledger.outcomes(),
        ledger.samples(),
        ledger.failureCount(),
        ledger.failures(),
        parts,
        normal);
  }

  @FunctionalInterface
  private interface Door {
    void run() throws Exception;
  }

  /** A door whose crash is a failure of the fuzzer, not an input's. */
  private static java.util.concurrent.Callable<Void> door(Door door) {
    return () -> {
      door.run();
      return null;
    };
  }
}
