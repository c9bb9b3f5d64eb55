package org.iotbackbone.schemas.access;

import static org.apache.kafka.common.acl.AclOperation.ALL;
import static org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.junit.jupiter.api.Test;

/** A grant matches names and implies operations as Kafka's standard authorizer does. */
class GrantTest {

  @Test
  void aLiteralMatchesItsNameOnly() {
    Grant grant = Grant.topic("iot.commands", READ);
    assertThat(grant.allows(READ, TOPIC, "iot.commands")).isTrue();
    assertThat(grant.allows(READ, TOPIC, "iot.commands2")).isFalse();
    assertThat(grant.allows(READ, GROUP, "iot.commands")).isFalse();
    assertThat(grant.allows(WRITE, TOPIC, "iot.commands")).isFalse();
  }

  @Test
  void aPrefixMatchesWhatStartsWithIt() {
    Grant grant = Grant.groupPrefix("analyst-", READ);
    assertThat(grant.allows(READ, GROUP, "analyst-bob")).isTrue();
    assertThat(grant.allows(READ, GROUP, "analyst")).isFalse();
  }

  @Test
  void theWildcardLiteralMatchesEveryName() {
    Grant grant = Grant.topic("*", READ);
    assertThat(grant.allows(READ, TOPIC, "anything")).isTrue();
  }

  @Test
  void describeIsImpliedByReadWriteDeleteAndDescribeConfigsByAlterConfigs() {
    for (var op : List.of(READ, WRITE, DELETE)) {
      assertThat(Grant.topic("t", op).allows(DESCRIBE, TOPIC, "t")).as(op.name()).isTrue();
    }
    assertThat(Grant.topic("t", ALTER_CONFIGS).allows(DESCRIBE_CONFIGS, TOPIC, "t")).isTrue();
    assertThat(Grant.topic("t", DESCRIBE).allows(READ, TOPIC, "t")).isFalse();
    assertThat(Grant.topic("t", ALL).allows(DELETE, TOPIC, "t")).isTrue();
  }

  @Test
  void operationsKeepKafkasOrderWhateverTheCallers() {
    assertThat(Grant.topic("t", WRITE, READ, DESCRIBE).operations())
        .containsExactly(READ, WRITE, DESCRIBE);
  }

  @Test
  void aGrantNeedsAnOperationAndASupportedPattern() {
    assertThatThrownBy(() -> Grant.topic("t")).isInstanceOf(IllegalArgumentException.class);
    var matching = new ResourcePattern(TOPIC, "t", PatternType.UNKNOWN);
    assertThatThrownBy(() -> new Grant(matching, Set.of(READ)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
