package org.iotbackbone.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the overlays make of the real bases: dev runs one of everything that can run once, small;
 * production spreads over three zones. (OverlaysTest validates what they render; this checks the
 * sizes their patches set, which Kustomize would not complain about if a patch missed.)
 */
class OverlayPatchesTest {

  @Test
  void devIsSmall() {
    List<ObjectNode> dev = render("dev");
    assertThat(number(dev, "KafkaNodePool", "controllers", "/spec/replicas")).isEqualTo(1);
    assertThat(number(dev, "KafkaNodePool", "brokers", "/spec/replicas")).isEqualTo(3);
    assertThat(number(dev, "KafkaConnect", "iot-connect", "/spec/replicas")).isEqualTo(1);
    assertThat(number(dev, "Deployment", "apicurio-registry", "/spec/replicas")).isEqualTo(1);
    assertThat(number(dev, "StatefulSet", "streams-app", "/spec/replicas")).isEqualTo(1);
    assertThat(number(dev, "HorizontalPodAutoscaler", "ingest-bridge", "/spec/maxReplicas"))
        .isEqualTo(2);
    assertThat(
            text(
                dev,
                "StatefulSet",
                "ingest-bridge",
                "/spec/template/spec/containers/0/resources/limits/memory"))
        .isEqualTo("512Mi");
    assertThat(number(dev, "EMQX", "emqx", "/spec/coreTemplate/spec/replicas")).isEqualTo(1);
    JsonNode racks = find(dev, "ScyllaCluster", "iot-scylla").at("/spec/datacenter/racks");
    assertThat(racks.size()).isEqualTo(1);
    assertThat(racks.get(0).path("members").asInt()).isEqualTo(1);
    assertThat(racks.get(0).has("placement")).as("no zone affinity in dev").isFalse();
    // One ScyllaDB node: the keyspace keeps one replica, so LOCAL_QUORUM can be reached.
    assertThat(configMapEntry(dev, "scylla-schema-cql", "keyspace.cql")).contains("'dc1': 1}");
  }

  @Test
  void devWithMosquittoHasTwoBrokersAndOneBridge() {
    List<ObjectNode> dev = render("dev-mosquitto");
    assertThat(find(dev, "StatefulSet", "mosquitto-a")).isNotNull();
    assertThat(find(dev, "StatefulSet", "mosquitto-b")).isNotNull();
    assertThat(dev).noneMatch(d -> d.path("kind").asString().equals("EMQX"));
    assertThat(dev)
        .noneMatch(d -> d.at("/metadata/name").asString().startsWith("emqx"))
        .as("no EMQX PodMonitor, Service or ingress without EMQX");
    assertThat(text(dev, "ConfigMap", "ingest-bridge-config", "/data/IOT_BRIDGE_MQTT_BROKERS"))
        .isEqualTo("a=mosquitto-a:8885,b=mosquitto-b:8885");
    // One bridge member: Mosquitto's round-robin would reorder a device's messages over two.
    assertThat(number(dev, "HorizontalPodAutoscaler", "ingest-bridge", "/spec/maxReplicas"))
        .isEqualTo(1);
    assertThat(configMapEntry(dev, "scylla-schema-cql", "keyspace.cql")).contains("'dc1': 1}");
  }

  @Test
  void productionIsSpreadOverThreeZones() {
    List<ObjectNode> production = render("production");
    assertThat(number(production, "KafkaNodePool", "controllers", "/spec/replicas")).isEqualTo(3);
    assertThat(number(production, "KafkaNodePool", "brokers", "/spec/replicas")).isEqualTo(3);
    assertThat(number(production, "HorizontalPodAutoscaler", "ingest-bridge", "/spec/minReplicas"))
        .isEqualTo(3);
    assertThat(number(production, "StatefulSet", "streams-app", "/spec/replicas")).isEqualTo(3);
    assertThat(number(production, "EMQX", "emqx", "/spec/coreTemplate/spec/replicas")).isEqualTo(3);
    JsonNode racks = find(production, "ScyllaCluster", "iot-scylla").at("/spec/datacenter/racks");
    assertThat(racks.size()).isEqualTo(3);
    int members = 0;
    for (JsonNode rack : racks) {
      members += rack.path("members").asInt();
    }
    assertThat(members).isEqualTo(3);
    assertThat(configMapEntry(production, "scylla-schema-cql", "keyspace.cql"))
        .contains("'dc1': 3}");
  }

