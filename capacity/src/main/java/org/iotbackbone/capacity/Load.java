package org.iotbackbone.capacity;

/**
 * What the fleet asks of the platform: the model's inputs, each checked once here with an error
 * that names the command line's option.
 *
 * @param devices devices holding a connection
 * @param messagesPerDeviceHour uplink messages (events and shadow updates) per device and hour
 * @param shadowShare the share of those messages that are shadow updates, the rest events
 * @param commandsPerSecond commands sent to devices per second at the peak of a burst
 * @param payloadBytes a message's payload
 * @param targetUtilisation the share of each resource (CPU, memory, disk, connection limit) a node
 *     may use in normal operation
 * @param replicationFactor Kafka's and ScyllaDB's
 * @param retentionDays how long Kafka keeps the device traffic
 * @param archiveDays how long ScyllaDB keeps archived events (the sink's TTL)
 * @param reconnectMinutes the time in which every device must be able to connect again (after a
 *     zone, load balancer or broker outage)
 * @param maxConnectionsPerNode an edge node's configured connection limit
 * @param transport how devices connect
 */
public record Load(
    long devices,
    double messagesPerDeviceHour,
    double shadowShare,
    double commandsPerSecond,
    int payloadBytes,
    double targetUtilisation,
    int replicationFactor,
    int retentionDays,
    int archiveDays,
    int reconnectMinutes,
    long maxConnectionsPerNode,
    Transport transport) {

  /** How devices connect to the edge. */
  public enum Transport {
    /** Mutual TLS, each device with its own certificate: the design's transport. */
    MTLS,
    /** Plain TCP: the insecure development mode, for comparison. */
    PLAIN
  }

  /** More than any fleet this model's linear figures could say anything about. */
  static final long MAX_DEVICES = 10_000_000_000L;

  /** MQTT's largest packet, 256 MiB. */
  static final int MAX_PAYLOAD_BYTES = 268_435_455;

  public Load {
    check(devices >= 1 && devices <= MAX_DEVICES, "--devices", "from 1 to 10,000,000,000", devices);
    check(
        messagesPerDeviceHour > 0 && messagesPerDeviceHour <= 3600,
        "--messages-per-device-hour",
        "above 0 and at most 3600 (one a second)",
        messagesPerDeviceHour);
    check(shadowShare >= 0 && shadowShare <= 1, "--shadow-share", "from 0 to 1", shadowShare);
    check(
        commandsPerSecond >= 0 && commandsPerSecond <= devices,
        "--command-burst",
        "from 0 to the number of devices (one command a device per second)",
        commandsPerSecond);
    check(
        payloadBytes >= 1 && payloadBytes <= MAX_PAYLOAD_BYTES,
        "--payload-bytes",
        "from 1 to 268,435,455 (MQTT's largest packet)",
        payloadBytes);
    check(
        targetUtilisation > 0 && targetUtilisation <= 1,
        "--target-utilisation",
        "above 0 and at most 1",
        targetUtilisation);
    check(
        replicationFactor >= 1 && replicationFactor <= 7,
        "--replication-factor",
        "from 1 to 7",
        replicationFactor);
    check(
        retentionDays >= 1 && retentionDays <= 3650,
        "--retention-days",
        "from 1 to 3650",
        retentionDays);
    check(archiveDays >= 0 && archiveDays <= 7300, "--archive-days", "from 0 to 7300", archiveDays);
    check(
        reconnectMinutes >= 1 && reconnectMinutes <= 1440,
        "--reconnect-minutes",
        "from 1 to 1440",
        reconnectMinutes);
    check(
        maxConnectionsPerNode >= 1 && maxConnectionsPerNode <= 100_000_000,
        "--max-connections-per-node",
        "from 1 to 100,000,000",
        maxConnectionsPerNode);
    if (transport == null) {
      throw new IllegalArgumentException("--transport is required: mtls or plain");
    }
  }

  /**
   * The defaults of the command line for a fleet: the case study's mix (persistent connections, 2
   * messages per device and hour, half of them shadow updates) and a command burst of 0.1% of the
   * fleet per second.
   */
  public static Load of(long devices) {
    return new Load(
        devices,
        2,
        0.5,
        defaultCommandBurst(devices),
        200,
        0.6,
        3,
        7,
        30,
        10,
        400_000,
        Transport.MTLS);
  }

  /** 0.1% of the devices per second: the whole fleet in about 17 minutes. */
  public static double defaultCommandBurst(long devices) {
    return devices / 1000.0;
  }

  /** The same load for another number of devices. */
  public Load withDevices(long devices) {
    return new Load(
        devices,
        messagesPerDeviceHour,
        shadowShare,
        commandsPerSecond,
        payloadBytes,
        targetUtilisation,
        replicationFactor,
        retentionDays,
        archiveDays,
        reconnectMinutes,
        maxConnectionsPerNode,
        transport);
  }

  private static void check(boolean ok, String option, String range, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(option + " must be " + range + ", got " + value);
    }
  }
}
