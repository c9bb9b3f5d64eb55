package org.iotbackbone.capacity;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./iot capacity}: what fleets need and cost, as a Markdown table (one column per fleet
 * size), from the measured figures of docs/benchmarks.md.
 */
@Command(
    name = "capacity",
    mixinStandardHelpOptions = true,
    description =
        "What N devices need (edge brokers, bridges, Kafka, streams app, sink, ScyllaDB, load"
            + " balancer) and cost per year on AWS, from this repository's benchmark figures"
            + " (docs/capacity.md). Prints a Markdown table, one column per fleet size.")
public final class CapacityCommand implements Callable<Integer> {

  @Option(
      names = "--devices",
      split = ",",
      paramLabel = "N",
      description =
          "Fleet sizes, comma-separated; K and M suffixes and _ separators are accepted"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "5M,50M")
  List<String> devices = new ArrayList<>();

  @Option(
      names = "--messages-per-device-hour",
      description =
          "Uplink messages per device and hour (default: ${DEFAULT-VALUE}, the case"
              + " study's mix).",
      defaultValue = "2")
  double messagesPerDeviceHour;

  @Option(
      names = "--shadow-share",
      description =
          "Share of the uplink messages that are shadow updates, the rest events"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.5")
  double shadowShare;

  @Option(
      names = "--command-burst",
      paramLabel = "PER_SECOND",
      description = "Commands per second at the peak of a burst (default: 0.1%% of the devices).")
  Double commandBurst;

  @Option(
      names = "--payload-bytes",
      description = "A message's payload (default: ${DEFAULT-VALUE}).",
      defaultValue = "200")
  int payloadBytes;

  @Option(
      names = "--target-utilisation",
      description =
          "Share of each resource a node may use in normal operation (default: ${DEFAULT-VALUE}:"
              + " after losing one of three zones the rest run at 0.9).",
      defaultValue = "0.6")
  double targetUtilisation;

  @Option(
      names = "--replication-factor",
      description = "Kafka's and ScyllaDB's replication factor (default: ${DEFAULT-VALUE}).",
      defaultValue = "3")
  int replicationFactor;

  @Option(
      names = "--retention-days",
      description = "Kafka's retention of the device traffic (default: ${DEFAULT-VALUE}).",
      defaultValue = "7")
  int retentionDays;

  @Option(
      names = "--archive-days",
      description = "ScyllaDB's retention of archived events (default: ${DEFAULT-VALUE}).",
      defaultValue = "30")
  int archiveDays;

  @Option(
      names = "--reconnect-minutes",
      description =
          "Every device must be able to connect again within this time (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "10")
  int reconnectMinutes;

  @Option(
      names = "--max-connections-per-node",
      description =
          "An edge node's configured connection limit (default: ${DEFAULT-VALUE}, EMQX's"
              + " max_connections in strimzi/).",
      defaultValue = "400000")
  long maxConnectionsPerNode;

  @Option(
      names = "--transport",
      description = "How devices connect: mtls (mutual TLS) or plain (default: ${DEFAULT-VALUE}).",
      defaultValue = "mtls",
      converter = TransportConverter.class)
  Load.Transport transport;

  @Option(
      names = "--figures",
      description = "Print the per-unit figures with their benchmark runs instead.")
  boolean figures;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new CapacityCommand()).execute(args));
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (figures) {
      out.print(Tables.figures(Figures.measured()));
      out.flush();
      return 0;
    }
    List<Plan> plans = new ArrayList<>();
    Figures measured = Figures.measured();
    Prices prices = Prices.listed();
    for (String text : devices) {
      long count = devices(text);
      Load load;
      try {
        load =
            new Load(
                count,
                messagesPerDeviceHour,
                shadowShare,
                commandBurst != null ? commandBurst : Load.defaultCommandBurst(count),
                payloadBytes,
                targetUtilisation,
                replicationFactor,
                retentionDays,
                archiveDays,
                reconnectMinutes,
                maxConnectionsPerNode,
                transport);
        plans.add(CapacityModel.plan(load, measured, prices));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    out.print(Tables.plans(plans));
    out.flush();
    return 0;
  }

  /** {@code 5M}, {@code 50_000_000}, {@code 2_500K}: a device count. */
  long devices(String text) {
    String digits = text.strip().replace("_", "").toUpperCase(Locale.ROOT);
    long unit = 1;
    if (digits.endsWith("K")) {
      unit = 1_000;
    } else if (digits.endsWith("M")) {
      unit = 1_000_000;
    }
    if (unit > 1) {
      digits = digits.substring(0, digits.length() - 1);
    }
    try {
      return Math.multiplyExact(Long.parseLong(digits), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--devices must be whole numbers such as 5000000, 5M or 2_500K, got '" + text + "'");
    }
  }

  static final class TransportConverter implements CommandLine.ITypeConverter<Load.Transport> {
    @Override
    public Load.Transport convert(String value) {
      try {
        return Load.Transport.valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "--transport must be mtls or plain, got '" + value + "'");
      }
    }
  }
}
