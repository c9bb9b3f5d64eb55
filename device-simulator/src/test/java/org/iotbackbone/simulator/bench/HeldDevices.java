package org.iotbackbone.simulator.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.servers.BrokerTls;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttBrokerKind;
import org.iotbackbone.servers.MqttBrokerOptions;
import org.iotbackbone.servers.MqttListener;
import org.iotbackbone.servers.ServerOptions;
import org.iotbackbone.simulator.SimulatorMain;
import org.iotbackbone.simulator.internal.PartStatus;

/**
 * What a held idle device costs the simulator (issue 22; not a test: docs/benchmarks.md gives the
 * command and the figures): starts Mosquitto brokers (at most 15,000 devices each, plain or with
 * mutual TLS on one device CA), then one simulator part in a JVM of its own, as {@code ./iot
 * simulate} starts its parts ({@link SimulatorMain} {@code --part=0/1}, {@code connect-storm} with
 * no events, 300 s keep-alives), which issues its devices' certificates and connects them as fast
 * as it can. Printed: the connect rate and the part's CPU per connect over the ramp; once all are
 * connected and after a full GC, its resident memory ({@code VmRSS}) and live heap per device (and
 * the heap histogram's largest classes into {@code DIR/histogram.txt}); then its CPU per held idle
 * device over {@code hold} seconds.
 *
 * <p>Run: {@code java -cp target/classes:target/test-classes:CLASSPATH
 * org.iotbackbone.simulator.bench.HeldDevices MODE DEVICES HOLD [PART JVM OPTIONS...]}, MODE {@code
 * tcp} or {@code mtls}, HOLD in seconds.
 */
public final class HeldDevices {

  private static final int DEVICES_PER_BROKER = 15_000;

