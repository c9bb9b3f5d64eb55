package org.iotbackbone.localstack.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.iotbackbone.servers.Ports;
import org.iotbackbone.servers.launch.Launch;
import org.iotbackbone.servers.launch.Launched;

/**
 * The stack's Prometheus ({@code ./iot up --monitoring}): Debian's {@code prometheus} binary,
 * scraping every part that {@code endpoints.env} lists under a {@code METRICS_PART_URLS} key (job =
 * the part, lower case: {@code METRICS_BRIDGE_URLS} is job {@code bridge}), with the alert rules of
 * {@link MonitoringFiles#RULES} loaded, on a free loopback port, its data in {@code
 * data/prometheus/} of the stack. A part that adds a key is scraped without a change here.
 */
public final class LocalPrometheus {

  /** The part's name in the stack's records ({@code ./iot status}, {@code ./iot logs}). */
  public static final String PART = "prometheus";

  /** The variable of {@code endpoints.env} that holds Prometheus's URL. */
  public static final String URL_VARIABLE = "PROMETHEUS_URL";

  /** Where Debian's package puts the binary. */
  static final Path DEBIAN_BINARY = Path.of("/usr/bin/prometheus");

  /** {@code METRICS_PART_URLS}: the part's metrics endpoints, comma-separated. */
  private static final Pattern METRICS_KEY = Pattern.compile("METRICS_([A-Z0-9_]+)_URLS");

  /**
   * How often the parts are scraped and the rules evaluated: often, so that a test or a user sees a
   * change within seconds; a stack on one machine has few targets.
   */
  public static final String INTERVAL = "5s";

  private static final ObjectMapper JSON = new ObjectMapper();

  private LocalPrometheus() {}

  /** The binary: Debian's, else {@code prometheus} on the PATH. */
  public static Optional<Path> binary() {
    if (Files.isExecutable(DEBIAN_BINARY)) {
      return Optional.of(DEBIAN_BINARY);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "prometheus"))) {
        return Optional.of(Path.of(dir, "prometheus"));
      }
    }
    return Optional.empty();
  }

  /** What is wrong when there is no binary, and how to get one. */
  public static final String MISSING =
      "--monitoring needs Prometheus, and there is no prometheus at "
          + DEBIAN_BINARY
          + " or on the PATH: install Debian's package (apt-get install prometheus; only its"
          + " binaries are used)";

  /** The binary, or an error that says how to get it. */
  public static Path requireBinary() {
    return binary().orElseThrow(() -> new IllegalStateException(MISSING));
  }

  /**
   * The scrape targets of {@code endpoints.env}'s variables: job (the part) to its metrics URLs,
   * sorted by job.
   *
   * @throws IllegalArgumentException naming the key, when a URL is not an absolute http(s) URL
   */
  public static Map<String, List<URI>> targets(Map<String, String> variables) {
    Map<String, List<URI>> targets = new TreeMap<>();
    variables.forEach(
        (key, value) -> {
          Matcher matcher = METRICS_KEY.matcher(key);
          if (!matcher.matches()) {
            return;
          }
          String job = matcher.group(1).toLowerCase(Locale.ROOT).replace('_', '-');
          List<URI> urls = new ArrayList<>();
          for (String url : value.split(",")) {
            if (!url.isBlank()) {
              urls.add(metricsUrl(key, url.strip()));
            }
          }
          if (!urls.isEmpty()) {
            targets.put(job, urls);
          }
        });
    return targets;
  }

  private static URI metricsUrl(String key, String url) {
    try {
      URI uri = new URI(url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null
          || uri.getPort() < 0) {
        throw new IllegalArgumentException(
            key + ": '" + url + "' is not an http(s)://HOST:PORT/PATH URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(key + ": '" + url + "' is not a URL: " + e.getMessage());
    }
  }

  /**
   * The configuration ({@code prometheus.yml}; JSON, which YAML reads): one job per part, one
   * target per URL with its own path and scheme ({@code __metrics_path__}, {@code __scheme__}), so
   * that the parts of one job may serve their metrics at different paths.
   */
  static ObjectNode config(Map<String, List<URI>> targets, Path rulesFile) {
    ObjectNode config = JSON.createObjectNode();
    config
        .putObject("global")
        .put("scrape_interval", INTERVAL)
        .put("evaluation_interval", INTERVAL)
        .put("scrape_timeout", "4s");
    config.putArray("rule_files").add(rulesFile.toString());
    ArrayNode jobs = config.putArray("scrape_configs");
    targets.forEach(
        (job, urls) -> {
          ObjectNode scrape = jobs.addObject().put("job_name", job);
          ArrayNode statics = scrape.putArray("static_configs");
          for (URI url : urls) {
            ObjectNode target = statics.addObject();
            target.putArray("targets").add(url.getHost() + ":" + url.getPort());
            target
                .putObject("labels")
                .put(
                    "__metrics_path__",
                    url.getRawPath() == null || url.getRawPath().isEmpty()
                        ? "/metrics"
                        : url.getRawPath())
                .put("__scheme__", url.getScheme());
          }
        });
    return config;
  }

  /**
   * Writes the configuration and the rules, starts Prometheus in the background, records it as part
   * {@value #PART} (its health check: {@code /-/ready}) and returns its URL. {@code down} stops it
   * and deletes its data.
   */
  public static String start(StackDir dir, Path repoRoot, Map<String, String> endpointVariables)
      throws IOException {
    Path binary = requireBinary();
    Map<String, List<URI>> targets = targets(endpointVariables);
    Path home = dir.data(PART);
    Files.createDirectories(home);
    Path rules = home.resolve("rules.yml");
    Files.writeString(
        rules,
        JSON.writerWithDefaultPrettyPrinter()
            .writeValueAsString(new MonitoringFiles(repoRoot).ruleGroups()));
    Path config = home.resolve("prometheus.yml");
    Files.writeString(
        config, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config(targets, rules)));
    int port = Ports.free();
    String url = "http://127.0.0.1:" + port;
    Path log = dir.log(PART);
    Launched process =
        Launch.command(
                List.of(
                    binary.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + home.resolve("tsdb"),
                    "--storage.tsdb.retention.time=2d",
                    "--web.listen-address=127.0.0.1:" + port))
            .logFile(log)
            .workDir(home)
            .detached()
            .start();
    Map<String, String> record = new LinkedHashMap<>();
    record.put("pid", Long.toString(process.pid()));
    record.put("port", Integer.toString(port));
    record.put("url", url);
    record.put("logFile", log.toString());
    record.put("dataDir", home.toString());
    record.put("health", "http:" + url + "/-/ready");
    record.put("program", binary.toString());
    record.put("jobs", String.join(",", targets.keySet()));
    dir.save(PART, record);
    return url;
  }
}
