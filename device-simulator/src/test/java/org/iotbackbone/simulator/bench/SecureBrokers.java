package org.iotbackbone.simulator.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.servers.BrokerTls;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttBrokerKind;
import org.iotbackbone.servers.MqttBrokerOptions;
import org.iotbackbone.servers.MqttListener;
import org.iotbackbone.servers.ServerOptions;

/**
 * Secure Mosquitto brokers for a large fleet of the simulator's parts without the rest of the
 * platform (docs/benchmarks.md, "the largest mutually-authenticated fleet"; not a test): starts
 * {@code count} brokers on one device CA, writes an endpoints file ({@code MQTT_URLS} of their TLS
 * listeners, {@code DEVICE_CA_FILE}, {@code DEVICE_PKI_DIR}; Kafka and the REST API unreachable
 * placeholders, which a part with no events, updates or commands never calls), and prints every 10
 * s the connections' memory and CPU of the brokers, until its standard input closes.
 *
 * <p>Run: {@code java -cp ... org.iotbackbone.simulator.bench.SecureBrokers COUNT DIR}.
 */
public final class SecureBrokers {

  private SecureBrokers() {}

  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(args[0]);
    Path dir = Path.of(args[1]);
    DevicePki pki = DevicePki.openOrCreate(dir.resolve("pki"));
    ServerOptions servers = ServerOptions.builder().startTimeout(Duration.ofMinutes(3)).build();
    List<MqttBroker> brokers = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        BrokerTls tls = BrokerTls.issue(pki, dir.resolve("tls-" + i), List.of());
        MqttBroker broker =
            MqttBrokerKind.MOSQUITTO.create(MqttBrokerOptions.builder().tls(tls).build(), servers);
        broker.start();
        brokers.add(broker);
      }
      Path endpoints = dir.resolve("endpoints.env");
      Files.writeString(
          endpoints,
          "MQTT_URLS="
              + brokers.stream().map(b -> b.uri(MqttListener.TLS)).collect(Collectors.joining(","))
              + "\nDEVICE_CA_FILE="
              + pki.caCertificate()
              + "\nDEVICE_PKI_DIR="
              + pki.dir()
              + "\nKAFKA_BOOTSTRAP=127.0.0.1:9\nREGISTRY_URL=http://127.0.0.1:9/apis/ccompat/v7"
              + "\nREST_URL=http://127.0.0.1:9\n");
      System.out.println("endpoints: " + endpoints);
      System.out.flush();
      Thread reader =
          new Thread(
              () -> {
                try {
                  while (System.in.read() >= 0) {
                    // only its end matters
                  }
                } catch (java.io.IOException e) {
                  // ended
                }
              });
      reader.setDaemon(true);
      reader.start();
      while (reader.isAlive()) {
        long rss = 0;
        long cpu = 0;
        for (MqttBroker broker : brokers) {
          rss += rssKb(broker.pid());
          cpu +=
              ProcessHandle.of(broker.pid())
                  .flatMap(p -> p.info().totalCpuDuration())
                  .map(Duration::toMillis)
                  .orElse(0L);
        }
        System.out.printf(
            Locale.ROOT, "brokers: RSS %d MB, CPU %.1f s%n", rss / 1024, cpu / 1000.0);
        System.out.flush();
        reader.join(10_000);
      }
    } finally {
      brokers.forEach(MqttBroker::close);
    }
  }

  private static long rssKb(long pid) throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }
}
