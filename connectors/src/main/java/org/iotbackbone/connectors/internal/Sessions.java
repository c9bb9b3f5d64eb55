package org.iotbackbone.connectors.internal;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;
import org.iotbackbone.connectors.ScyllaSinkConfig;

/** Opens a driver session as the sink's settings say. */
public final class Sessions {

  private Sessions() {}

  public static CqlSession open(ScyllaSinkConfig config) {
    DriverConfigLoader loader =
        DriverConfigLoader.programmaticBuilder()
            .withDuration(
                DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofMillis(config.requestTimeoutMs()))
            .withString(DefaultDriverOption.REQUEST_CONSISTENCY, config.consistency())
            // Reconnect to a node that went away within a few seconds of its return.
            .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(500))
            .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(10))
            .build();
    CqlSessionBuilder builder =
        CqlSession.builder()
            .withConfigLoader(loader)
            .withLocalDatacenter(config.localDatacenter())
            .withApplicationName("iot-scylla-sink");
    for (String point : config.contactPoints()) {
      int colon = point.lastIndexOf(':');
      builder.addContactPoint(
          InetSocketAddress.createUnresolved(
              point.substring(0, colon), Integer.parseInt(point.substring(colon + 1))));
    }
    config.credentials().ifPresent(c -> builder.withAuthCredentials(c.getKey(), c.getValue()));
    if (config.tlsEnabled()) {
      builder.withSslEngineFactory(
          new ProgrammaticSslEngineFactory(
              sslContext(config), null, config.tlsHostnameValidation()));
    }
    return builder.build();
  }

  private static SSLContext sslContext(ScyllaSinkConfig config) {
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (config.truststorePath().isPresent()) {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(config.truststorePath().get())) {
          store.load(in, config.truststorePassword().value().toCharArray());
        }
        trust.init(store);
      } else {
        trust.init((KeyStore) null);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new ConfigException(
          ScyllaSinkConfig.TLS_TRUSTSTORE_PATH,
          config.truststorePath().map(Object::toString).orElse(""),
          "cannot be loaded: " + e.getMessage());
    }
  }
}
