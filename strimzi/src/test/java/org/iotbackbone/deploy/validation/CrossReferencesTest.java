package org.iotbackbone.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The cross-reference checker on the fixtures (which resolve) and on broken copies of them. */
class CrossReferencesTest {

  @Test
  void theFixturesResolve() {
    assertThat(CrossReferences.check(Fixtures.all())).isEmpty();
  }

  @Test
  void aMissingConfigMapServiceAccountOrServiceIsReported() {
    assertThat(CrossReferences.check(without("ConfigMap", "bridge-config")))
        .containsExactly("Deployment/ingest-bridge: ConfigMap bridge-config is not in the overlay");
    assertThat(CrossReferences.check(without("ServiceAccount", "ingest-bridge")))
        .containsExactlyInAnyOrder(
            "Deployment/ingest-bridge: ServiceAccount ingest-bridge is not in the overlay",
            "RoleBinding/reader: ServiceAccount ingest-bridge is not in the overlay");
    assertThat(CrossReferences.check(without("Service", "streams-app")))
        .containsExactly("StatefulSet/streams-app: Service streams-app is not in the overlay");
  }

  @Test
  void aSecretOfAMissingKafkaUserIsReported() {
    assertThat(CrossReferences.check(without("KafkaUser", "ingest-bridge")))
        .containsExactlyInAnyOrder(
            "Deployment/ingest-bridge: Secret ingest-bridge is not in the overlay",
            "Deployment/ingest-bridge: KafkaUser ingest-bridge is not in the overlay");
    assertThat(CrossReferences.check(without("KafkaUser", "connect")))
        .containsExactlyInAnyOrder(
            "KafkaConnect/iot-connect: Secret connect is not in the overlay",
            "KafkaConnect/iot-connect: KafkaUser connect is not in the overlay");
  }

  @Test
  void theClusterCaSecretNeedsTheKafkaCluster() {
    assertThat(CrossReferences.check(without("Kafka", "iot")))
        .containsExactly(
            "KafkaConnect/iot-connect: Secret iot-cluster-ca-cert is not in the overlay");
  }

  @Test
  void aConnectorTopicMustBeAKafkaTopic() {
    List<ObjectNode> documents = new ArrayList<>(Fixtures.all());
    ObjectNode connector = find(documents, "KafkaConnector");
    ((ObjectNode) connector.at("/spec/config")).put("topics", "iot.device.events, iot.shadows");
    ((ObjectNode) connector.at("/spec/config"))
        .put("errors.deadletterqueue.topic.name", "iot.deadletter");
    assertThat(CrossReferences.check(documents))
        .containsExactlyInAnyOrder(
            "KafkaConnector/scylla-sink-events: KafkaTopic iot.shadows is not in the overlay",
            "KafkaConnector/scylla-sink-events: KafkaTopic iot.deadletter is not in the overlay");
  }

  @Test
  void aTopicNameMayDifferFromTheResourceName() {
    List<ObjectNode> documents = new ArrayList<>(Fixtures.all());
    ObjectNode topic = find(documents, "KafkaTopic");
    topic.withObject("/metadata").put("name", "device-events");
    topic.withObject("/spec").put("topicName", "iot.device.events");
    assertThat(CrossReferences.check(documents)).isEmpty();
  }

  @Test
  void aVolumeSecretPvcAndJaasUserAreChecked() {
    List<ObjectNode> documents = new ArrayList<>(Fixtures.all());
    ObjectNode pod = find(documents, "Deployment").withObject("/spec/template/spec");
    pod.withArray("volumes")
        .addObject()
        .put("name", "ca")
        .withObject("/secret")
        .put("secretName", "device-ca");
    pod.withArray("volumes")
        .addObject()
        .put("name", "d")
        .withObject("/persistentVolumeClaim")
        .put("claimName", "data");
    pod.withArray("volumes")
        .addObject()
        .put("name", "x")
        .withObject("/persistentVolumeClaim")
        .put("claimName", "nope");
    ((ObjectNode) pod.at("/containers/0"))
        .withArray("env")
        .addObject()
        .put("name", "IOT_BRIDGE_KAFKA_SASL_JAAS_CONFIG_LITERAL")
        .put(
            "value",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"mallory\";");
    assertThat(CrossReferences.check(documents))
        .containsExactlyInAnyOrder(
            "Deployment/ingest-bridge: Secret device-ca is not in the overlay",
            "Deployment/ingest-bridge: PersistentVolumeClaim nope is not in the overlay",
            "Deployment/ingest-bridge: KafkaUser mallory is not in the overlay");
  }

  @Test
  void aSecretTheOperatorSuppliesIsNamedInAnAnnotation() {
    List<ObjectNode> documents = new ArrayList<>(Fixtures.all());
    ObjectNode deployment = find(documents, "Deployment");
    deployment
        .withObject("/spec/template/spec")
        .withArray("volumes")
        .addObject()
        .put("name", "ca")
        .withObject("/secret")
        .put("secretName", "device-ca");
    deployment
        .withObject("/metadata/annotations")
        .put(CrossReferences.SUPPLIED_SECRETS, "registry-push, device-ca");
    assertThat(CrossReferences.check(documents)).isEmpty();
  }

  @Test
  void anOptionalReferenceMayBeMissing() {
    List<ObjectNode> documents = new ArrayList<>(Fixtures.all());
    ObjectNode container =
        (ObjectNode) find(documents, "Deployment").at("/spec/template/spec/containers/0");
    container
        .withArray("envFrom")
        .addObject()
        .withObject("/secretRef")
        .put("name", "extra")
        .put("optional", true);
    assertThat(CrossReferences.check(documents)).isEmpty();
  }

  @Test
  void secretNamesInsideCustomResourcesAreChecked() {
    List<ObjectNode> documents = new ArrayList<>(Fixtures.all());
    ObjectNode secretRef =
        find(documents, "EMQX")
            .withObject("/spec")
            .withArray("bootstrapAPIKeys")
            .addObject()
            .withObject("/secretRef");
    secretRef.withObject("/key").put("secretName", "emqx-api-key").put("secretKey", "key");
    secretRef
        .withObject("/secret")
        .put("secretName", "scylla-sink-credentials")
        .put("secretKey", "s");
    assertThat(CrossReferences.check(documents))
        .containsExactly("EMQX/emqx: Secret emqx-api-key is not in the overlay");
  }

  private static List<ObjectNode> without(String kind, String name) {
    Predicate<ObjectNode> match =
        d ->
            d.path("kind").asString().equals(kind)
                && d.path("metadata").path("name").asString().equals(name);
    List<ObjectNode> all = Fixtures.all();
    assertThat(all).anyMatch(match);
    return all.stream().filter(match.negate()).toList();
  }

  private static ObjectNode find(List<ObjectNode> documents, String kind) {
    return documents.stream()
        .filter(d -> d.path("kind").asString().equals(kind))
        .findFirst()
        .orElseThrow();
  }
}
