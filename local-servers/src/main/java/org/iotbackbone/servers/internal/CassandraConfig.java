package org.iotbackbone.servers.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files a one-node Cassandra for tests reads at start: {@code cassandra.yaml} and a logback
 * configuration, both in the server's data directory.
 *
 * @param home the server's data directory; data, commit log, caches and hints go below it
 * @param nativePort the CQL (native transport) port
 * @param storagePort the inter-node port; nobody joins, but Cassandra binds it all the same
 * @param host the address it listens on (both ports) and is its own seed at
 */
public record CassandraConfig(Path home, int nativePort, int storagePort, String host) {

  /** On loopback. */
  public CassandraConfig(Path home, int nativePort, int storagePort) {
    this(home, nativePort, storagePort, "127.0.0.1");
  }

  /** The data center SimpleSnitch puts every node in; the driver must name it. */
  public static final String DATACENTER = "datacenter1";

  public Path yamlFile() {
    return home.resolve("cassandra.yaml");
  }

  public Path logbackFile() {
    return home.resolve("logback-cassandra.xml");
  }

  /** Where Cassandra looks for trigger jars; it warns at every start when it is missing. */
  public Path triggersDir() {
    return home.resolve("triggers");
  }

  /** Where Cassandra would write its own logs, were it not told to log to stdout. */
  public Path logDir() {
    return home.resolve("logs");
  }

  /** Writes both files and creates the directories Cassandra expects to exist. */
  public void write() throws IOException {
    Files.createDirectories(triggersDir());
    Files.createDirectories(logDir());
    Files.writeString(yamlFile(), yaml());
    Files.writeString(logbackFile(), logback());
  }

  String yaml() {
    return """
        cluster_name: iotbackbone-local
        # One node that owns the whole ring: one token, fixed, so that start-up computes nothing.
        num_tokens: 1
        initial_token: 0
        partitioner: org.apache.cassandra.dht.Murmur3Partitioner
        endpoint_snitch: SimpleSnitch
        # Ranks replicas by latency, every 100 ms; one node has no replica to rank.
        dynamic_snitch: false
        seed_provider:
          - class_name: org.apache.cassandra.locator.SimpleSeedProvider
            parameters:
              - seeds: "%8$s:%2$d"
        listen_address: %8$s
        rpc_address: %8$s
        storage_port: %2$d
        native_transport_port: %1$d
        start_native_transport: true

        authenticator: AllowAllAuthenticator
        authorizer: AllowAllAuthorizer
        network_authorizer: AllowAllNetworkAuthorizer
        role_manager: CassandraRoleManager

        data_file_directories:
          - %3$s
        commitlog_directory: %4$s
        saved_caches_directory: %5$s
        hints_directory: %6$s
        cdc_raw_directory: %7$s

        # Writes reach the commit log's memory-mapped segment before they are acknowledged, so a
        # killed process loses nothing; the sync only writes it to disk (and skips the fsync, as
        # CassandraJvm turns fsync off).
        commitlog_sync: periodic
        commitlog_sync_period: 10000ms
        auto_snapshot: false
        snapshot_before_compaction: false

        # A test box is shared and slow: server-side timeouts well above the defaults (2-5 s)
        # keep a GC pause from failing a test with a server timeout.
        read_request_timeout: 10000ms
        range_request_timeout: 20000ms
        write_request_timeout: 10000ms
        counter_write_request_timeout: 10000ms
        request_timeout: 20000ms

        # Modest memory: small caches, one compactor.
        concurrent_compactors: 1
        key_cache_size: 8MiB
        counter_cache_size: 0MiB
        file_cache_size: 32MiB
        networking_cache_size: 16MiB
        """
        .formatted(
            nativePort,
            storagePort,
            home.resolve("data"),
            home.resolve("commitlog"),
            home.resolve("saved_caches"),
            home.resolve("hints"),
            home.resolve("cdc_raw"),
            host);
  }

  /**
   * Everything to stdout, which {@link ServerProcess} writes to the server's log file. No shutdown
   * hook: Cassandra stops logback itself once it has shut down.
   */
  String logback() {
    return """
        <configuration>
          <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder>
              <pattern>%-5level [%thread] %date{ISO8601} %logger{0} - %msg%n</pattern>
            </encoder>
          </appender>
          <root level="INFO">
            <appender-ref ref="STDOUT"/>
          </root>
        </configuration>
        """;
  }
}
