package org.iotbackbone.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.iotbackbone.capacity.Plan.Nodes;
import org.iotbackbone.capacity.Prices.Tier;
import org.junit.jupiter.api.Test;

class CapacityModelTest {

  private static final Figures FIGURES = Figures.measured();
  private static final Prices PRICES = Prices.listed();

  private static Plan plan(Load load) {
    return CapacityModel.plan(load, FIGURES, PRICES);
  }

  private static Load load(
      long devices, double shadowShare, double commands, double utilisation, int rf) {
    return new Load(
        devices,
        2,
        shadowShare,
        commands,
        200,
        utilisation,
        rf,
        7,
        30,
        10,
        400_000,
        Load.Transport.MTLS);
  }

  @Test
  void everyTierAndTheCostGrowWithTheDevicesAndNeverShrink() {
    Plan previous = null;
    for (long devices = 1; devices <= 200_000_000L; devices = devices * 3 + 7) {
      Plan plan = plan(Load.of(devices));
      if (previous != null) {
        for (Tier tier : Tier.values()) {
          assertThat(plan.nodes().get(tier).count())
              .as("%s at %,d devices against %,d", tier, devices, previous.load().devices())
              .isGreaterThanOrEqualTo(previous.nodes().get(tier).count());
        }
        assertThat(plan.partitionsPerTopic()).isGreaterThanOrEqualTo(previous.partitionsPerTopic());
        assertThat(plan.cost().total()).isGreaterThan(previous.cost().total());
        assertThat(plan.loadBalancer().lcus())
            .isGreaterThanOrEqualTo(previous.loadBalancer().lcus());
      }
      previous = plan;
    }
  }

  @Test
  void aTinyFleetGetsEachTiersMinimum() {
    Plan plan = plan(load(1, 0.5, 0, 0.6, 3));

    assertThat(count(plan, Tier.EDGE)).isEqualTo(3);
    assertThat(count(plan, Tier.BRIDGE)).isEqualTo(2);
    assertThat(count(plan, Tier.KAFKA)).isEqualTo(3);
    assertThat(count(plan, Tier.KAFKA_CONTROLLER)).isEqualTo(3);
    assertThat(count(plan, Tier.STREAMS)).isEqualTo(3);
    assertThat(count(plan, Tier.CONNECT)).isEqualTo(2);
    assertThat(count(plan, Tier.SCYLLA)).isEqualTo(3);
    assertThat(plan.partitionsPerTopic()).isEqualTo(12);
  }

  @Test
  void kafkaAndScyllaHaveAtLeastOneBrokerPerReplicaInWholeZones() {
    Plan five = plan(load(1, 0.5, 0, 0.6, 5));
    assertThat(count(five, Tier.KAFKA)).isEqualTo(6);
    assertThat(five.nodes().get(Tier.KAFKA).boundBy()).isEqualTo("replication factor");
    assertThat(count(five, Tier.SCYLLA)).isEqualTo(6);

    Plan one = plan(load(1, 0.5, 0, 0.6, 1));
    assertThat(count(one, Tier.KAFKA)).isEqualTo(3);
  }

  @Test
  void streamsInstancesAreTheUpdatesCpuRoundedUp() {
    // 540,000,000 devices x 2 an hour, all shadow updates: 300,000 updates/s x 0.16 ms = 48
    // cores; at 0.6 of a 2-vCPU instance (1.2 cores) that is 40 instances exactly, and 10 more
    // updates a second make it 41.
    assertThat(FIGURES.value(Measure.STREAMS_UPDATE_CPU)).isEqualTo(0.16);
    assertThat(PRICES.instance(Tier.STREAMS).vcpus()).isEqualTo(2);

    assertThat(count(plan(load(540_000_000, 1, 0, 0.6, 3)), Tier.STREAMS)).isEqualTo(40);
    assertThat(count(plan(load(540_018_000, 1, 0, 0.6, 3)), Tier.STREAMS)).isEqualTo(41);
  }

