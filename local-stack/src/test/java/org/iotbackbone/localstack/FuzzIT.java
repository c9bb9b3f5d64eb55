package org.iotbackbone.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.iotbackbone.localstack.internal.DeviceEndpoints;
import org.iotbackbone.localstack.internal.fuzz.FuzzReport;
import org.iotbackbone.localstack.internal.fuzz.FuzzRun;
import org.iotbackbone.localstack.internal.fuzz.OversizedMessage;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.servers.BrokerTls;
import org.iotbackbone.servers.CqlServer;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttBrokerKind;
import org.iotbackbone.servers.MqttBrokerOptions;
import org.iotbackbone.servers.SchemaRegistry;
import org.iotbackbone.servers.ServerOptions;
import org.iotbackbone.servers.junit.SharedServers;
import org.iotbackbone.simulator.Endpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CI's short fuzzing run (issue 16): the platform's parts brought up as {@code ./iot up} does, on
 * the build's shared Kafka, registry and CQL server, behind a secure Mosquitto of its own (TLS,
 * device certificates of the stack's CA, the contract's ACL: as {@code up} starts it); a few
 * thousand inputs from a fixed seed through every door. Each check is an assertion of its own,
 * named after what it guards, so that a failure says which promise broke; the seed replays it with
 * {@code ./iot fuzz}.
 */
class FuzzIT {

  private static final Logger LOG = LoggerFactory.getLogger(FuzzIT.class);

  /** Fixed, so that CI sends the same inputs on every build. */
  static final long SEED = 16L;

  static final int COUNT = Integer.getInteger("fuzz.count", 3000);

  private static List<FuzzReport.Failure> of(List<FuzzReport.Failure> failures, String check) {
    return failures.stream().filter(f -> f.check().equals(check)).toList();
  }

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void everyInputIsAccountedForAndThePlatformStillAnswers(@TempDir Path home) throws Exception {
    String instance = "fz" + UUID.randomUUID().toString().substring(0, 6);
    Platform platform =
        new Platform(home, new Platform.Options(3, true, Duration.ofMinutes(8), instance, 1));
    // Secure, as ./iot up starts it: TLS, device certificates of the stack's CA, the ACL; the
    // fuzzer's devices connect with certificates of their ids, its raw packets go inside TLS.
    MqttBrokerOptions brokerOptions =
        MqttBrokerOptions.builder()
            .tls(
                BrokerTls.issue(
                    DevicePki.openOrCreate(platform.devicePki()),
                    home.resolve("broker-tls"),
                    List.of()))
            .build();
    MqttBroker mqtt = MqttBrokerKind.MOSQUITTO.create(brokerOptions, ServerOptions.defaults());
    mqtt.start();
    KafkaBroker kafka = SharedServers.kafka();
    SchemaRegistry registry = SharedServers.schemaRegistry();
    CqlServer cql = SharedServers.cql();
    try {
      Endpoints endpoints =
          platform.upOn(
              new Platform.Servers(
                  List.of(mqtt),
                  brokerOptions.backendUsername(),
                  brokerOptions.backendPassword(),
                  kafka.bootstrapServers(),
                  registry.confluentApiUrl(),
                  registry.apicurioApiUrl(),
                  cql.contactPointString(),
                  cql.localDatacenter(),
                  // The build's shared Kafka, without security: the Kafka door writes broken
                  // records straight into the topics either way (PlatformIT and ChaosIT run
                  // with principals and ACLs).
                  ""),
              LOG::info);
      long started = System.nanoTime();
      DeviceEndpoints devices = DeviceEndpoints.fromEnvFile(home.resolve("endpoints.env"));
      assertThat(devices.secure()).as("the fuzzer's devices use TLS").isTrue();
      FuzzReport report =
          FuzzRun.run(
              new FuzzRun.Target(endpoints, devices, true, platform::status),
              SEED,
              COUNT,
              LOG::info);
      LOG.info(
          "fuzzed in {} s\n{}\n{}",
          (System.nanoTime() - started) / 1e9,
          report.text(),
          report.json());
      Files.writeString(Path.of("target", "fuzz-it-" + SEED + ".json"), report.json());

      assertThat(report.totalInputs()).as("inputs sent").isGreaterThanOrEqualTo(COUNT);
      List<FuzzReport.Failure> failures = report.failures();
      assertThat(of(failures, "lost"))
          .as("MQTT (QoS 1/2) and Kafka inputs with neither a record nor a dead letter")
          .isEmpty();
      assertThat(of(failures, "no-shadow-answer"))
          .as("device shadow requests in Kafka the streams app neither answered nor dead-lettered")
          .isEmpty();
      assertThat(of(failures, "acl"))
          .as("publishes outside the device's tree not refused")
          .isEmpty();
      assertThat(of(failures, "server-error")).as("REST answers 5xx other than 503").isEmpty();
      assertThat(of(failures, "hang")).as("REST requests without an answer").isEmpty();
      assertThat(of(failures, "json-body")).as("REST answers without a JSON body").isEmpty();
      assertThat(of(failures, "error-body"))
          .as("REST errors whose code is not the status")
          .isEmpty();
      assertThat(of(failures, "broker-closes"))
          .as("raw packets the broker did not close on")
          .isEmpty();
      assertThat(of(failures, "broker-accepts")).as("broker refusing connections").isEmpty();
      assertThat(report.partProblems())
          .as("every part alive and healthy after the run")
          .allSatisfy((part, problem) -> assertThat(problem).as(part).isEmpty());
      assertThat(report.normalDevice()).as("a normal device end to end after the run").isEmpty();
      assertThat(failures).as("any other failure").isEmpty();
      assertThat(report.failureCount()).as("failures counted beyond the samples kept").isZero();

      // Last: before the bridge bounded its records, it stalled the uplink for good.
      OversizedMessage.Result oversized =
          OversizedMessage.send(endpoints, devices, "fz-" + instance, LOG::info);
      LOG.info(
          "oversized event: {}; of the {} events after it, {} in Kafka",
          oversized.oversized(),
          OversizedMessage.AFTER,
          oversized.after().size());
      // Found by ./iot fuzz --seed 4242 --count 100000 on this branch's base (ad0f105): there,
      // neither event reached Kafka (RecordTooLargeException in KafkaSender, never acknowledged,
      // and the QoS 1/2 uplink stalled behind it). main has since merged bridge-holes (records
      // bounded before Kafka, dead letters for Kafka's refusals), which should make both pass.
      assertThat(oversized.oversized())
          .as(
              "an event whose user properties make its record larger than Kafka takes (20 x 60"
                  + " KB) is dead-lettered, not left unacknowledged")
          .isNotEmpty();
      assertThat(oversized.after())
          .as(
              "the uplink keeps flowing after an event larger than a Kafka record: "
                  + OversizedMessage.AFTER
                  + " QoS 1 events after it, all in Kafka")
          .hasSizeGreaterThanOrEqualTo(OversizedMessage.AFTER);
    } finally {
      platform.down(LOG::info);
      mqtt.stop();
    }
  }
}
