package org.iotbackbone.capacity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.iotbackbone.capacity.Plan.Nodes;
import org.iotbackbone.capacity.Prices.Tier;

/** The model's answers, figures and assumptions as Markdown tables (docs/capacity.md). */
public final class Tables {

  private Tables() {}

  /** One column per plan, one row per answer. */
  public static String plans(List<Plan> plans) {
    List<String> rows = new ArrayList<>();
    StringBuilder head = new StringBuilder("| |");
    StringBuilder rule = new StringBuilder("|---|");
    for (Plan plan : plans) {
      head.append(' ').append(count(plan.load().devices())).append(" devices |");
      rule.append("---|");
    }
    rows.add(head.toString());
    rows.add(rule.toString());
    row(rows, plans, "uplink messages/s (steady)", p -> count(p.rates().uplink()));
    row(rows, plans, "shadow updates/s (steady)", p -> count(p.rates().shadowUpdates()));
    row(rows, plans, "command burst, commands/s", p -> count(p.rates().commands()));
    row(rows, plans, "reconnect storm, connects/s", p -> count(p.rates().reconnects()));
    row(
        rows,
        plans,
        "edge and bridge messages/s at the peak",
        p -> count(p.rates().edgeMessages()));
    row(rows, plans, "Kafka records/s at the peak", p -> count(p.rates().kafkaRecords()));
    for (Tier tier : Tier.values()) {
      row(rows, plans, "**" + tier.title() + "**", p -> nodes(p.nodes().get(tier)));
    }
    row(rows, plans, "Kafka partitions per topic", p -> count(p.partitionsPerTopic()));
    row(rows, plans, "Kafka disk per broker (gp3)", p -> count(p.kafkaDiskGibPerBroker()) + " GiB");
    row(rows, plans, "Connect sink tasks", p -> count(sinkTasks(p)));
    row(
        rows,
        plans,
        "streams-app state per instance, restore from scratch",
        p ->
            String.format(
                Locale.ROOT,
                "%.1f GiB, %.1f min",
                p.streamsStateGibPerInstance(),
                p.streamsRestoreMinutes()));
    row(rows, plans, "ScyllaDB data, replicas included", p -> count(p.scyllaDataGb()) + " GB");
    row(rows, plans, "load balancer: connections", p -> count(p.loadBalancer().connections()));
    row(
        rows,
        plans,
        "load balancer: new connections/s in a storm",
        p -> count(p.loadBalancer().newConnectionsPerSecond()));
    row(
        rows,
        plans,
        "load balancer: NLB LCUs steady (in a storm)",
        p ->
            String.format(
                Locale.ROOT,
                "%s (%s)",
                count(p.loadBalancer().lcus()),
                count(p.loadBalancer().stormLcus())));
    row(rows, plans, "cost per year: instances", p -> usd(p.cost().instances()));
    row(rows, plans, "cost per year: Kafka volumes", p -> usd(p.cost().storage()));
    row(rows, plans, "cost per year: load balancer", p -> usd(p.cost().loadBalancer()));
    row(rows, plans, "cost per year: EKS control plane", p -> usd(p.cost().control()));
    row(rows, plans, "cost per year: replication between zones", p -> usd(p.cost().transfer()));
    row(rows, plans, "**cost per year**", p -> "**" + usd(p.cost().total()) + "**");
    row(
        rows,
        plans,
        "**cost per device and year**",
        p -> String.format(Locale.ROOT, "**$%.4f**", p.usdPerDeviceYear()));
    return String.join("\n", rows) + "\n";
  }

  /** Every per-unit figure with its value, source and derivation. */
  public static String figures(Figures figures) {
    StringBuilder out =
        new StringBuilder(
            "| figure | value | benchmark run (docs/benchmarks.md) | quoted | derivation |\n"
                + "|---|---|---|---|---|\n");
    for (Figure f : figures.all()) {
      out.append(
          String.format(
              Locale.ROOT,
              "| `%s` | %s %s | %s, %s, `%s` | %s | %s |%n",
              f.measure().key(),
              number(f.value()),
              f.measure().unit(),
              f.section(),
              f.date(),
              f.commit(),
              f.quote().replace("|", "\\|"),
              f.derivation().replace("|", "\\|")));
    }
    return out.toString();
  }

  /** The instance types and prices. */
  public static String prices(Prices prices) {
    StringBuilder out =
        new StringBuilder(
            "| tier | instance type | vCPUs | memory | local NVMe | USD per hour |\n"
                + "|---|---|---|---|---|---|\n");
    for (Tier tier : Tier.values()) {
      InstanceType type = prices.instance(tier);
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %s GiB | %s | %s |%n",
              tier.title(),
              type.name(),
              type.vcpus(),
              number(type.memoryGib()),
              type.nvmeGb() > 0 ? number(type.nvmeGb()) + " GB" : "none (EBS)",
              number(type.usdPerHour())));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nOther prices: gp3 %s USD per GiB-month; NLB %s USD per hour and %s USD per"
                + " LCU-hour; EKS %s USD per cluster-hour; between zones %s USD per GB. Region"
                + " %s, dated %s: %s.%n",
            number(prices.ebsGp3UsdPerGibMonth()),
            number(prices.nlbUsdPerHour()),
            number(prices.nlbUsdPerLcuHour()),
            number(prices.eksUsdPerHour()),
            number(prices.interAzUsdPerGb()),
            prices.region(),
            prices.date(),
            prices.source()));
    return out.toString();
  }

  /** The constants no benchmark measured. */
  public static String assumptions() {
    StringBuilder out = new StringBuilder("| assumption | value | from |\n|---|---|---|\n");
    for (CapacityModel.Assumption a : CapacityModel.assumptions()) {
      out.append("| ").append(a.name()).append(" | ").append(a.value()).append(" | ");
      out.append(a.why()).append(" |\n");
    }
    return out.toString();
  }

  static int sinkTasks(Plan plan) {
    Nodes connect = plan.nodes().get(Tier.CONNECT);
    return connect.count() * connect.type().vcpus();
  }

  private static void row(
      List<String> rows, List<Plan> plans, String name, Function<Plan, String> cell) {
    StringBuilder row = new StringBuilder("| ").append(name).append(" |");
    for (Plan plan : plans) {
      row.append(' ').append(cell.apply(plan)).append(" |");
    }
    rows.add(row.toString());
  }

  private static String nodes(Nodes nodes) {
    return String.format(
        Locale.ROOT,
        "%s × %s (%s), %s a year",
        count(nodes.count()),
        nodes.type().name(),
        nodes.boundBy(),
        usd(nodes.count() * nodes.type().usdPerHour() * CapacityModel.HOURS_PER_YEAR));
  }

  static String count(double value) {
    return String.format(Locale.ROOT, "%,d", Math.round(Math.ceil(value - 1e-9)));
  }

  private static String usd(double value) {
    return String.format(Locale.ROOT, "$%,d", Math.round(value));
  }

  private static String number(double value) {
    return value == Math.rint(value)
        ? String.format(Locale.ROOT, "%,d", (long) value)
        : String.format(Locale.ROOT, "%s", value);
  }
}
