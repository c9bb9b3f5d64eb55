package org.iotbackbone.schemas.topics;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the platform's topics where nothing else does: the local stack and tests (in production
 * the Strimzi {@code KafkaTopic} resources do it). Idempotent: a topic that exists is left as it
 * is, whoever created it, even concurrently.
 */
public final class TopicSetup {

  private TopicSetup() {}

  /**
   * Creates the topics of {@code definitions} that do not exist yet.
   *
   * @return the names of the topics this call created
   */
  public static Set<String> createMissing(
      Admin admin, List<TopicDefinition<?>> definitions, short replicationFactor)
      throws InterruptedException, ExecutionException {
    Set<String> existing = admin.listTopics().names().get();
    List<NewTopic> missing =
        definitions.stream()
            .filter(topic -> !existing.contains(topic.name()))
            .map(topic -> topic.newTopic(replicationFactor))
            .toList();
    var results = admin.createTopics(missing).values();
    for (var result : results.values()) {
      try {
        result.get();
      } catch (ExecutionException e) {
        // Another client created it between the listing and now: what this method wants.
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
    return results.keySet();
  }
}
