package org.iotbackbone.capacity;

import static org.iotbackbone.capacity.Measure.*;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.iotbackbone.capacity.Plan.Cost;
import org.iotbackbone.capacity.Plan.LoadBalancer;
import org.iotbackbone.capacity.Plan.Nodes;
import org.iotbackbone.capacity.Plan.Rates;
import org.iotbackbone.capacity.Prices.Tier;

/**
 * Sizes every tier of the platform for a {@link Load} from the measured {@link Figures}, and prices
 * it. Linear in the load: each tier needs its per-unit cost times the rate, divided by what one
 * node offers at the target utilisation, rounded up, and never fewer than the tier's minimum.
 * Counts of zonal tiers are multiples of the three zones.
 */
public final class CapacityModel {

  /** Availability zones: brokers, Kafka and ScyllaDB spread over them evenly. */
  static final int ZONES = 3;

  /** The platform's partitions per topic today ({@code Topics.PARTITIONS}). */
  static final int MIN_PARTITIONS = 12;

  /** The bridge's HorizontalPodAutoscaler keeps at least two. */
  static final int MIN_BRIDGES = 2;

  /** The streams app's StatefulSet runs three (standby replicas across zones). */
  static final int MIN_STREAMS = 3;

  /** The Connect cluster's two workers. */
  static final int MIN_CONNECT = 2;

  /** KRaft's controller quorum. */
  static final int CONTROLLERS = 3;

  /** An edge node's memory left to the kernel, the kubelet and the broker's own base. */
  static final double NODE_RESERVE_GIB = 1.0;

  /** One Kafka record's bytes beyond its payload. Not measured. */
  static final int RECORD_OVERHEAD_BYTES = 150;

  /** One MQTT message's bytes beyond its payload through the load balancer. Not measured. */
  static final int MQTT_OVERHEAD_BYTES = 60;

  /** Records a shadow update writes: the request, changelog, state, answer, notification. */
  static final int SHADOW_RECORDS = 5;

  /** Records a command writes: the command, DELIVERED, the device's answer. */
  static final int COMMAND_RECORDS = 3;

  /** Messages a command costs the edge and the bridge: down to the device, its ack up. */
  static final int COMMAND_MESSAGES = 2;

  /** Presence messages and records per reconnect: the will's {@code offline}, {@code online}. */
  static final int PRESENCE_PER_RECONNECT = 2;

  /** The largest gp3 volume, GiB. */
  static final double MAX_GP3_GIB = 16_384;

  /** An NLB capacity unit for TCP: new flows per second, active flows, GB processed per hour. */
  static final double LCU_NEW_FLOWS = 800, LCU_ACTIVE_FLOWS = 100_000, LCU_GB_PER_HOUR = 1;

  static final double HOURS_PER_YEAR = 8_760;

  private CapacityModel() {}

  /**
   * A model constant that no benchmark measured: a design choice of the deployment files, a
   * vendor's published unit, or an estimate. docs/capacity.md lists them.
   *
   * @param name what it is
   * @param value its value
   * @param why where it comes from
   */
  public record Assumption(String name, String value, String why) {}

  /** The constants above, for the documentation. */
  public static List<Assumption> assumptions() {
    return List.of(
        new Assumption(
            "availability zones", "" + ZONES, "edge, Kafka and ScyllaDB counts are multiples"),
        new Assumption(
            "partitions per topic, at least",
            "" + MIN_PARTITIONS,
            "`Topics.PARTITIONS`; more when the consumers' threads need them"),
        new Assumption(
            "bridges / streams-app / Connect workers, at least",
            MIN_BRIDGES + " / " + MIN_STREAMS + " / " + MIN_CONNECT,
            "the Kubernetes files (HPA minimum, StatefulSet replicas, KafkaConnect replicas)"),
        new Assumption("Kafka controllers", "" + CONTROLLERS, "the KRaft quorum"),
        new Assumption(
            "edge node memory reserve", NODE_RESERVE_GIB + " GiB", "kernel, kubelet, broker base"),
        new Assumption(
            "Kafka record overhead",
            RECORD_OVERHEAD_BYTES + " B",
            "key (device id), Avro fields, Confluent frame, record and batch headers: estimated"),
        new Assumption(
            "MQTT message overhead",
            MQTT_OVERHEAD_BYTES + " B",
            "fixed header, topic, TLS record: estimated"),
        new Assumption(
            "Kafka records per shadow update / per command",
            SHADOW_RECORDS + " / " + COMMAND_RECORDS,
            "design.md's topics: request, changelog, state, answer, notification; command,"
                + " DELIVERED, answer"),
        new Assumption(
            "presence messages per reconnect",
            "" + PRESENCE_PER_RECONNECT,
            "the will's `offline` and the new `online`"),
        new Assumption("largest Kafka volume", "16,384 GiB", "gp3's limit"),
        new Assumption(
            "NLB capacity unit (TCP)",
            "800 new flows/s, 100,000 active flows, 1 GB/h",
            "AWS's published NLCU; the largest dimension is billed"));
  }

