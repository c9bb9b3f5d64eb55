package org.iotbackbone.simulator.bench;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttWebSocketConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.TrustManagerFactory;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.pki.SecretHashes;
import org.iotbackbone.pki.TlsContexts;
import org.iotbackbone.servers.BrokerTls;
import org.iotbackbone.servers.MqttBroker;
import org.iotbackbone.servers.MqttBrokerKind;
import org.iotbackbone.servers.MqttBrokerOptions;
import org.iotbackbone.servers.MqttListener;
import org.iotbackbone.servers.ServerOptions;

/**
 * What device security costs a connection (issue 17, "Speed"; not a test: device-simulator's README
 * gives the command, docs/benchmarks.md the figures): on each broker (Mosquitto, HiveMQ CE), side
 * by side in one run, {@code devices} devices connect and are held in each of four modes, one mode
 * at a time:
 *
 * <ul>
 *   <li>{@code tcp}: plain MQTT on an insecure broker ({@code ./iot up --insecure});
 *   <li>{@code tls}: TLS with the server's certificate only, each device logging in with its own
 *       secret (the {@code SECRET} listener; a salted hash on the broker);
 *   <li>{@code mtls}: mutual TLS, each device with its own certificate (the {@code TLS} listener);
 *   <li>{@code wss}: the same over secure WebSockets (the {@code WSS} listener, {@code /mqtt}).
 * </ul>
 *
 * <p>Per mode, after a warm-up round of a tenth of the devices: connects per second (at most {@code
 * inflight} connects in flight, the HiveMQ client as the simulator uses it; the clients, their keys
 * and trust are built before the clock starts), the broker's CPU per connect (its process's {@code
 * /proc} CPU time), this JVM's (the clients'), and the broker's and the clients' resident memory
 * per held connection ({@code VmRSS} of {@code /proc/PID/status}, before and after). Certificates
 * and secrets are made before the brokers start.
 *
 * <p>Run: {@code ./mvnw -o -Pbench -pl device-simulator test-compile -Dbench.args="5000 100"}, or
 * {@code java -cp target/classes:target/test-classes:CLASSPATH
 * org.iotbackbone.simulator.bench.ConnectBenchmark 5000 100} (devices, connects in flight).
 */
public final class ConnectBenchmark {

  private static final List<String> MODES = List.of("tcp", "tls", "mtls", "wss");

  private ConnectBenchmark() {}

  public static void main(String[] args) throws Exception {
    int devices = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int inflight = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Path dir = Files.createTempDirectory("connect-bench");
    DevicePki pki = DevicePki.create(dir.resolve("pki"));
    List<String> ids = new ArrayList<>(devices);
    for (int i = 0; i < devices; i++) {
      ids.add("bench-" + i);
    }
    long started = System.nanoTime();
    pki.writeDevices(ids, dir.resolve("devices"));
    System.out.printf(
        Locale.ROOT,
        "issued %d device certificates in %.1f s%n",
        devices,
        (System.nanoTime() - started) / 1e9);
    Map<String, String> secrets = writeSecrets(pki, ids);
    // Full JIT for HiveMQ's JVM, as a deployment runs it (the tests' quick start stops at C1).
    ServerOptions servers =
        ServerOptions.builder().quickStart(false).startTimeout(Duration.ofMinutes(3)).build();
    Map<String, Map<String, Result>> results = new LinkedHashMap<>();
    for (MqttBrokerKind kind : MqttBrokerKind.values()) {
      Map<String, Result> byMode = new LinkedHashMap<>();
      results.put(kind.name().toLowerCase(Locale.ROOT), byMode);
      try (MqttBroker plain = kind.create(MqttBrokerOptions.builder().build(), servers)) {
        plain.start();
        measure(kind, "tcp warm-up", plain, MqttListener.PLAIN, warmUp(ids), null, inflight);
        byMode.put("tcp", measure(kind, "tcp", plain, MqttListener.PLAIN, ids, null, inflight));
      }
      BrokerTls tls = BrokerTls.issue(pki, dir.resolve("tls-" + kind), List.of());
      try (MqttBroker secure = kind.create(MqttBrokerOptions.builder().tls(tls).build(), servers)) {
        secure.start();
        secure.reloadIdentities();
        for (String mode : List.of("tls", "mtls", "wss")) {
          MqttListener listener =
              switch (mode) {
                case "tls" -> MqttListener.SECRET;
                case "mtls" -> MqttListener.TLS;
                default -> MqttListener.WSS;
              };
          Credentials credentials = new Credentials(pki, dir.resolve("devices"), secrets);
          measure(kind, mode + " warm-up", secure, listener, warmUp(ids), credentials, inflight);
          byMode.put(mode, measure(kind, mode, secure, listener, ids, credentials, inflight));
        }
      }
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT, "devices per mode %d, connects in flight %d%n", devices, inflight);
    System.out.println(
        "broker     mode  connects/s  x tcp   broker CPU us/connect  x tcp   client CPU"
            + " us/connect  broker KB/conn  client KB/conn");
    results.forEach(
        (broker, byMode) -> {
          Result base = byMode.get("tcp");
          for (String mode : MODES) {
            Result r = byMode.get(mode);
            System.out.printf(
                Locale.ROOT,
                "%-10s %-5s %10.0f  %5.2f   %21.0f  %5.2f   %21.0f  %14.1f  %14.1f%n",
                broker,
                mode,
                r.connectsPerSecond,
                r.connectsPerSecond / base.connectsPerSecond,
                r.brokerCpuMicros,
                r.brokerCpuMicros / base.brokerCpuMicros,
                r.clientCpuMicros,
                r.brokerKb,
                r.clientKb);
          }
        });
  }