  @Test
  void productionPutsEachTierOnItsNodes() {
    // The labels and taints of terraform/modules/cluster's node groups: edge, kafka and scylla
    // are tainted, so their pods need the toleration and select their tier; the rest runs on the
    // untainted apps tier.
    List<ObjectNode> production = render("production");
    assertThat(find(production, "EMQX", "emqx").at("/spec/coreTemplate/spec/nodeSelector"))
        .isEqualTo(Yaml.readOne("{iotbackbone.org/node-tier: edge}"));
    assertThat(tolerations(find(production, "EMQX", "emqx").at("/spec/coreTemplate/spec")))
        .containsExactly("iotbackbone.org/node-tier=edge:NoSchedule");
    JsonNode haproxy = find(production, "DaemonSet", "emqx-haproxy").at("/spec/template/spec");
    assertThat(haproxy.at("/nodeSelector/iotbackbone.org~1node-tier").asString()).isEqualTo("edge");
    assertThat(tolerations(haproxy)).containsExactly("iotbackbone.org/node-tier=edge:NoSchedule");
    for (String pool : List.of("controllers", "brokers")) {
      JsonNode pod = find(production, "KafkaNodePool", pool).at("/spec/template/pod");
      assertThat(
              pod.at(
                  "/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution"
                      + "/nodeSelectorTerms/0/matchExpressions/0"))
          .isEqualTo(
              Yaml.readOne("{key: iotbackbone.org/node-tier, operator: In, values: [kafka]}"));
      assertThat(tolerations(pod)).containsExactly("iotbackbone.org/node-tier=kafka:NoSchedule");
    }
    for (JsonNode rack :
        find(production, "ScyllaCluster", "iot-scylla").at("/spec/datacenter/racks")) {
      JsonNode placement = rack.path("placement");
      assertThat(
              placement.at(
                  "/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution"
                      + "/nodeSelectorTerms/0/matchExpressions"))
          .as("rack %s keeps its zone and adds the tier", rack.path("name").asString())
          .hasSize(2)
          .contains(
              Yaml.readOne("{key: iotbackbone.org/node-tier, operator: In, values: [scylla]}"));
      assertThat(tolerations(placement))
          .containsExactly("iotbackbone.org/node-tier=scylla:NoSchedule");
    }
    for (String name : List.of("ingest-bridge", "streams-app")) {
      assertThat(
              find(production, "StatefulSet", name)
                  .at("/spec/template/spec/tolerations")
                  .isMissingNode())
          .as("%s runs on the untainted apps tier", name)
          .isTrue();
    }
  }

  @Test
  void devPlacesNothingOnTiers() {
    // A kind cluster's nodes have no tier labels: nothing may require one.
    assertThat(render("dev")).noneMatch(d -> d.toString().contains("iotbackbone.org/node-tier"));
  }

  private static List<String> tolerations(JsonNode spec) {
    List<String> out = new java.util.ArrayList<>();
    for (JsonNode t : spec.path("tolerations")) {
      out.add(
          t.path("key").asString()
              + "="
              + t.path("value").asString()
              + ":"
              + t.path("effect").asString());
    }
    return out;
  }

  @Test
  void productionRunsTheImagesItsPlatformImagesFileNames() {
    List<ObjectNode> production = render("production");
    String bridge = "registry.test.internal/iot/ingest-bridge:0.1.0";
    String streams = "registry.test.internal/iot/streams-app:0.1.0";
    ObjectNode bridgeSet = find(production, "StatefulSet", "ingest-bridge");
    assertThat(images(bridgeSet, "initContainers")).containsExactly(bridge);
    assertThat(images(bridgeSet, "containers")).containsExactly(bridge);
    ObjectNode streamsSet = find(production, "StatefulSet", "streams-app");
    assertThat(images(streamsSet, "initContainers")).containsExactly(streams);
    assertThat(images(streamsSet, "containers")).containsExactly(streams);
    assertThat(images(find(production, "Job", "schema-registration"), "containers"))
        .containsExactly(streams);
    assertThat(production)
        .as("platform-images is read by Kustomize, never applied")
        .noneMatch(d -> d.at("/metadata/name").asString().equals("platform-images"));
  }

  @Test
  void devRunsTheLocalImageNamesThatKindLoads() {
    ObjectNode bridgeSet = find(render("dev"), "StatefulSet", "ingest-bridge");
    assertThat(images(bridgeSet, "containers")).containsExactly("iot/ingest-bridge:0.1.0");
  }

  /**
   * Production without the operator's platform-images.env, or with a key missing, does not render:
   * the error names what to write, and the bases' unpublished {@code iot/...} names never reach a
   * cluster that would try to pull them.
   */
  @Test
  void productionWithoutItsImageNamesDoesNotRender() throws Exception {
    Optional<Kubectl> kubectl = Kubectl.find();
    TestEnvironment.require(kubectl.isPresent(), "no kubectl with kustomize (.ci/run installs it)");
    Path production =
        SiteFiles.withoutSiteFiles(TestEnvironment.strimziDir().resolve("overlays/production"));
    assertThatThrownBy(() -> kubectl.get().kustomize(production))
        .hasMessageContaining("platform-images.env")
        .hasMessageContaining("no such file");

    Files.writeString(
        production.resolve("platform-images.env"),
        "ingest-bridge=registry.test.internal/iot/ingest-bridge:0.1.0\n");
    Files.copy(testSiteFile("production", "rest-auth.env"), production.resolve("rest-auth.env"));
    assertThatThrownBy(() -> kubectl.get().kustomize(production))
        .hasMessageContaining("data.streams-app")
        .hasMessageContaining("platform-images");
  }

