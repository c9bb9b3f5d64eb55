package org.iotbackbone.servers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.iotbackbone.servers.MqttBrokerOptions;
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
        .isEqualTo("pattern readwrite devices/%c/#\n\nuser bridge\ntopic readwrite devices/#\n");
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

  private static String conf(MqttBrokerOptions options) {
    return MosquittoConfig.conf(
        1883,
        options,
        DIR.resolve("persistence"),
        DIR.resolve("acl"),
        DIR.resolve("passwords"),
        "root");
  }
}
