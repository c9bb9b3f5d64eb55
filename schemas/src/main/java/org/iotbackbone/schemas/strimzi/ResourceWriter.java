package org.iotbackbone.schemas.strimzi;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.iotbackbone.schemas.access.Grant;
import org.iotbackbone.schemas.access.Principal;

/**
 * Writes Strimzi resources ({@code kafka.strimzi.io/v1}) as commented YAML, one document each. By
 * hand rather than through a YAML library: the output is a checked-in file people read, so it keeps
 * a fixed layout and a comment per resource, which mappers drop. Package-private rather than
 * internal: it renders the public {@link Principal}, and schemas' internals never use its public
 * face (no package cycle).
 */
final class ResourceWriter {

  private static final String API_VERSION = "kafka.strimzi.io/v1";

  /** What YAML reads as a plain string: anything else is quoted. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z][A-Za-z0-9._/-]*");

  private static final Pattern INTEGER = Pattern.compile("-?[1-9][0-9]*|0");

  private final StringBuilder out = new StringBuilder();

  /** A comment line ({@code # text}) at the top level; {@code text} may hold {@code \n# }. */
  void comment(String text) {
    out.append("# ").append(text).append('\n');
  }

  /** A KafkaTopic: name, partitions, replicas and topic configs (numbers stay numbers). */
  void kafkaTopic(
      String cluster,
      String name,
      String description,
      int partitions,
      int replicas,
      Map<String, Object> config) {
    start("KafkaTopic", name, description, cluster);
    line(1, "partitions: " + partitions);
    line(1, "replicas: " + replicas);
    line(1, "config:");
    // Kafka takes every topic config as a string; numbers are written as YAML numbers to read.
    config.forEach(
        (key, value) ->
            line(
                2,
                key
                    + ": "
                    + (INTEGER.matcher(value.toString()).matches() ? value : scalar(value))));
  }

  /** A KafkaUser with SCRAM-SHA-512 and, unless it is a super user, its grants as ACLs. */
  void kafkaUser(String cluster, Principal principal) {
    start("KafkaUser", principal.name(), principal.description(), cluster);
    line(1, "authentication:");
    line(2, "type: scram-sha-512");
    if (principal.superUser()) {
      // ACLs do not apply to it: the Kafka resource lists it in authorization.superUsers.
      return;
    }
    line(1, "authorization:");
    line(2, "type: simple");
    line(2, "acls:");
    for (Grant grant : principal.grants()) {
      line(3, "- resource:");
      line(5, "type: " + resourceType(grant.resource().resourceType()));
      line(5, "name: " + scalar(grant.resource().name()));
      line(5, "patternType: " + patternType(grant.resource().patternType()));
      line(4, "operations:");
      grant.operations().forEach(operation -> line(5, "- " + operation(operation)));
    }
  }

  @Override
  public String toString() {
    return out.toString();
  }

  private void start(String kind, String name, String description, String cluster) {
    out.append("---\n");
    out.append("# ").append(description).append('\n');
    line(0, "apiVersion: " + API_VERSION);
    line(0, "kind: " + kind);
    line(0, "metadata:");
    line(1, "name: " + scalar(name));
    line(1, "labels:");
    line(2, "strimzi.io/cluster: " + scalar(cluster));
    line(0, "spec:");
  }

  private void line(int depth, String text) {
    out.append("  ".repeat(depth)).append(text).append('\n');
  }

  private static String scalar(Object value) {
    if (value instanceof Number) {
      return value.toString();
    }
    String text = value.toString();
    boolean plain =
        PLAIN.matcher(text).matches()
            && !Pattern.matches("(?i)true|false|yes|no|on|off|null|y|n", text);
    return plain ? text : "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Strimzi's names: topic, group, cluster, transactionalId. */
  private static String resourceType(ResourceType type) {
    return switch (type) {
      case TOPIC -> "topic";
      case GROUP -> "group";
      case CLUSTER -> "cluster";
      case TRANSACTIONAL_ID -> "transactionalId";
      default -> throw new IllegalArgumentException("no Strimzi ACL resource type for " + type);
    };
  }

  private static String patternType(PatternType type) {
    return switch (type) {
      case LITERAL -> "literal";
      case PREFIXED -> "prefix";
      default -> throw new IllegalArgumentException("no Strimzi ACL pattern type for " + type);
    };
  }

  /** Strimzi's names are Kafka's in upper camel case: DESCRIBE_CONFIGS is DescribeConfigs. */
  private static String operation(AclOperation operation) {
    if (operation == AclOperation.ANY || operation == AclOperation.UNKNOWN) {
      throw new IllegalArgumentException("not an operation to grant: " + operation);
    }
    StringBuilder name = new StringBuilder();
    for (String word : operation.name().split("_")) {
      name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return name.toString();
  }
}
