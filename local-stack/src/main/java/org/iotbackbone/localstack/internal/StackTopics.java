package org.iotbackbone.localstack.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.iotbackbone.schemas.topics.TopicSetup;
import org.iotbackbone.schemas.topics.Topics;

/** The platform's topics on the stack's Kafka, from the one topic definition. */
final class StackTopics {

  private StackTopics() {}

  /** Creates the missing topics; returns their partitions. */
  static int createMissing(
      String kafka, Map<String, String> login, int partitions, Consumer<String> progress) {
    Map<String, Object> config = new java.util.HashMap<>(login);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
    try (Admin admin = Admin.create(config)) {
      // Topics that exist keep their partitions, and the missing ones get as many: the streams
      // app joins its topics and needs them co-partitioned.
      String requests = Topics.SHADOW_REQUESTS.name();
      if (admin.listTopics().names().get().contains(requests)) {
        partitions =
            admin
                .describeTopics(List.of(requests))
                .allTopicNames()
                .get()
                .get(requests)
                .partitions()
                .size();
      }
      TopicSetup.createMissing(admin, Topics.all(partitions), (short) 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create the topics: " + e.getCause(), e.getCause());
    }
    progress.accept("topics ready (" + partitions + " partitions each)");
    return partitions;
  }
}
