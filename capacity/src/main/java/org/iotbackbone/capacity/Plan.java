package org.iotbackbone.capacity;

import java.util.Map;
import org.iotbackbone.capacity.Prices.Tier;

/**
 * What a {@link Load} needs, as {@link CapacityModel#plan} sizes it.
 *
 * @param load the inputs
 * @param rates the message rates the load makes
 * @param nodes each tier's count, type and what bound it
 * @param partitionsPerTopic partitions of each of the platform's topics
 * @param kafkaDiskGibPerBroker the log volume of each broker (gp3)
 * @param streamsStateGibPerInstance the shadows one streams-app instance holds
 * @param streamsRestoreMinutes how long one instance takes to restore its shadows from scratch
 * @param scyllaDataGb the data ScyllaDB holds, replicas included
 * @param loadBalancer the network load balancer in front of the edge
 * @param cost the cost per year
 */
public record Plan(
    Load load,
    Rates rates,
    Map<Tier, Nodes> nodes,
    int partitionsPerTopic,
    double kafkaDiskGibPerBroker,
    double streamsStateGibPerInstance,
    double streamsRestoreMinutes,
    double scyllaDataGb,
    LoadBalancer loadBalancer,
    Cost cost) {

  /**
   * Message rates per second.
   *
   * @param uplink device messages, steady (events and shadow updates)
   * @param shadowUpdates shadow updates, steady
   * @param events events, steady
   * @param commands commands at the peak of a burst
   * @param reconnects devices connecting per second in a reconnect storm
   * @param edgeMessages messages through the edge brokers and the bridge at the peak (steady, burst
   *     and storm at once): uplink, answers, commands and their acks, presence
   * @param kafkaRecords records written to Kafka at the peak
   * @param steadyKafkaRecords records written to Kafka on average (retention)
   * @param sinkWrites writes into ScyllaDB (shadow changes and archived events)
   */
  public record Rates(
      double uplink,
      double shadowUpdates,
      double events,
      double commands,
      double reconnects,
      double edgeMessages,
      double kafkaRecords,
      double steadyKafkaRecords,
      double sinkWrites) {}

  /**
   * One tier's nodes.
   *
   * @param count how many
   * @param type the instance type each runs on
   * @param boundBy what set the count (the largest of the tier's needs)
   */
  public record Nodes(int count, InstanceType type, String boundBy) {}

  /**
   * The network load balancer (TCP listeners, TLS passed through to the brokers).
   *
   * @param connections active connections (one per device)
   * @param newConnectionsPerSecond new connections per second in a reconnect storm
   * @param gbPerHour bytes processed per hour, steady
   * @param lcus load balancer capacity units, steady (billed)
   * @param stormLcus load balancer capacity units in a reconnect storm
   */
  public record LoadBalancer(
      long connections,
      double newConnectionsPerSecond,
      double gbPerHour,
      double lcus,
      double stormLcus) {}

  /**
   * US dollars per year at the listed on-demand prices.
   *
   * @param instances every tier's instances
   * @param storage Kafka's gp3 volumes
   * @param loadBalancer the NLB and its capacity units
   * @param control the EKS control plane
   * @param transfer replication between availability zones
   */
  public record Cost(
      double instances, double storage, double loadBalancer, double control, double transfer) {

    public double total() {
      return instances + storage + loadBalancer + control + transfer;
    }
  }

  /** The cost per device and year. */
  public double usdPerDeviceYear() {
    return cost.total() / load.devices();
  }
}