  /**
   * The devices of a round before each measured one, not counted: the JIT compiles the client's and
   * HiveMQ's TLS paths there, not in the first measured mode.
   */
  private static List<String> warmUp(List<String> ids) {
    return ids.subList(0, Math.min(ids.size(), Math.max(100, ids.size() / 10)));
  }

  /** The devices' TLS material: certificates on disk, the per-device secrets, the CA. */
  private record Credentials(DevicePki pki, Path certificates, Map<String, String> secrets) {
    TrustManagerFactory trust() {
      return TlsContexts.trustManagerFactory(pki.caCertificate());
    }
  }

  private record Result(
      double connectsPerSecond,
      double brokerCpuMicros,
      double clientCpuMicros,
      double brokerKb,
      double clientKb) {}

  /**
   * A secret per device, in the CA's secrets file as {@code DevicePki.addSecret} stores it (the
   * salted hash only). Written at once: {@code addSecret} rewrites the whole file for each device,
   * about as slow per device as issuing a certificate one at a time.
   */
  private static Map<String, String> writeSecrets(DevicePki pki, List<String> ids)
      throws IOException {
    SecureRandom random = new SecureRandom();
    Map<String, String> secrets = new LinkedHashMap<>();
    StringBuilder file = new StringBuilder();
    for (String id : ids) {
      byte[] bytes = new byte[18];
      random.nextBytes(bytes);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      secrets.put(id, secret);
      file.append(id).append(':').append(SecretHashes.hash(secret, random)).append('\n');
    }
    Files.writeString(pki.secrets(), file.toString());
    if (!SecretHashes.read(pki.secrets()).keySet().containsAll(ids)) {
      throw new IllegalStateException("the secrets file is not as DevicePki reads it");
    }
    return secrets;
  }