  /** Sizes and prices {@code load}. */
  public static Plan plan(Load load, Figures f, Prices prices) {
    double u = load.targetUtilisation();
    int rf = load.replicationFactor();
    long devices = load.devices();
    boolean mtls = load.transport() == Load.Transport.MTLS;

    // Rates. The peak is sized as the steady traffic, a command burst and a reconnect storm at
    // once: rare together, but each alone is what an operator must not be woken by.
    double uplink = devices * load.messagesPerDeviceHour() / 3600;
    double shadow = uplink * load.shadowShare();
    double events = uplink - shadow;
    double commands = load.commandsPerSecond();
    double reconnects = devices / (load.reconnectMinutes() * 60.0);
    double presence = PRESENCE_PER_RECONNECT * reconnects;
    double edgeMessages = uplink + shadow + COMMAND_MESSAGES * commands + presence;
    double otherRecords = events + COMMAND_RECORDS * commands + presence;
    double kafkaRecords = otherRecords + SHADOW_RECORDS * shadow;
    double steadyRecords = events + SHADOW_RECORDS * shadow;
    double sinkWrites = shadow + events;
    Rates rates =
        new Rates(
            uplink,
            shadow,
            events,
            commands,
            reconnects,
            edgeMessages,
            kafkaRecords,
            steadyRecords,
            sinkWrites);

    Map<Tier, Nodes> nodes = new EnumMap<>(Tier.class);

    // Edge: connections against the configured limit and memory; CPU for holding them, for the
    // storm's handshakes, and for the messages.
    InstanceType edge = prices.instance(Tier.EDGE);
    double perConnectionKib = f.value(mtls ? EDGE_MEMORY_MTLS : EDGE_MEMORY_PLAIN);
    double edgeCores =
        devices * f.value(EDGE_HELD_CPU) / 1e6
            + reconnects * f.value(mtls ? EDGE_SESSION_CPU_MTLS : EDGE_SESSION_CPU_PLAIN) / 1e3
            + edgeMessages * f.value(EDGE_MESSAGE_CPU) / 1e6;
    Need[] edgeNeeds = {
      new Need("zones", ZONES),
      new Need("connection limit", ceil(devices / (load.maxConnectionsPerNode() * u))),
      new Need(
          "memory",
          ceil(
              devices
                  * perConnectionKib
                  / ((edge.memoryGib() - NODE_RESERVE_GIB) * 1024 * 1024 * u))),
      new Need("CPU", ceil(edgeCores / (edge.vcpus() * u)))
    };
    nodes.put(Tier.EDGE, nodes(edge, edgeNeeds, ZONES));

    // Bridge: every message through it, at the path's whole CPU.
    InstanceType bridge = prices.instance(Tier.BRIDGE);
    double bridgeCores = edgeMessages * f.value(BRIDGE_MESSAGE_CPU) / 1e6;
    nodes.put(
        Tier.BRIDGE,
        nodes(
            bridge,
            new Need[] {
              new Need("minimum", MIN_BRIDGES),
              new Need("CPU", ceil(bridgeCores / (bridge.vcpus() * u)))
            },
            1));

    // Streams app: shadow updates, and the REST requests that send commands.
    InstanceType streams = prices.instance(Tier.STREAMS);
    double streamsCores =
        shadow * f.value(STREAMS_UPDATE_CPU) / 1e3 + commands * f.value(REST_REQUEST_CPU) / 1e3;
    Nodes streamsNodes =
        nodes(
            streams,
            new Need[] {
              new Need("minimum", MIN_STREAMS),
              new Need("CPU", ceil(streamsCores / (streams.vcpus() * u)))
            },
            1);
    nodes.put(Tier.STREAMS, streamsNodes);

    // Connect: the sink's side of each write.
    InstanceType connect = prices.instance(Tier.CONNECT);
    double connectCores = sinkWrites * f.value(SINK_WRITE_CPU) / 1e6;
    Nodes connectNodes =
        nodes(
            connect,
            new Need[] {
              new Need("minimum", MIN_CONNECT),
              new Need("CPU", ceil(connectCores / (connect.vcpus() * u)))
            },
            1);
    nodes.put(Tier.CONNECT, connectNodes);

    // Kafka: each record once per replica; a shadow update's transactional work at the leader
    // as measured, its records once more per follower. Disk: the steady traffic for the
    // retention, and the compacted shadows, on every replica.
    InstanceType kafka = prices.instance(Tier.KAFKA);
    double recordCpu = f.value(KAFKA_RECORD_CPU) / 1e6;
    double kafkaCores =
        otherRecords * recordCpu * rf
            + shadow
                * (f.value(STREAMS_UPDATE_KAFKA_CPU) / 1e3 + SHADOW_RECORDS * recordCpu * (rf - 1));
    double shadowBytes = load.payloadBytes() + f.value(SHADOW_FRAMING_BYTES);
    double recordBytes = load.payloadBytes() + RECORD_OVERHEAD_BYTES;
    double kafkaGib =
        (steadyRecords * recordBytes * 86_400 * load.retentionDays() + devices * shadowBytes)
            * rf
            / GIB;
    Nodes kafkaNodes =
        nodes(
            kafka,
            new Need[] {
              new Need("zones", ZONES),
              new Need("replication factor", rf),
              new Need("CPU", ceil(kafkaCores / (kafka.vcpus() * u))),
              new Need("disk", ceil(kafkaGib / (MAX_GP3_GIB * u)))
            },
            ZONES);
    nodes.put(Tier.KAFKA, kafkaNodes);
    nodes.put(
        Tier.KAFKA_CONTROLLER,
        new Nodes(CONTROLLERS, prices.instance(Tier.KAFKA_CONTROLLER), "the KRaft quorum"));
    double diskPerBroker = Math.ceil(kafkaGib / kafkaNodes.count() / u);

    // ScyllaDB: each write once per replica at the measured CQL server's cost; disk for the
    // archived events and the shadows on every replica.
    InstanceType scylla = prices.instance(Tier.SCYLLA);
    double scyllaCores = sinkWrites * f.value(CQL_WRITE_CPU) / 1e6 * rf;
    double scyllaGb =
        (events * recordBytes * 86_400 * load.archiveDays() + devices * shadowBytes) * rf / 1e9;
    nodes.put(
        Tier.SCYLLA,
        nodes(
            scylla,
            new Need[] {
              new Need("zones", ZONES),
              new Need("replication factor", rf),
              new Need("CPU", ceil(scyllaCores / (scylla.vcpus() * u))),
              new Need("disk", ceil(scyllaGb / (scylla.nvmeGb() * u)))
            },
            ZONES));

    // Partitions: one per stream thread and per sink task at least (a thread per vCPU), spread
    // evenly over the brokers.
    int threads =
        Math.max(streamsNodes.count() * streams.vcpus(), connectNodes.count() * connect.vcpus());
    int partitions = roundUp(Math.max(MIN_PARTITIONS, threads), kafkaNodes.count());

    double streamsGib = devices * shadowBytes / streamsNodes.count() / GIB;
    double restoreMinutes =
        (double) devices / streamsNodes.count() / f.value(STREAMS_RESTORE_RATE) / 60;

    double steadyEdgeMessages = uplink + shadow;
    double gbPerHour =
        steadyEdgeMessages * (load.payloadBytes() + MQTT_OVERHEAD_BYTES) * 3600 / 1e9;
    double lcus = Math.max(devices / LCU_ACTIVE_FLOWS, gbPerHour / LCU_GB_PER_HOUR);
    double stormLcus = Math.max(lcus, reconnects / LCU_NEW_FLOWS);
    LoadBalancer lb = new LoadBalancer(devices, reconnects, gbPerHour, lcus, stormLcus);

    double instances = 0;
    for (Nodes n : nodes.values()) {
      instances += n.count() * n.type().usdPerHour() * HOURS_PER_YEAR;
    }
    double storage = kafkaNodes.count() * diskPerBroker * prices.ebsGp3UsdPerGibMonth() * 12;
    double balancer = (prices.nlbUsdPerHour() + lcus * prices.nlbUsdPerLcuHour()) * HOURS_PER_YEAR;
    double control = prices.eksUsdPerHour() * HOURS_PER_YEAR;
    // Every follower replica is in another zone: Kafka's and ScyllaDB's replication crosses one.
    double crossZoneGbPerYear =
        (steadyRecords + sinkWrites) * recordBytes * (rf - 1) * HOURS_PER_YEAR * 3600 / 1e9;
    double transfer = crossZoneGbPerYear * prices.interAzUsdPerGb();
    Cost cost = new Cost(instances, storage, balancer, control, transfer);

    return new Plan(
        load,
        rates,
        Map.copyOf(nodes),
        partitions,
        diskPerBroker,
        streamsGib,
        restoreMinutes,
        scyllaGb,
        lb,
        cost);
  }

  private static final double GIB = 1024.0 * 1024 * 1024;

  private record Need(String what, long count) {}

  /** The largest need, rounded up to a multiple of {@code multiple}; ties go to the first. */
  private static Nodes nodes(InstanceType type, Need[] needs, int multiple) {
    Need largest = needs[0];
    for (Need need : needs) {
      if (need.count() > largest.count()) {
        largest = need;
      }
    }
    if (largest.count() > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException(
          "the load needs more than " + Integer.MAX_VALUE / 2 + " " + type.name() + " nodes");
    }
    return new Nodes(roundUp((int) largest.count(), multiple), type, largest.what());
  }

  static long ceil(double value) {
    // A hair under an integer is that integer: 3.0000000000000004 nodes are 3, not 4.
    return (long) Math.ceil(value - 1e-9);
  }

  static int roundUp(int value, int multiple) {
    return (value + multiple - 1) / multiple * multiple;
  }
}
