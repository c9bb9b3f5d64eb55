package org.iotbackbone.servers.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.iotbackbone.servers.MqttBrokerOptions;

/**
 * Renders the files HiveMQ CE reads in its JVM: HiveMQ's own {@code config.xml}, and the access
 * rules that the runtime's embedded extension ({@code DeviceAccessExtension}) applies.
 */
public final class HiveMqConfig {

  /** The keys of the access rules file; the runtime module reads the same names. */
  static final String ACL = "acl";

  static final String DEVICE_PATTERN = "device.pattern";
  static final String BACKEND_FILTER = "backend.filter";
  static final String BACKEND_USERNAME = "backend.username";
  static final String BACKEND_PASSWORD = "backend.password";

  private HiveMqConfig() {}

  /**
   * HiveMQ's {@code config.xml}: one TCP listener on 127.0.0.1, state in files of the data folder
   * (sessions, subscriptions, queued and retained messages, HiveMQ CE's default and what a
   * deployment runs), no telemetry. In memory, a {@code kill -9} or a restart lost every message
   * the broker had acknowledged and not yet delivered.
   */
  public static String configXml(int port, MqttBrokerOptions options) {
    return configXml(port, "127.0.0.1", options);
  }

  /** HiveMQ's {@code config.xml}, the listener on {@code host}. */
  public static String configXml(int port, String host, MqttBrokerOptions options) {
    return """
        <?xml version="1.0"?>
        <!-- Written by HiveMqBroker for one test run; rewritten on every start. -->
        <hivemq>
          <listeners>
            <tcp-listener>
              <port>%d</port>
              <bind-address>%s</bind-address>
            </tcp-listener>
          </listeners>
          <mqtt>
            <queued-messages>
              <max-queue-size>%d</max-queue-size>
              <strategy>discard</strategy>
            </queued-messages>
            <receive-maximum>
              <server-receive-maximum>%d</server-receive-maximum>
            </receive-maximum>
          </mqtt>
          <persistence>
            <mode>file</mode>
          </persistence>
          <anonymous-usage-statistics>
            <enabled>false</enabled>
          </anonymous-usage-statistics>
        </hivemq>
        """
        .formatted(port, host, options.maxQueuedMessages(), options.maxInflightMessages());
  }

  /** The access rules, as a properties file. */
  public static String accessRules(MqttBrokerOptions options) {
    Properties rules = new Properties();
    rules.setProperty(ACL, Boolean.toString(options.acl()));
    rules.setProperty(DEVICE_PATTERN, MqttBrokerOptions.DEVICE_ACL_PATTERN);
    rules.setProperty(BACKEND_FILTER, MqttBrokerOptions.BACKEND_ACL_FILTER);
    rules.setProperty(BACKEND_USERNAME, options.backendUsername());
    rules.setProperty(BACKEND_PASSWORD, options.backendPassword());
    StringWriter text = new StringWriter();
    try {
      rules.store(text, "Written by HiveMqBroker; read by DeviceAccessExtension");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }
}