  /**
   * Every overlay takes the REST API's identity provider from the operator's rest-auth.env: without
   * it the render fails naming it (the streams app would refuse to start, on the cluster, for want
   * of an issuer); with it, the streams app's settings carry it.
   */
  @Test
  void everyOverlayNeedsTheRestApisIdentityProvider() {
    Optional<Kubectl> kubectl = Kubectl.find();
    TestEnvironment.require(kubectl.isPresent(), "no kubectl with kustomize (.ci/run installs it)");
    for (String overlay : List.of("dev", "dev-mosquitto", "production")) {
      Path without =
          SiteFiles.withoutSiteFiles(TestEnvironment.strimziDir().resolve("overlays/" + overlay));
      try {
        if (Files.exists(without.resolve("platform-images.env.example"))) {
          Files.copy(
              testSiteFile(overlay, "platform-images.env"), without.resolve("platform-images.env"));
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      assertThatThrownBy(() -> kubectl.get().kustomize(without))
          .as(overlay)
          .hasMessageContaining("rest-auth.env");

      List<ObjectNode> rendered = render(overlay);
      assertThat(
              text(
                  rendered,
                  "ConfigMap",
                  "streams-app-config",
                  "/data/IOT_STREAMS_HTTP_AUTH_ISSUER"))
          .as(overlay)
          .isEqualTo("https://idp.test.internal/");
      assertThat(
              text(
                  rendered,
                  "ConfigMap",
                  "streams-app-config",
                  "/data/IOT_STREAMS_HTTP_AUTH_JWKS_URL"))
          .as(overlay)
          .startsWith("https://");
    }
  }

  /**
   * An example copied as it is (its lines still commented out) refuses to render, naming the key
   * the operator has to set, rather than putting made-up names on a cluster.
   */
  @Test
  void anExampleCopiedAsItIsDoesNotRender() throws Exception {
    Optional<Kubectl> kubectl = Kubectl.find();
    TestEnvironment.require(kubectl.isPresent(), "no kubectl with kustomize (.ci/run installs it)");
    for (String overlay : List.of("dev", "dev-mosquitto", "production")) {
      Path copy =
          SiteFiles.withoutSiteFiles(TestEnvironment.strimziDir().resolve("overlays/" + overlay));
      Files.copy(copy.resolve("rest-auth.env.example"), copy.resolve("rest-auth.env"));
      if (Files.exists(copy.resolve("platform-images.env.example"))) {
        Files.copy(
            testSiteFile(overlay, "platform-images.env"), copy.resolve("platform-images.env"));
      }
      assertThatThrownBy(() -> kubectl.get().kustomize(copy))
          .as(overlay)
          .hasMessageContaining("data.IOT_STREAMS_HTTP_AUTH_JWKS_URL");
    }
    Path production =
        SiteFiles.withoutSiteFiles(TestEnvironment.strimziDir().resolve("overlays/production"));
    Files.copy(testSiteFile("production", "rest-auth.env"), production.resolve("rest-auth.env"));
    Files.copy(
        production.resolve("platform-images.env.example"),
        production.resolve("platform-images.env"));
    assertThatThrownBy(() -> kubectl.get().kustomize(production))
        .hasMessageContaining("data.ingest-bridge")
        .hasMessageContaining("platform-images");
  }

  /** A site file of the tests ({@code src/test/resources/site/OVERLAY/NAME}). */
  private static Path testSiteFile(String overlay, String name) {
    return TestEnvironment.strimziDir()
        .resolve("src/test/resources/site")
        .resolve(overlay)
        .resolve(name);
  }

  private static List<String> images(ObjectNode workload, String containers) {
    List<String> images = new java.util.ArrayList<>();
    workload
        .at("/spec/template/spec/" + containers)
        .forEach(c -> images.add(c.path("image").asString()));
    return images;
  }

  private static List<ObjectNode> render(String overlay) {
    Optional<Kubectl> kubectl = Kubectl.find();
    TestEnvironment.require(kubectl.isPresent(), "no kubectl with kustomize (.ci/run installs it)");
    return Yaml.readAll(
        kubectl
            .get()
            .kustomize(
                SiteFiles.withTestSiteFiles(
                    TestEnvironment.strimziDir().resolve("overlays").resolve(overlay))));
  }

  private static ObjectNode find(List<ObjectNode> documents, String kind, String name) {
    return documents.stream()
        .filter(d -> d.path("kind").asString().equals(kind))
        .filter(d -> d.at("/metadata/name").asString().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
  }

  private static int number(List<ObjectNode> documents, String kind, String name, String path) {
    return find(documents, kind, name).at(path).asInt(-1);
  }

  private static String text(List<ObjectNode> documents, String kind, String name, String path) {
    return find(documents, kind, name).at(path).asString("");
  }

  /** An entry of a generated ConfigMap, whose name Kustomize suffixes with a hash. */
  private static String configMapEntry(List<ObjectNode> documents, String prefix, String key) {
    return documents.stream()
        .filter(d -> d.path("kind").asString().equals("ConfigMap"))
        .filter(d -> d.at("/metadata/name").asString().startsWith(prefix + "-"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ConfigMap " + prefix + "-*"))
        .at("/data/" + key)
        .asString("");
  }
}
