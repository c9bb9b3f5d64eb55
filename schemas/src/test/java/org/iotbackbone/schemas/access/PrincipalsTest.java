package org.iotbackbone.schemas.access;

import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The principal matrix of docs/design.md and issue 18, on the model: who may write and read each
 * topic ({@link PrincipalMatrix}). The model follows Kafka's authorizer rules ({@link
 * Grant#allows}); {@code KafkaAccessIT} checks the same table against a real broker with the
 * authorizer on.
 */
class PrincipalsTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.iotbackbone.schemas.access.PrincipalMatrix#writers")
  void onlyTheseWriteTheTopic(TopicDefinition<?> topic, Set<String> writers) {
    assertThat(whoMay(WRITE, TOPIC, topic.name())).isEqualTo(withAdmin(writers));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.iotbackbone.schemas.access.PrincipalMatrix#readers")
  void onlyTheseReadTheTopic(TopicDefinition<?> topic, Set<String> readers) {
    assertThat(whoMay(READ, TOPIC, topic.name())).isEqualTo(withAdmin(readers));
  }

  @Test
  void everyTopicIsInTheMatrix() {
    assertThat(PrincipalMatrix.writers().map(a -> a.get()[0]).toList())
        .containsExactlyInAnyOrderElementsOf(Topics.all());
    assertThat(PrincipalMatrix.readers().map(a -> a.get()[0]).toList())
        .containsExactlyInAnyOrderElementsOf(Topics.all());
  }

  @Test
  void theBridgeCannotReadShadowStateNorDeviceEvents() {
    Principal bridge = Principals.INGEST_BRIDGE;
    assertThat(bridge.allows(READ, TOPIC, Topics.SHADOW_STATE.name())).isFalse();
    assertThat(bridge.allows(READ, TOPIC, Topics.DEVICE_EVENTS.name())).isFalse();
    assertThat(bridge.allows(DESCRIBE, TOPIC, Topics.SHADOW_STATE.name())).isFalse();
  }

  @Test
  void theAnalystWritesNothingAndJoinsOnlyItsOwnGroups() {
    Principal analyst = Principals.ANALYST;
    for (TopicDefinition<?> topic : Topics.all()) {
      assertThat(analyst.allows(WRITE, TOPIC, topic.name())).as(topic.name()).isFalse();
    }
    assertThat(analyst.allows(READ, GROUP, "analyst-alice")).isTrue();
    assertThat(analyst.allows(READ, GROUP, Principals.STREAMS_APPLICATION_ID)).isFalse();
    assertThat(analyst.allows(READ, GROUP, "console-consumer-1234")).isFalse();
  }

  @Test
  void theIntegrationCannotReadDeviceEvents() {
    assertThat(Principals.INTEGRATION.allows(READ, TOPIC, Topics.DEVICE_EVENTS.name())).isFalse();
  }

  @Test
  void theStreamsAppOwnsItsInternalTopicsAndTransactionalIds() {
    Principal app = Principals.STREAMS_APP;
    String changelog = Principals.STREAMS_APPLICATION_ID + "-shadows-changelog";
    assertThat(app.allows(CREATE, TOPIC, changelog)).isTrue();
    assertThat(app.allows(WRITE, TOPIC, changelog)).isTrue();
    assertThat(app.allows(WRITE, TRANSACTIONAL_ID, Principals.STREAMS_APPLICATION_ID + "-1-2"))
        .isTrue();
    assertThat(app.allows(READ, GROUP, Principals.STREAMS_APPLICATION_ID)).isTrue();
    // Its prefix is its own: it cannot create platform topics or another app's internals.
    assertThat(app.allows(CREATE, TOPIC, Topics.SHADOW_STATE.name())).isFalse();
    assertThat(app.allows(CREATE, TOPIC, "other-app-store-changelog")).isFalse();
    assertThat(Principals.INGEST_BRIDGE.allows(WRITE, TOPIC, changelog)).isFalse();
  }

  @Test
  void connectOwnsItsStorageTopicsAndItsConnectorsGroups() {
    Principal connect = Principals.CONNECT;
    for (String topic : List.of("configs", "offsets", "status")) {
      String name = Principals.CONNECT_GROUP_ID + "-" + topic;
      assertThat(connect.allows(CREATE, TOPIC, name)).as(name).isTrue();
      assertThat(connect.allows(WRITE, TOPIC, name)).as(name).isTrue();
    }
    assertThat(connect.allows(READ, GROUP, Principals.CONNECT_GROUP_ID)).isTrue();
    assertThat(connect.allows(READ, GROUP, "connect-scylla-sink-shadows")).isTrue();
    assertThat(connect.allows(READ, GROUP, Principals.BRIDGE_GROUP_ID)).isFalse();
  }

  @Test
  void theRegistryHasItsOwnTopicsAndGroupsAndNoneOfThePlatforms() {
    Principal registry = Principals.SCHEMA_REGISTRY;
    assertThat(registry.allows(WRITE, TOPIC, Principals.REGISTRY_JOURNAL_TOPIC)).isTrue();
    assertThat(registry.allows(READ, TOPIC, Principals.REGISTRY_SNAPSHOTS_TOPIC)).isTrue();
    assertThat(registry.allows(READ, GROUP, "apicurio-3f2a")).isTrue();
    for (TopicDefinition<?> topic : Topics.all()) {
      assertThat(registry.allows(READ, TOPIC, topic.name())).as(topic.name()).isFalse();
      assertThat(registry.allows(WRITE, TOPIC, topic.name())).as(topic.name()).isFalse();
    }
  }

  @Test
  void onlyTheAdminIsASuperUser() {
    assertThat(Principals.all().stream().filter(Principal::superUser).map(Principal::name))
        .containsExactly("admin");
  }

  @Test
  void theNamesAreTheDesignsAndUnique() {
    assertThat(Principals.all().stream().map(Principal::name))
        .containsExactly(
            "ingest-bridge",
            "streams-app",
            "connect",
            "analyst",
            "integration",
            "schema-registry",
            "admin");
    assertThat(Principals.byName("analyst")).contains(Principals.ANALYST);
    assertThat(Principals.byName("nobody")).isEmpty();
  }

  @Test
  void aclBindingsCarryThePrincipalAndEveryOperation() {
    var bindings = Principals.ANALYST.aclBindings();
    assertThat(bindings).hasSize(3);
    assertThat(bindings)
        .allSatisfy(
            binding -> {
              assertThat(binding.entry().principal()).isEqualTo("User:analyst");
              assertThat(binding.entry().host()).isEqualTo("*");
              assertThat(binding.entry().operation()).isEqualTo(READ);
            });
    assertThat(Principals.ADMIN.aclBindings()).isEmpty();
  }

  private static Set<String> whoMay(AclOperation operation, ResourceType type, String name) {
    return Principals.all().stream()
        .filter(principal -> principal.allows(operation, type, name))
        .map(Principal::name)
        .collect(java.util.stream.Collectors.toSet());
  }

  private static Set<String> withAdmin(Set<String> names) {
    return Stream.concat(names.stream(), Stream.of("admin"))
        .collect(java.util.stream.Collectors.toSet());
  }
}
