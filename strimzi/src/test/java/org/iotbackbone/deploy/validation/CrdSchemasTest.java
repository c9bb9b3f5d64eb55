package org.iotbackbone.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The CRDs load, and the strict schemas accept the fixtures and refuse what they should. */
class CrdSchemasTest {

  private CrdSchemas crds;
  private ResourceValidator validator;

  @BeforeEach
  void load() {
    crds = TestEnvironment.crdSchemas();
    validator = new ResourceValidator(crds);
  }

  @Test
  void servesTheOperatorsKinds() {
    assertThat(crds.kinds())
        .contains(
            new GroupVersionKind("kafka.strimzi.io/v1", "Kafka"),
            new GroupVersionKind("kafka.strimzi.io/v1", "KafkaNodePool"),
            new GroupVersionKind("kafka.strimzi.io/v1", "KafkaTopic"),
            new GroupVersionKind("kafka.strimzi.io/v1", "KafkaUser"),
            new GroupVersionKind("kafka.strimzi.io/v1", "KafkaConnect"),
            new GroupVersionKind("kafka.strimzi.io/v1", "KafkaConnector"),
            new GroupVersionKind("apps.emqx.io/v2beta1", "EMQX"),
            new GroupVersionKind("scylla.scylladb.com/v1", "ScyllaCluster"),
            new GroupVersionKind("monitoring.coreos.com/v1", "PodMonitor"));
  }

  @Test
  void acceptsEveryFixture() {
    for (ObjectNode document : Fixtures.all()) {
      assertThat(validator.validate(document))
          .as(GroupVersionKind.of(document).toString())
          .isEmpty();
    }
  }

  @Test
  void refusesAnUnknownFieldDeepInside() {
    ObjectNode kafka = kafka();
    ((ObjectNode) kafka.at("/spec/kafka/listeners/0")).put("tlss", true);
    assertThat(validator.validate(kafka)).singleElement().asString().contains("tlss");
  }

  @Test
  void refusesABadEnumValue() {
    ObjectNode kafka = kafka();
    ((ObjectNode) kafka.at("/spec/kafka/listeners/0")).put("type", "ingresss");
    assertThat(validator.validate(kafka)).isNotEmpty().anyMatch(p -> p.contains("/type"));
  }

  @Test
  void keepsOpenWhatTheCrdKeepsOpen() {
    // spec.kafka.config preserves unknown fields: any broker setting may go there.
    ObjectNode kafka = kafka();
    ((ObjectNode) kafka.at("/spec/kafka/config")).put("num.io.threads", 16);
    assertThat(validator.validate(kafka)).isEmpty();
  }

  @Test
  void acceptsIntOrStringBothWays() {
    ObjectNode monitor = fixture("PodMonitor");
    ((ObjectNode) monitor.at("/spec/podMetricsEndpoints/0")).put("targetPort", 9404);
    assertThat(validator.validate(monitor)).isEmpty();
    ((ObjectNode) monitor.at("/spec/podMetricsEndpoints/0")).put("targetPort", "metrics");
    assertThat(validator.validate(monitor)).isEmpty();
  }

  @Test
  void refusesVersionsNoLongerServedAndUnknownKinds() {
    ObjectNode topic = fixture("KafkaTopic");
    topic.put("apiVersion", "kafka.strimzi.io/v1beta1");
    assertThat(validator.validate(topic))
        .containsExactly(
            "KafkaTopic/iot.device.events: no schema for KafkaTopic (kafka.strimzi.io/v1beta1)");
    topic.put("apiVersion", "kafka.strimzi.io/v1");
    topic.put("kind", "KafkaTopik");
    assertThat(validator.validate(topic))
        .singleElement()
        .asString()
        .contains("no schema for KafkaTopik");
  }

  @Test
  void checksTheMetadataOfCustomResources() {
    ObjectNode topic = fixture("KafkaTopic");
    ((ObjectNode) topic.get("metadata")).put("labelz", "x");
    assertThat(validator.validate(topic)).singleElement().asString().contains("labelz");
  }

  private ObjectNode kafka() {
    return fixture("Kafka");
  }

  static ObjectNode fixture(String kind) {
    List<ObjectNode> matches =
        Fixtures.all().stream().filter(d -> kind.equals(d.path("kind").asString())).toList();
    assertThat(matches).as("fixture of " + kind).isNotEmpty();
    return matches.get(0);
  }
}
