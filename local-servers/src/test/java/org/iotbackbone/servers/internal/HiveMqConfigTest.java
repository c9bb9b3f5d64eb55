package org.iotbackbone.servers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.iotbackbone.servers.MqttBrokerOptions;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class HiveMqConfigTest {

  @Test
  void configXmlHasALoopbackListenerStateInFilesAndNoTelemetry() throws Exception {
    MqttBrokerOptions options =
        MqttBrokerOptions.builder().maxQueuedMessages(7_000).maxInflightMessages(30).build();

    Document xml =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(
                new ByteArrayInputStream(
                    HiveMqConfig.configXml(18830, options).getBytes(StandardCharsets.UTF_8)));
    XPath path = XPathFactory.newInstance().newXPath();

    assertThat(path.evaluate("/hivemq/listeners/tcp-listener/port", xml)).isEqualTo("18830");
    assertThat(path.evaluate("/hivemq/listeners/tcp-listener/bind-address", xml))
        .isEqualTo("127.0.0.1");
    assertThat(path.evaluate("/hivemq/persistence/mode", xml)).isEqualTo("file");
    assertThat(path.evaluate("/hivemq/anonymous-usage-statistics/enabled", xml)).isEqualTo("false");
    assertThat(path.evaluate("/hivemq/mqtt/queued-messages/max-queue-size", xml)).isEqualTo("7000");
    assertThat(path.evaluate("/hivemq/mqtt/receive-maximum/server-receive-maximum", xml))
        .isEqualTo("30");
  }

  @Test
  void accessRulesCarryTheAclAndTheBackendCredentials() throws IOException {
    MqttBrokerOptions options =
        MqttBrokerOptions.builder().acl(true).backendCredentials("bridge", "p=w:d #1").build();

    Properties rules = new Properties();
    rules.load(new StringReader(HiveMqConfig.accessRules(options)));

    assertThat(rules)
        .containsEntry(HiveMqConfig.ACL, "true")
        .containsEntry(HiveMqConfig.DEVICE_PATTERN, "devices/%c/#")
        .containsEntry(HiveMqConfig.BACKEND_FILTER, "devices/#")
        .containsEntry(HiveMqConfig.BACKEND_USERNAME, "bridge")
        .containsEntry(HiveMqConfig.BACKEND_PASSWORD, "p=w:d #1");
  }
}
