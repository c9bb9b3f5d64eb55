package org.iotbackbone.servers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.iotbackbone.servers.BrokerTls;
import org.iotbackbone.servers.MqttBrokerOptions;
import org.iotbackbone.servers.MqttListener;
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
                    HiveMqConfig.configXml(
                            Map.of(MqttListener.PLAIN, 18830), "127.0.0.1", options, null)
                        .getBytes(StandardCharsets.UTF_8)));
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
  void aSecureConfigXmlHasTheFourTlsListenersWithTheirClientAuthentication() throws Exception {
    BrokerTls tls =
        new BrokerTls(
            Path.of("/c/ca.crt"),
            Path.of("/c/b.crt"),
            Path.of("/c/b.key"),
            Path.of("/c/crl.pem"),
            Path.of("/c/secrets"),
            "iot-backend");
    HiveMqConfig.Stores stores =
        new HiveMqConfig.Stores(Path.of("/c/broker.p12"), Path.of("/c/ca.p12"), "pw");
    Map<MqttListener, Integer> ports =
        Map.of(
            MqttListener.TLS,
            1,
            MqttListener.WSS,
            2,
            MqttListener.SECRET,
            3,
            MqttListener.BACKEND,
            4);

    Document xml =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(
                new ByteArrayInputStream(
                    HiveMqConfig.configXml(
                            ports,
                            "127.0.0.1",
                            MqttBrokerOptions.builder().tls(tls).build(),
                            stores)
                        .getBytes(StandardCharsets.UTF_8)));
    XPath path = XPathFactory.newInstance().newXPath();

    assertThat(path.evaluate("count(/hivemq/listeners/tcp-listener)", xml)).isEqualTo("0");
    assertThat(path.evaluate("count(/hivemq/listeners/tls-tcp-listener)", xml)).isEqualTo("3");
    assertThat(
            path.evaluate(
                "/hivemq/listeners/tls-tcp-listener[name='tls']/tls/client-authentication-mode",
                xml))
        .isEqualTo("REQUIRED");
    assertThat(
            path.evaluate(
                "/hivemq/listeners/tls-tcp-listener[name='secret']/tls/client-authentication-mode",
                xml))
        .isEqualTo("NONE");
    assertThat(
            path.evaluate(
                "/hivemq/listeners/tls-tcp-listener[name='backend']/tls/client-authentication-mode",
                xml))
        .isEqualTo("REQUIRED");
    assertThat(path.evaluate("/hivemq/listeners/tls-websocket-listener/path", xml))
        .isEqualTo("/mqtt");
    assertThat(path.evaluate("/hivemq/listeners/tls-websocket-listener/port", xml)).isEqualTo("2");
    assertThat(path.evaluate("/hivemq/listeners/tls-websocket-listener/tls/truststore/path", xml))
        .isEqualTo("/c/ca.p12");
    Properties rules = new Properties();
    rules.load(
        new StringReader(HiveMqConfig.accessRules(MqttBrokerOptions.builder().tls(tls).build())));
    assertThat(rules)
        .containsEntry("tls", "true")
        .containsEntry("tls.crl.file", "/c/crl.pem")
        .containsEntry("tls.secrets.file", "/c/secrets")
        .containsEntry("tls.backend.identity", "iot-backend");
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
