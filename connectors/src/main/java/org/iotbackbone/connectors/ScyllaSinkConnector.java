package org.iotbackbone.connectors;

import com.datastax.oss.driver.api.core.CqlSession;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;
import org.iotbackbone.connectors.internal.Sessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Connect sink that writes device shadows ({@code iot.shadow.state}) and device events
 * ({@code iot.device.events}) to ScyllaDB with the ScyllaDB Java driver.
 *
 * <p>Values are read as bytes ({@code value.converter=
 * org.apache.kafka.connect.converters.ByteArrayConverter}) and decoded by the task with the
 * platform's registry serdes; keys are device ids ({@code
 * key.converter=org.apache.kafka.connect.storage.StringConverter}). Settings: {@link
 * ScyllaSinkConfig}. Guarantees: an older shadow never overwrites a newer one, whatever the replay
 * ({@code internal.WriteTimestamps}); a timeout or an unavailable ScyllaDB pauses the task and is
 * retried; a record that can never be written goes to the errant record reporter (the dead-letter
 * topic).
 */
public final class ScyllaSinkConnector extends SinkConnector {

  /** The version Connect shows for this plugin. */
  public static final String VERSION = "0.1.0";

  private static final Logger LOG = LoggerFactory.getLogger(ScyllaSinkConnector.class);

  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    ScyllaSinkConfig config = new ScyllaSinkConfig(props); // fails here, naming the key
    if (config.schemaCreate()) {
      try (CqlSession session = Sessions.open(config)) {
        CqlSchema.apply(session, config);
        LOG.info("created keyspace {} and its tables where missing", config.keyspace());
      }
    }
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return ScyllaSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return Collections.nCopies(maxTasks, props);
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return ScyllaSinkConfig.CONFIG_DEF;
  }

  @Override
  public String version() {
    return VERSION;
  }
}
