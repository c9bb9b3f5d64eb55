package org.iotbackbone.localstack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerReloadTest {

  private static Map<String, String> record(String name, long pid, String... ports) {
    Map<String, String> record = new LinkedHashMap<>();
    record.put("name", name);
    record.put("pid", Long.toString(pid));
    for (String port : ports) {
      record.put("port." + port, "1");
    }
    return record;
  }

  @Test
  void selectsTheRunningSecureBrokersOnly() {
    Map<String, Map<String, String>> parts = new LinkedHashMap<>();
    parts.put("kafka", record("kafka", 10));
    parts.put("mqtt", record("mosquitto", 11, "tls", "wss", "secret", "backend"));
    parts.put("mqtt-2", record("hivemq", 12, "tls", "wss", "secret", "backend"));
    parts.put("mqtt-3", record("mosquitto", 13, "tls", "backend")); // not running
    parts.put("mqtt-4", record("mosquitto", 14, "plain")); // --insecure: nothing to read
    parts.put("ingest-bridge", Map.of("pid", "15", "httpPort", "1"));

    List<BrokerReload.Action> actions =
        BrokerReload.select(parts, pid -> Set.of(10L, 11L, 12L, 14L, 15L).contains(pid));

    assertThat(actions)
        .containsExactly(
            new BrokerReload.Action("mqtt", "mosquitto", 11, true),
            new BrokerReload.Action("mqtt-2", "hivemq", 12, false));
    assertThat(actions.get(0).describe()).contains("SIGHUP").contains("pid 11");
    assertThat(actions.get(1).describe()).contains("by itself");
  }

  @Test
  void saysWhenNothingRuns(@TempDir Path home) {
    StackDir dir = new StackDir(home);
    assertThat(BrokerReload.reload(dir)).singleElement().asString().contains("no broker");
    // A broker recorded whose process is gone (killed without down) is not signalled either.
    dir.save("mqtt", record("mosquitto", Long.MAX_VALUE - 1, "tls"));
    assertThat(BrokerReload.reload(dir)).singleElement().asString().contains("no broker");
  }

  @Test
  void saysWhenTheBrokersArePlain(@TempDir Path home) {
    StackDir dir = new StackDir(home);
    dir.save("mqtt", record("mosquitto", ProcessHandle.current().pid(), "plain"));
    assertThat(BrokerReload.reload(dir)).singleElement().asString().contains("--insecure");
  }
}
