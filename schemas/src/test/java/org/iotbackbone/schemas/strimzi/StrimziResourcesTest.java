package org.iotbackbone.schemas.strimzi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.iotbackbone.schemas.access.Grant;
import org.iotbackbone.schemas.access.Principal;
import org.iotbackbone.schemas.access.Principals;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.Topics;
import org.junit.jupiter.api.Test;

/**
 * The checked-in {@code strimzi/base/kafka/topics.yaml} and {@code users.yaml} are what {@link
 * StrimziResources} generates from {@link Topics} and {@link Principals}, and what it generates
 * reads back as the resources meant. Run with {@code -Dstrimzi.update=true} to rewrite the files
 * ({@value StrimziResources#REGENERATE}).
 */
class StrimziResourcesTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void theCheckedInFilesAreTheGeneratedOnes() throws IOException {
    Path root = repoRoot();
    for (Map.Entry<Path, String> file : StrimziResources.files().entrySet()) {
      Path path = root.resolve(file.getKey());
      if (Boolean.getBoolean("strimzi.update")) {
        Files.writeString(path, file.getValue());
        continue;
      }
      if (!Files.isRegularFile(path)) {
        fail(file.getKey() + " is missing: generate it with " + StrimziResources.REGENERATE);
      }
      assertThat(Files.readString(path))
          .as("%s (regenerate it with -Dstrimzi.update=true)", file.getKey())
          .isEqualTo(file.getValue());
    }
  }

  @Test
  void oneKafkaTopicPerTopicWithItsConfig() throws IOException {
    List<JsonNode> topics = documents(StrimziResources.topics(Topics.all()));
    assertThat(topics).hasSameSizeAs(Topics.all());
    for (int i = 0; i < topics.size(); i++) {
      TopicDefinition<?> topic = Topics.all().get(i);
      JsonNode resource = topics.get(i);
      assertResource(resource, "KafkaTopic", topic.name());
      JsonNode spec = resource.get("spec");
      assertThat(spec.get("partitions").asInt()).isEqualTo(topic.partitions());
      assertThat(spec.get("replicas").asInt()).isEqualTo(StrimziResources.REPLICAS);
      JsonNode config = spec.get("config");
      assertThat(config.get("cleanup.policy").asText())
          .isEqualTo(topic.cleanupPolicy().configValue());
      assertThat(config.get("min.insync.replicas").asInt())
          .isEqualTo(StrimziResources.MIN_INSYNC_REPLICAS);
      assertThat(config.has("retention.ms")).isEqualTo(topic.retention().isPresent());
      topic
          .retention()
          .ifPresent(
              retention ->
                  assertThat(config.get("retention.ms").asLong()).isEqualTo(retention.toMillis()));
    }
  }

  @Test
  void oneKafkaUserPerPrincipalWithItsAcls() throws IOException {
    List<JsonNode> users = documents(StrimziResources.users(Principals.all()));
    assertThat(users).hasSameSizeAs(Principals.all());
    for (int i = 0; i < users.size(); i++) {
      Principal principal = Principals.all().get(i);
      JsonNode resource = users.get(i);
      assertResource(resource, "KafkaUser", principal.name());
      JsonNode spec = resource.get("spec");
      assertThat(spec.at("/authentication/type").asText()).isEqualTo("scram-sha-512");
      if (principal.superUser()) {
        assertThat(spec.has("authorization")).isFalse();
        continue;
      }
      assertThat(spec.at("/authorization/type").asText()).isEqualTo("simple");
      JsonNode acls = spec.at("/authorization/acls");
      assertThat(acls.size()).isEqualTo(principal.grants().size());
      for (int g = 0; g < acls.size(); g++) {
        assertAcl(acls.get(g), principal.grants().get(g));
      }
    }
  }

  @Test
  void theStreamsAppsAclsInStrimzisTerms() throws IOException {
    JsonNode acls =
        documents(StrimziResources.users(List.of(Principals.STREAMS_APP)))
            .get(0)
            .at("/spec/authorization/acls");
    JsonNode transactional = acls.get(acls.size() - 1);
    assertThat(transactional.at("/resource/type").asText()).isEqualTo("transactionalId");
    assertThat(transactional.at("/resource/name").asText()).isEqualTo("iot-streams-app-");
    assertThat(transactional.at("/resource/patternType").asText()).isEqualTo("prefix");
    assertThat(texts(transactional.get("operations"))).containsExactly("Write", "Describe");
  }

  @Test
  void theKafkaClustersSuperUsersAreThePrincipalsSuperUsers() throws IOException {
    JsonNode kafka = checkedIn("strimzi/base/kafka/kafka.yaml", "Kafka").get(0);
    assertThat(kafka.at("/metadata/name").asText()).isEqualTo(StrimziResources.CLUSTER);
    assertThat(texts(kafka.at("/spec/kafka/authorization/superUsers")))
        .containsExactlyInAnyOrderElementsOf(
            Principals.all().stream().filter(Principal::superUser).map(Principal::name).toList());
  }

  @Test
  void connectRunsAsItsPrincipalInItsGroupOnTopicsItMayRead() throws IOException {
    JsonNode connect = checkedIn("strimzi/base/connect/kafka-connect.yaml", "KafkaConnect").get(0);
    Principal principal = Principals.CONNECT;
    assertThat(connect.at("/spec/authentication/username").asText()).isEqualTo(principal.name());
    assertThat(connect.at("/spec/groupId").asText()).isEqualTo(Principals.CONNECT_GROUP_ID);
    for (String field : List.of("configStorageTopic", "offsetStorageTopic", "statusStorageTopic")) {
      String topic = connect.at("/spec/" + field).asText();
      assertThat(principal.allows(AclOperation.CREATE, ResourceType.TOPIC, topic))
          .as(field + " " + topic)
          .isTrue();
    }
    List<JsonNode> connectors =
        checkedIn("strimzi/base/connect/scylla-sink.yaml", "KafkaConnector");
    assertThat(connectors).hasSize(2);
    for (JsonNode connector : connectors) {
      String name = connector.at("/metadata/name").asText();
      String group = Principals.CONNECTOR_GROUP_PREFIX + name;
      assertThat(principal.allows(AclOperation.READ, ResourceType.GROUP, group)).as(group).isTrue();
      for (String topic : connector.at("/spec/config/topics").asText().split(",")) {
        assertThat(Topics.byName(topic.trim())).as(name + " reads " + topic).isPresent();
        assertThat(principal.allows(AclOperation.READ, ResourceType.TOPIC, topic.trim()))
            .as(name + " reads " + topic)
            .isTrue();
      }
      String deadLetters = connector.at("/spec/config/errors.deadletterqueue.topic.name").asText();
      assertThat(deadLetters).isEqualTo(Topics.DEAD_LETTER.name());
      assertThat(principal.allows(AclOperation.WRITE, ResourceType.TOPIC, deadLetters)).isTrue();
    }
  }

  /** The documents of that kind in a checked-in file. */
  private static List<JsonNode> checkedIn(String file, String kind) throws IOException {
    return documents(Files.readString(repoRoot().resolve(file))).stream()
        .filter(document -> kind.equals(document.path("kind").asText()))
        .toList();
  }

  /** Strimzi's spelling of Kafka's names, written out: the generator must agree with it. */
  private static final Map<String, String> STRIMZI_NAMES =
      Map.ofEntries(
          Map.entry("TOPIC", "topic"),
          Map.entry("GROUP", "group"),
          Map.entry("TRANSACTIONAL_ID", "transactionalId"),
          Map.entry("CLUSTER", "cluster"),
          Map.entry("LITERAL", "literal"),
          Map.entry("PREFIXED", "prefix"),
          Map.entry("READ", "Read"),
          Map.entry("WRITE", "Write"),
          Map.entry("CREATE", "Create"),
          Map.entry("DELETE", "Delete"),
          Map.entry("ALTER", "Alter"),
          Map.entry("DESCRIBE", "Describe"),
          Map.entry("DESCRIBE_CONFIGS", "DescribeConfigs"),
          Map.entry("ALTER_CONFIGS", "AlterConfigs"),
          Map.entry("IDEMPOTENT_WRITE", "IdempotentWrite"),
          Map.entry("ALL", "All"));

  private static void assertAcl(JsonNode acl, Grant grant) {
    var resource = grant.resource();
    assertThat(acl.at("/resource/type").asText())
        .isEqualTo(STRIMZI_NAMES.get(resource.resourceType().name()));
    assertThat(acl.at("/resource/name").asText()).isEqualTo(resource.name());
    assertThat(acl.at("/resource/patternType").asText())
        .isEqualTo(STRIMZI_NAMES.get(resource.patternType().name()));
    assertThat(texts(acl.get("operations")))
        .containsExactlyElementsOf(
            grant.operations().stream().map(op -> STRIMZI_NAMES.get(op.name())).toList());
  }

  private static void assertResource(JsonNode resource, String kind, String name) {
    assertThat(resource.get("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1");
    assertThat(resource.get("kind").asText()).isEqualTo(kind);
    assertThat(resource.at("/metadata/name").asText()).isEqualTo(name);
    assertThat(resource.at("/metadata/labels/strimzi.io~1cluster").asText())
        .isEqualTo(StrimziResources.CLUSTER);
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  private static List<JsonNode> documents(String yaml) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(yaml)) {
      var iterator = YAML.readValues(parser, JsonNode.class);
      while (iterator.hasNext()) {
        JsonNode document = iterator.next();
        if (document != null && !document.isEmpty()) {
          documents.add(document);
        }
      }
    }
    return documents;
  }

  private static Path repoRoot() {
    String root = System.getProperty("iotbackbone.repoRoot");
    if (root == null) {
      fail("system property iotbackbone.repoRoot is not set (schemas' surefire config sets it)");
    }
    return Path.of(root);
  }
}
