package org.iotbackbone.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.iotbackbone.ingestbridge.BridgeConfig;
import org.iotbackbone.servers.BrokerTls;
import org.iotbackbone.servers.MqttBrokerOptions;
import org.junit.jupiter.api.Test;

/**
 * The edge brokers' ACL files of the Kubernetes deployment ({@code strimzi/base/edge/}) grant what
 * local-servers' secure brokers grant ({@link MqttBrokerOptions}), which the bridge's ITs run
 * against and its {@code BrokerAclTest} holds its topics to: the back end reads the uplink topics
 * the bridge subscribes to and writes the downlink ones, a device uses its own subtree. A topic
 * added to the bridge (the jobs topics) and forgotten in a deployment file fails here, not as a
 * refused SUBSCRIBE in a cluster.
 */
class BrokerAclFilesTest {

  private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

  @Test
  void mosquittosBackEndAclIsLocalServersOne() throws IOException {
    List<String> lines = rules("strimzi/base/edge/mosquitto/acl-backend");

    assertThat(lines.get(0)).isEqualTo("user " + BrokerTls.DEFAULT_BACKEND_IDENTITY);
    List<String> read = new ArrayList<>(MqttBrokerOptions.BACKEND_SUBSCRIBE_FILTERS);
    read.add(MqttBrokerOptions.BACKEND_SYS_FILTER);
    assertThat(withPrefix(lines, "topic read ")).containsExactlyInAnyOrderElementsOf(read);
    assertThat(withPrefix(lines, "topic write "))
        .containsExactlyInAnyOrderElementsOf(MqttBrokerOptions.BACKEND_PUBLISH_FILTERS);
    assertThat(lines).hasSize(1 + read.size() + MqttBrokerOptions.BACKEND_PUBLISH_FILTERS.size());
  }

  @Test
  void mosquittosDeviceAclIsTheDevicesOwnSubtree() throws IOException {
    assertThat(rules("strimzi/base/edge/mosquitto/acl"))
        .containsExactly(
            "pattern readwrite " + MqttBrokerOptions.DEVICE_ACL_PATTERN.replace("%c", "%u"));
  }

  @Test
  void emqxsAclGrantsTheBackEndTheSameFiltersWithAndWithoutItsShareGroup() throws IOException {
    String acl = Files.readString(repoRoot().resolve("strimzi/base/edge/emqx/acl.conf"));
    String backend = "{allow, {username, \"" + BrokerTls.DEFAULT_BACKEND_IDENTITY + "\"}, ";
    String shareGroup =
        (String)
            BridgeConfig.configDef()
                .configKeys()
                .get(BridgeConfig.MQTT_SHARE_GROUP_CONFIG)
                .defaultValue;

    List<String> subscribe = new ArrayList<>(MqttBrokerOptions.BACKEND_SUBSCRIBE_FILTERS);
    MqttBrokerOptions.BACKEND_SUBSCRIBE_FILTERS.forEach(
        filter -> subscribe.add("$share/" + shareGroup + "/" + filter));
    assertThat(quotedIn(rule(acl, backend + "subscribe, [")))
        .containsExactlyInAnyOrderElementsOf(subscribe);
    assertThat(quotedIn(rule(acl, backend + "publish, [")))
        .containsExactlyInAnyOrderElementsOf(MqttBrokerOptions.BACKEND_PUBLISH_FILTERS);
    assertThat(acl)
        .contains("{allow, all, all, [\"devices/${username}/#\"]}.")
        .endsWith("{deny, all}.\n");
  }

  /** The text of the rule starting {@code start}, up to its end ({@code ]}.}). */
  private static String rule(String acl, String start) {
    int begin = acl.indexOf(start);
    assertThat(begin).as("a rule starting %s", start).isNotNegative();
    return acl.substring(begin, acl.indexOf("]}.", begin));
  }

  private static List<String> quotedIn(String rule) {
    List<String> filters = new ArrayList<>();
    Matcher m = QUOTED.matcher(rule);
    while (m.find()) {
      filters.add(m.group(1));
    }
    // The first quoted string is the user name.
    return filters.subList(1, filters.size());
  }

  /** The file's lines that are not comments or blank. */
  private static List<String> rules(String file) throws IOException {
    return Files.readAllLines(repoRoot().resolve(file)).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }

  private static List<String> withPrefix(List<String> lines, String prefix) {
    return lines.stream()
        .filter(line -> line.startsWith(prefix))
        .map(line -> line.substring(prefix.length()))
        .toList();
  }

  private static Path repoRoot() {
    String root = System.getProperty("iotbackbone.repoRoot");
    assertThat(root)
        .as("system property iotbackbone.repoRoot (set by checks/pom.xml)")
        .isNotBlank();
    return Path.of(root);
  }
}
