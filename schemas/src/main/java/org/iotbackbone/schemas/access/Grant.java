package org.iotbackbone.schemas.access;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Operations a {@link Principal} is allowed on one Kafka resource or resource prefix, in Kafka's
 * own terms ({@link ResourcePattern}, {@link AclOperation}), so that the same value becomes an
 * {@code AclBinding} for a broker's admin API and an ACL rule of a Strimzi {@code KafkaUser}.
 *
 * @param resource the topic, group, transactional id or the cluster, literal or by prefix
 * @param operations what is allowed on it, in Kafka's enum order
 */
public record Grant(ResourcePattern resource, Set<AclOperation> operations) {

  public Grant {
    Objects.requireNonNull(resource, "resource");
    if (operations.isEmpty()) {
      throw new IllegalArgumentException(resource + ": a grant needs at least one operation");
    }
    if (resource.patternType() != PatternType.LITERAL
        && resource.patternType() != PatternType.PREFIXED) {
      throw new IllegalArgumentException(resource + ": only literal or prefixed patterns");
    }
    // In the enum's order: generated resources stay stable whatever the caller's order.
    operations = Collections.unmodifiableSet(EnumSet.copyOf(operations));
  }

  /** Operations on the topic of that name. */
  public static Grant topic(String name, AclOperation... operations) {
    return of(ResourceType.TOPIC, name, PatternType.LITERAL, operations);
  }

  /** Operations on every topic whose name starts with {@code prefix}. */
  public static Grant topicPrefix(String prefix, AclOperation... operations) {
    return of(ResourceType.TOPIC, prefix, PatternType.PREFIXED, operations);
  }

  /** Operations on the consumer group of that id. */
  public static Grant group(String id, AclOperation... operations) {
    return of(ResourceType.GROUP, id, PatternType.LITERAL, operations);
  }

  /** Operations on every consumer group whose id starts with {@code prefix}. */
  public static Grant groupPrefix(String prefix, AclOperation... operations) {
    return of(ResourceType.GROUP, prefix, PatternType.PREFIXED, operations);
  }

  /** Operations on every transactional id that starts with {@code prefix}. */
  public static Grant transactionalIdPrefix(String prefix, AclOperation... operations) {
    return of(ResourceType.TRANSACTIONAL_ID, prefix, PatternType.PREFIXED, operations);
  }

  /**
   * Whether this grant allows {@code operation} on the resource of that type and name, by the rules
   * of Kafka's standard authorizer: a literal pattern matches its name (or any name when it is
   * {@code *}), a prefixed one every name that starts with it; {@code ALL} allows everything;
   * {@code DESCRIBE} is implied by read, write, delete and alter, and {@code DESCRIBE_CONFIGS} by
   * {@code ALTER_CONFIGS}.
   */
  public boolean allows(AclOperation operation, ResourceType type, String name) {
    if (resource.resourceType() != type || !matches(name)) {
      return false;
    }
    if (operations.contains(AclOperation.ALL) || operations.contains(operation)) {
      return true;
    }
    return switch (operation) {
      case DESCRIBE ->
          operations.stream()
              .anyMatch(
                  op ->
                      op == AclOperation.READ
                          || op == AclOperation.WRITE
                          || op == AclOperation.DELETE
                          || op == AclOperation.ALTER);
      case DESCRIBE_CONFIGS -> operations.contains(AclOperation.ALTER_CONFIGS);
      default -> false;
    };
  }

  private boolean matches(String name) {
    String pattern = resource.name();
    return switch (resource.patternType()) {
      case LITERAL -> pattern.equals(ResourcePattern.WILDCARD_RESOURCE) || pattern.equals(name);
      case PREFIXED -> name.startsWith(pattern);
      default -> false;
    };
  }

  private static Grant of(
      ResourceType type, String name, PatternType pattern, AclOperation... operations) {
    return new Grant(new ResourcePattern(type, name, pattern), Set.of(operations));
  }
}
