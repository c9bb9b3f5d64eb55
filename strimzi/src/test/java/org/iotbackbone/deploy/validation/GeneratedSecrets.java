package org.iotbackbone.deploy.validation;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Secrets operators create at run time, so that a workload may name them although no file holds
 * them. The one place that lists them; each rule says which operator writes the Secret and why it
 * exists. A Secret the person applying the overlay must create is not here: it is named in the
 * {@value CrossReferences#SUPPLIED_SECRETS} annotation of the resource that uses it and documented
 * in strimzi/README.md.
 */
public final class GeneratedSecrets {

  private GeneratedSecrets() {}

  /** The names of the Secrets the operators will generate for the resources of one overlay. */
  public static Set<String> of(List<ObjectNode> documents) {
    Set<String> names = new HashSet<>();
    for (ObjectNode document : documents) {
      String kind = document.path("kind").asString("");
      String name = document.path("metadata").path("name").asString("");
      String group = GroupVersionKind.of(document).group();
      if (!group.equals("kafka.strimzi.io")) {
        continue;
      }
      if (kind.equals("KafkaUser")) {
        // Strimzi's User Operator writes each user's credentials into a Secret named like the
        // user (keys `password` and `sasl.jaas.config` for SCRAM-SHA-512).
        names.add(name);
      } else if (kind.equals("Kafka")) {
        // Strimzi's Cluster Operator creates the cluster CA (brokers' certificates; clients
        // trust NAME-cluster-ca-cert, key ca.crt) and the clients CA (user certificates).
        names.add(name + "-cluster-ca-cert");
        names.add(name + "-cluster-ca");
        names.add(name + "-clients-ca-cert");
        names.add(name + "-clients-ca");
      }
    }
    return names;
  }

  /** True when {@code document} is a KafkaUser (whose Secret Strimzi generates). */
  static boolean isKafkaUser(JsonNode document) {
    return "KafkaUser".equals(document.path("kind").asString(""))
        && GroupVersionKind.of(document).group().equals("kafka.strimzi.io");
  }
}
