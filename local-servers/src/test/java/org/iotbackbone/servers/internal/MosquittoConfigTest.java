package org.iotbackbone.servers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.iotbackbone.servers.BrokerTls;
import org.iotbackbone.servers.MqttBrokerOptions;
import org.iotbackbone.servers.MqttListener;
import org.junit.jupiter.api.Test;

class MosquittoConfigTest {

  private static final Path DIR = Path.of("/tmp/iot-mosquitto-1");

  @Test
  void hashesPasswordsExactlyAsMosquittoPasswdDoes() {
    // Written by `mosquitto_passwd -c -b FILE iot-backend s3cret` (Mosquitto 2.0.11).
    String fromMosquitto =
        "$7$101$0zf966UG4qpwlwIZ$dlyCsivrGeWMl76zXzwI3GbYIJnhHmpVgsdTutlguzuEaWf7zPc4vEFi95Ky"
            + "+ba7DMs0c9wZGQNNW0ndTkhbsA==";
    byte[] salt = Base64.getDecoder().decode("0zf966UG4qpwlwIZ");

    assertThat(MosquittoConfig.passwordHash("s3cret", salt, 101)).isEqualTo(fromMosquitto);
  }

  @Test
  void passwordFileHoldsTheBackendUserWithAFreshSalt() {
    MqttBrokerOptions options =
        MqttBrokerOptions.builder().backendCredentials("bridge", "pw").build();

    String first = MosquittoConfig.passwordFile(options, new SecureRandom());
    String second = MosquittoConfig.passwordFile(options, new SecureRandom());

    assertThat(first).startsWith("bridge:$7$101$").endsWith("\n").hasLineCount(1);
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void aclKeepsDevicesInTheirSubtreeAndGivesTheBackendAllDevices() {
    MqttBrokerOptions options =
        MqttBrokerOptions.builder().backendCredentials("bridge", "pw").build();

    assertThat(MosquittoConfig.aclFile(options))
        .isEqualTo(
            "pattern readwrite devices/%c/#\n\nuser bridge\ntopic readwrite devices/#\n"
                + "topic read $SYS/broker/#\n");
  }

  @Test
  void confListensOnLoopbackPersistsAndLogsToStderr() {
    MqttBrokerOptions options =
        MqttBrokerOptions.builder().maxQueuedMessages(5_000).maxInflightMessages(50).build();

    String conf = conf(options);

    assertThat(conf.lines())
        .contains(
            "listener 1883 127.0.0.1",
            "allow_anonymous true",
            "persistence true",
            "persistence_location /tmp/iot-mosquitto-1/persistence/",
            // Saved every second, not only at a graceful stop (or every 30 minutes).
            "autosave_interval 1",
            "autosave_on_changes false",
            "max_queued_messages 5000",
            "max_inflight_messages 50",
            "user root",
            "log_dest stderr")
        .noneMatch(line -> line.startsWith("acl_file") || line.startsWith("password_file"));
  }

  @Test
  void confReadsAclAndPasswordsOnlyWhenTheAclIsOn() {
    String conf = conf(MqttBrokerOptions.builder().acl(true).build());

    assertThat(conf.lines())
        .contains(
            "acl_file /tmp/iot-mosquitto-1/acl", "password_file /tmp/iot-mosquitto-1/passwords");
  }

  @Test
  void aSecureConfHasTheFourSecureListenersAndNoPlainOne() {
    BrokerTls tls =
        new BrokerTls(
            DIR.resolve("ca.crt"),
            DIR.resolve("broker.crt"),
            DIR.resolve("broker.key"),
            DIR.resolve("crl.pem"),
            DIR.resolve("secrets"),
            "iot-backend");
    Map<MqttListener, Integer> ports =
        Map.of(
            MqttListener.TLS,
            8883,
            MqttListener.WSS,
            8443,
            MqttListener.SECRET,
            8884,
            MqttListener.BACKEND,
            8885);

    String conf =
        MosquittoConfig.conf(
            ports, "127.0.0.1", MqttBrokerOptions.builder().tls(tls).build(), files(), "root");

    List<String> listeners = Arrays.asList(conf.split("\n\n")).subList(1, 5);
    assertThat(listeners.get(0).lines())
        .containsExactly(
            "listener 8883 127.0.0.1",
            "certfile /tmp/iot-mosquitto-1/broker.crt",
            "keyfile /tmp/iot-mosquitto-1/broker.key",
            "allow_anonymous false",
            "cafile /tmp/iot-mosquitto-1/ca.crt",
            "crlfile /tmp/iot-mosquitto-1/crl.pem",
            "require_certificate true",
            "use_identity_as_username true",
            "use_username_as_clientid true",
            "acl_file /tmp/iot-mosquitto-1/acl");
    assertThat(listeners.get(1).lines()).contains("listener 8443 127.0.0.1", "protocol websockets");
    assertThat(listeners.get(2).lines())
        .contains("password_file /tmp/iot-mosquitto-1/secrets", "use_username_as_clientid true")
        .doesNotContain("require_certificate true");
    assertThat(listeners.get(3).lines())
        .contains("require_certificate true", "acl_file /tmp/iot-mosquitto-1/backend-acl")
        .doesNotContain("use_username_as_clientid true");
    assertThat(conf).doesNotContain("allow_anonymous true");
    assertThat(MosquittoConfig.deviceAclFile()).isEqualTo("pattern readwrite devices/%u/#\n");
    assertThat(MosquittoConfig.backendAclFile(tls))
        .startsWith("user iot-backend\ntopic read devices/+/events/#\n")
        .contains("topic write devices/+/commands\n", "topic read $SYS/broker/#\n")
        .doesNotContain("readwrite", "topic read $SYS/#", "topic write $SYS");
  }

  private static String conf(MqttBrokerOptions options) {
    return MosquittoConfig.conf(
        Map.of(MqttListener.PLAIN, 1883), "127.0.0.1", options, files(), "root");
  }

  private static MosquittoConfig.Files files() {
    return new MosquittoConfig.Files(
        DIR.resolve("persistence"),
        DIR.resolve("acl"),
        DIR.resolve("passwords"),
        DIR.resolve("backend-acl"));
  }
}
