package org.iotbackbone.schemas.access;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A back-end identity that talks to Kafka, with the ACLs it needs and no more ({@code
 * docs/design.md}, "Device identity and access"). The name is the SASL user name (Kafka principal
 * {@code User:NAME}) and the name of its Strimzi {@code KafkaUser} and of that user's Secret.
 *
 * @param name the user name: lower case, digits and dashes, a valid Kubernetes resource name
 * @param description what the principal is and does, for operators and generated resources
 * @param superUser whether the broker lets it do anything (listed in the broker's super users);
 *     such a principal has no grants of its own
 * @param grants what it may do
 */
public record Principal(String name, String description, boolean superUser, List<Grant> grants) {

  private static final Pattern NAME = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

  public Principal {
    Objects.requireNonNull(description, "description");
    if (!NAME.matcher(Objects.requireNonNull(name, "name")).matches()) {
      throw new IllegalArgumentException("not a principal name (lower case, digits, -): " + name);
    }
    grants = List.copyOf(grants);
    if (superUser && !grants.isEmpty()) {
      throw new IllegalArgumentException(name + ": a super user needs no grants");
    }
  }

  /** The Kafka principal, as ACLs and {@code super.users} name it: {@code User:NAME}. */
  public String kafkaPrincipal() {
    return "User:" + name;
  }

  /** The grants as ACL bindings for a broker's admin API: allowed from any host. */
  public List<AclBinding> aclBindings() {
    return grants.stream()
        .flatMap(
            grant ->
                grant.operations().stream()
                    .map(
                        operation ->
                            new AclBinding(
                                grant.resource(),
                                new AccessControlEntry(
                                    kafkaPrincipal(), "*", operation, AclPermissionType.ALLOW))))
        .toList();
  }

  /** Whether the principal may do {@code operation} on the resource of that type and name. */
  public boolean allows(AclOperation operation, ResourceType type, String resourceName) {
    return superUser || grants.stream().anyMatch(g -> g.allows(operation, type, resourceName));
  }
}