  private HeldDevices() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int devices = Integer.parseInt(args[1]);
    int hold = Integer.parseInt(args[2]);
    List<String> jvmOptions = List.of(args).subList(3, args.length);
    boolean tls =
        switch (mode) {
          case "tcp" -> false;
          case "mtls" -> true;
          default -> throw new IllegalArgumentException("MODE is tcp or mtls, not " + mode);
        };
    Path dir = Files.createTempDirectory("held-devices");
    DevicePki pki = tls ? DevicePki.openOrCreate(dir.resolve("pki")) : null;
    ServerOptions servers = ServerOptions.builder().startTimeout(Duration.ofMinutes(3)).build();
    List<MqttBroker> brokers = new ArrayList<>();
    Process part = null;
    try {
      for (int i = 0; i < (devices + DEVICES_PER_BROKER - 1) / DEVICES_PER_BROKER; i++) {
        MqttBrokerOptions.Builder options = MqttBrokerOptions.builder();
        if (tls) {
          options.tls(BrokerTls.issue(pki, dir.resolve("tls-" + i), List.of()));
        }
        MqttBroker broker = MqttBrokerKind.MOSQUITTO.create(options.build(), servers);
        broker.start();
        brokers.add(broker);
      }
      MqttListener listener = tls ? MqttListener.TLS : MqttListener.PLAIN;
      Path endpoints = dir.resolve("endpoints.env");
      Files.writeString(
          endpoints,
          "MQTT_URLS="
              + brokers.stream().map(b -> b.uri(listener)).collect(Collectors.joining(","))
              + (tls
                  ? "\nDEVICE_CA_FILE=" + pki.caCertificate() + "\nDEVICE_PKI_DIR=" + pki.dir()
                  : "")
              + "\nKAFKA_BOOTSTRAP=127.0.0.1:9\nREGISTRY_URL=http://127.0.0.1:9/apis/ccompat/v7"
              + "\nREST_URL=http://127.0.0.1:9\n");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmOptions);
      command.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              SimulatorMain.class.getName(),
              "--endpoints=" + endpoints,
              "--part=0/1",
              "--run-id=held",
              "--scenario=connect-storm",
              "--set=devices=" + devices,
              "--set=connect.per.second=100000",
              "--set=keep.alive.seconds=300",
              "--set=events.per.second=0",
              "--set=duration.seconds=3600",
              "--set=drain.seconds=0"));
      part =
          new ProcessBuilder(command)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
      long pid = part.pid();
      AtomicInteger connected = new AtomicInteger(-1);
      AtomicLong firstStatus = new AtomicLong();
      AtomicLong cpuAtFirstStatus = new AtomicLong();
      AtomicLong rssAtFirstStatus = new AtomicLong();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(part.getInputStream(), StandardCharsets.UTF_8));
      Thread reader =
          new Thread(
              () -> {
                try {
                  for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith(PartStatus.MARK)) {
                      if (firstStatus.get() == 0) {
                        // The ramp started a second ago (the first status comes after a second).
                        cpuAtFirstStatus.set(cpuMillis(pid));
                        rssAtFirstStatus.set(rssKb(pid));
                        firstStatus.set(System.nanoTime() - TimeUnit.SECONDS.toNanos(1));
                      }
                      connected.set(PartStatus.parse(line).connected());
                    }
                  }
                } catch (IOException e) {
                  // the part ended
                }
              });
      reader.setDaemon(true);
      reader.start();
      long patience = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
      while (connected.get() < devices && System.nanoTime() < patience && part.isAlive()) {
        Thread.sleep(100);
      }
      long rampNanos = System.nanoTime() - firstStatus.get();
      long rampCpu = cpuMillis(pid) - cpuAtFirstStatus.get();
      int held = connected.get();
      System.out.printf(
          Locale.ROOT,
          "%s: %d of %d connected in %.1f s: %.0f connects/s, part CPU %.2f ms per connect%n",
          mode,
          held,
          devices,
          rampNanos / 1e9,
          held / (rampNanos / 1e9),
          (double) rampCpu / held);
      Thread.sleep(10_000);
      jcmd(pid, "GC.run");
      Thread.sleep(2_000);
      String histogram = jcmd(pid, "GC.class_histogram");
      Files.writeString(dir.resolve("histogram.txt"), histogram);
      long heapBytes = histogramTotal(histogram);
      long rss = rssKb(pid);
      System.out.printf(
          Locale.ROOT,
          "%s: held %d; part RSS %d MB (%.1f KB per device; %.1f KB per device over the RSS at"
              + " the ramp's start, %d MB); live heap %d MB (%.1f KB per device); histogram in %s%n",
          mode,
          held,
          rss / 1024,
          (double) rss / held,
          (double) (rss - rssAtFirstStatus.get()) / held,
          rssAtFirstStatus.get() / 1024,
          heapBytes >> 20,
          heapBytes / 1024.0 / held,
          dir.resolve("histogram.txt"));
      histogram.lines().limit(28).forEach(System.out::println);
      long cpuBefore = cpuMillis(pid);
      long holdStart = System.nanoTime();
      Thread.sleep(hold * 1000L);
      double holdSeconds = (System.nanoTime() - holdStart) / 1e9;
      double cores = (cpuMillis(pid) - cpuBefore) / 1000.0 / holdSeconds;
      System.out.printf(
          Locale.ROOT,
          "%s: held idle %.0f s: part %.3f of a core for %d devices, %.2f cores per 100,000;"
              + " still connected %d%n",
          mode,
          holdSeconds,
          cores,
          held,
          cores * 100_000 / held,
          connected.get());
    } finally {
      if (part != null) {
        part.getOutputStream().close();
        if (!part.waitFor(120, TimeUnit.SECONDS)) {
          part.destroyForcibly();
        }
      }
      brokers.forEach(MqttBroker::close);
    }
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid),
                command)
            .redirectErrorStream(true)
            .start();
    String text = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor();
    return text;
  }

  /** The histogram's last line: {@code Total INSTANCES BYTES}. */
  private static long histogramTotal(String histogram) {
    return histogram
        .lines()
        .filter(line -> line.startsWith("Total"))
        .map(line -> Long.parseLong(line.trim().split("\\s+")[2]))
        .findFirst()
        .orElse(0L);
  }

  /** User and system CPU of a process, from {@code /proc/PID/stat} (clock ticks of 10 ms). */
  private static long cpuMillis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    } catch (IOException e) {
      return 0;
    }
  }

  private static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      // gone
    }
    return 0;
  }
}