  private static Result measure(
      MqttBrokerKind kind,
      String mode,
      MqttBroker broker,
      MqttListener listener,
      List<String> ids,
      Credentials credentials,
      int inflight)
      throws Exception {
    long pid = broker.pid();
    long buildStart = System.nanoTime();
    TrustManagerFactory trust = credentials == null ? null : credentials.trust();
    List<Mqtt5AsyncClient> clients = new ArrayList<>(ids.size());
    for (String id : ids) {
      clients.add(client(broker, listener, id, credentials, trust));
    }
    double buildMs = (System.nanoTime() - buildStart) / 1e6 / ids.size();
    System.gc();
    Thread.sleep(1_000);
    long brokerRss = rssKb(pid);
    long clientRss = rssKb(ProcessHandle.current().pid());
    long brokerCpu = cpuNanos(pid);
    long clientCpu = selfCpuNanos();
    long start = System.nanoTime();
    Semaphore slots = new Semaphore(inflight);
    AtomicInteger failures = new AtomicInteger();
    List<CompletableFuture<?>> connects = new ArrayList<>(clients.size());
    for (Mqtt5AsyncClient client : clients) {
      slots.acquire();
      connects.add(
          client
              .connectWith()
              .cleanStart(true)
              .keepAlive(600)
              .send()
              .orTimeout(60, TimeUnit.SECONDS)
              .whenComplete(
                  (ack, error) -> {
                    slots.release();
                    if (error != null && failures.incrementAndGet() <= 3) {
                      System.err.println(kind + " " + mode + ": " + error);
                    }
                  }));
    }
    CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new))
        .handle((ok, error) -> null)
        .get(10, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - start) / 1e9;
    long brokerCpuUsed = cpuNanos(pid) - brokerCpu;
    long clientCpuUsed = selfCpuNanos() - clientCpu;
    int connected = clients.size() - failures.get();
    System.gc();
    Thread.sleep(2_000);
    double brokerKb = (rssKb(pid) - brokerRss) / (double) Math.max(1, connected);
    double clientKb =
        (rssKb(ProcessHandle.current().pid()) - clientRss) / (double) Math.max(1, connected);
    Result result =
        new Result(
            connected / seconds,
            brokerCpuUsed / 1e3 / Math.max(1, connected),
            clientCpuUsed / 1e3 / Math.max(1, connected),
            brokerKb,
            clientKb);
    System.out.printf(
        Locale.ROOT,
        "%s %s: %d/%d connected in %.1f s (%.0f/s), broker CPU %.0f us and client CPU %.0f us per"
            + " connect, broker %.1f KB and client %.1f KB per connection (clients built in %.2f"
            + " ms each)%n",
        kind,
        mode,
        connected,
        clients.size(),
        seconds,
        result.connectsPerSecond,
        result.brokerCpuMicros,
        result.clientCpuMicros,
        brokerKb,
        clientKb,
        buildMs);
    List<CompletableFuture<?>> disconnects = new ArrayList<>(clients.size());
    for (Mqtt5AsyncClient client : clients) {
      disconnects.add(client.disconnect().handle((ok, error) -> null));
    }
    CompletableFuture.allOf(disconnects.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    Thread.sleep(3_000);
    return result;
  }

  private static Mqtt5AsyncClient client(
      MqttBroker broker,
      MqttListener listener,
      String id,
      Credentials credentials,
      TrustManagerFactory trust) {
    Mqtt5ClientBuilder builder =
        Mqtt5Client.builder()
            .identifier(id)
            .serverHost(broker.host())
            .serverPort(broker.port(listener));
    if (listener == MqttListener.WSS) {
      builder.webSocketConfig(
          MqttWebSocketConfig.builder()
              .serverPath(MqttListener.WEBSOCKET_PATH.substring(1))
              .build());
    }
    if (listener == MqttListener.SECRET) {
      builder
          .sslConfig(MqttClientSslConfig.builder().trustManagerFactory(trust).build())
          .simpleAuth()
          .username(id)
          .password(credentials.secrets().get(id).getBytes(StandardCharsets.UTF_8))
          .applySimpleAuth();
    } else if (listener == MqttListener.TLS || listener == MqttListener.WSS) {
      builder.sslConfig(
          MqttClientSslConfig.builder()
              .keyManagerFactory(
                  TlsContexts.keyManagerFactory(
                      credentials.certificates().resolve(id + ".crt"),
                      credentials.certificates().resolve(id + ".key")))
              .trustManagerFactory(trust)
              .build());
    }
    return builder.buildAsync();
  }

  /** Resident memory of a process, KB ({@code VmRSS}). */
  private static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for pid " + pid);
  }

  private static long cpuNanos(long pid) {
    return ProcessHandle.of(pid)
        .flatMap(p -> p.info().totalCpuDuration())
        .map(Duration::toNanos)
        .orElseThrow(() -> new IllegalStateException("no CPU time of pid " + pid));
  }

  private static long selfCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