  @Test
  void edgeNodesAreTheLargestNeedRoundedUpToWholeZones() {
    // 1,200,001 devices under a limit of 400,000 at utilisation 1: 4 nodes by the limit, 6 in
    // whole zones; the memory and CPU needs are below that.
    Load load =
        new Load(1_200_001, 2, 0.5, 0, 200, 1.0, 3, 7, 30, 60, 400_000, Load.Transport.PLAIN);
    Nodes edge = plan(load).nodes().get(Tier.EDGE);

    assertThat(edge.count()).isEqualTo(6);
    assertThat(edge.boundBy()).isEqualTo("connection limit");
  }

  @Test
  void mutualTlsNeedsAtLeastTheEdgeOfPlainTcp() {
    for (long devices : List.of(100_000L, 5_000_000L, 50_000_000L)) {
      Load mtls = Load.of(devices);
      Load plain =
          new Load(
              devices,
              2,
              0.5,
              Load.defaultCommandBurst(devices),
              200,
              0.6,
              3,
              7,
              30,
              10,
              100_000_000,
              Load.Transport.PLAIN);
      Load mtlsUnlimited =
          new Load(
              devices,
              2,
              0.5,
              Load.defaultCommandBurst(devices),
              200,
              0.6,
              3,
              7,
              30,
              10,
              100_000_000,
              Load.Transport.MTLS);
      assertThat(count(plan(mtlsUnlimited), Tier.EDGE))
          .isGreaterThanOrEqualTo(count(plan(plain), Tier.EDGE));
      assertThat(count(plan(mtls), Tier.EDGE))
          .isGreaterThanOrEqualTo(count(plan(mtlsUnlimited), Tier.EDGE));
    }
  }

  @Test
  void partitionsCoverEveryStreamThreadAndSinkTaskAndSpreadEvenlyOverTheBrokers() {
    for (long devices : List.of(1L, 5_000_000L, 50_000_000L, 500_000_000L)) {
      Plan plan = plan(Load.of(devices));
      int brokers = count(plan, Tier.KAFKA);
      assertThat(plan.partitionsPerTopic() % brokers).isZero();
      assertThat(plan.partitionsPerTopic())
          .isGreaterThanOrEqualTo(count(plan, Tier.STREAMS) * 2)
          .isGreaterThanOrEqualTo(Tables.sinkTasks(plan))
          .isGreaterThanOrEqualTo(12);
    }
  }

  @Test
  void theLoadBalancerIsBilledForItsLargestDimension() {
    Plan plan = plan(Load.of(5_000_000));
    // 5,000,000 active flows / 100,000 a unit = 50; the bytes are far fewer.
    assertThat(plan.loadBalancer().lcus()).isEqualTo(50);
    assertThat(plan.loadBalancer().connections()).isEqualTo(5_000_000);
    // The storm: 5,000,000 in 10 minutes = 8,334 new flows/s / 800 = 10.4 units, under 50.
    assertThat(plan.loadBalancer().stormLcus()).isEqualTo(50);
  }

  @Test
  void moreHeadroomNeverNeedsFewerNodes() {
    Plan relaxed = plan(load(50_000_000, 0.5, 50_000, 0.8, 3));
    Plan strict = plan(load(50_000_000, 0.5, 50_000, 0.4, 3));
    for (Tier tier : Tier.values()) {
      assertThat(count(strict, tier)).as("%s", tier).isGreaterThanOrEqualTo(count(relaxed, tier));
    }
    assertThat(strict.cost().total()).isGreaterThan(relaxed.cost().total());
  }

  @Test
  void roundingHelpers() {
    assertThat(CapacityModel.ceil(3.0000000000004)).isEqualTo(3);
    assertThat(CapacityModel.ceil(3.01)).isEqualTo(4);
    assertThat(CapacityModel.ceil(0)).isZero();
    assertThat(CapacityModel.roundUp(4, 3)).isEqualTo(6);
    assertThat(CapacityModel.roundUp(6, 3)).isEqualTo(6);
    assertThat(CapacityModel.roundUp(1, 1)).isEqualTo(1);
  }

  private static int count(Plan plan, Tier tier) {
    return plan.nodes().get(tier).count();
  }
}
