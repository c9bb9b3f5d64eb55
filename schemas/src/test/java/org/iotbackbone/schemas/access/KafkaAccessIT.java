package org.iotbackbone.schemas.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.iotbackbone.schemas.topics.TopicDefinition;
import org.iotbackbone.schemas.topics.Topics;
import org.iotbackbone.servers.KafkaBroker;
import org.iotbackbone.servers.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The principal matrix against a real broker with SCRAM and the standard authorizer on: each
 * principal writes and reads exactly the topics {@link PrincipalMatrix} says, joins only its own
 * groups and transactional ids, and nobody gets in without its credentials.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class KafkaAccessIT {

  private static final String SUPER_USER = Principals.ADMIN.name();

  private static KafkaBroker kafka;
  private static final Map<String, String> PASSWORDS = new HashMap<>();
  private static final Map<String, Producer<byte[], byte[]>> PRODUCERS = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    kafka = KafkaBroker.withScram(ServerOptions.defaults(), SUPER_USER, KafkaAccess.newPassword());
    kafka.start();
    for (Principal principal : Principals.all()) {
      PASSWORDS.put(principal.name(), KafkaAccess.newPassword());
    }
    try (Admin admin = Admin.create(settings(kafka.superUserSettings()))) {
      admin
          .createTopics(
              Topics.all().stream().map(t -> t.withPartitions(1).newTopic((short) 1)).toList())
          .all()
          .get(1, TimeUnit.MINUTES);
      KafkaAccess.apply(admin, Principals.all(), PASSWORDS, Duration.ofMinutes(1));
    }
  }

  @AfterAll
  static void stop() {
    PRODUCERS.values().forEach(Producer::close);
    if (kafka != null) {
      kafka.close();
    }
  }

  static List<String> apps() {
    return Principals.all().stream().filter(p -> !p.superUser()).map(Principal::name).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.iotbackbone.schemas.access.PrincipalMatrix#writers")
  void onlyTheseWriteTheTopic(TopicDefinition<?> topic, Set<String> writers) {
    for (String principal : apps()) {
      boolean allowed = writes(principal, topic.name());
      assertThat(allowed)
          .as("%s writes %s", principal, topic.name())
          .isEqualTo(writers.contains(principal));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.iotbackbone.schemas.access.PrincipalMatrix#readers")
  void onlyTheseReadTheTopic(TopicDefinition<?> topic, Set<String> readers) {
    for (String principal : apps()) {
      boolean allowed = reads(principal, topic.name());
      assertThat(allowed)
          .as("%s reads %s", principal, topic.name())
          .isEqualTo(readers.contains(principal));
    }
  }

  @Test
  void eachJoinsOnlyItsOwnConsumerGroups() {
    assertThat(joins("analyst", "analyst-alice", Topics.DEVICE_EVENTS.name())).isTrue();
    assertThat(joins("analyst", "console-consumer-1", Topics.DEVICE_EVENTS.name())).isFalse();
    assertThat(joins("analyst", Principals.STREAMS_APPLICATION_ID, Topics.SHADOW_STATE.name()))
        .isFalse();
    assertThat(joins("integration", "integration-voice", Topics.SHADOW_STATE.name())).isTrue();
    assertThat(joins("connect", "connect-scylla-sink", Topics.SHADOW_STATE.name())).isTrue();
    assertThat(joins("ingest-bridge", Principals.BRIDGE_GROUP_ID, Topics.COMMANDS.name())).isTrue();
    assertThat(joins("ingest-bridge", "analyst-mallory", Topics.COMMANDS.name())).isFalse();
  }

  @Test
  void onlyTheStreamsAppOpensItsTransactions() {
    String transactionalId = Principals.STREAMS_APPLICATION_ID + "-0_1";
    assertThatCode(() -> initTransactions("streams-app", transactionalId))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> initTransactions("ingest-bridge", transactionalId))
        .isInstanceOf(TransactionalIdAuthorizationException.class);
  }

  @Test
  void aClientWithoutSaslCannotConnect() {
    Map<String, Object> anonymous = settings(Map.of());
    anonymous.put("default.api.timeout.ms", "5000");
    anonymous.put("request.timeout.ms", "3000");
    try (Admin admin = Admin.create(anonymous)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
          .isInstanceOfAny(ExecutionException.class, java.util.concurrent.TimeoutException.class);
    }
  }

  @Test
  void aWrongPasswordIsRefused() {
    Map<String, Object> wrong = settings(kafka.clientSettings("analyst", "not-the-password"));
    wrong.put("request.timeout.ms", "10000");
    wrong.put("default.api.timeout.ms", "10000");
    try (Admin admin = Admin.create(wrong)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(15, TimeUnit.SECONDS))
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
  }

  private static boolean writes(String principal, String topic) {
    Producer<byte[], byte[]> producer =
        PRODUCERS.computeIfAbsent(principal, p -> new KafkaProducer<>(producerSettings(p, null)));
    try {
      producer.send(new ProducerRecord<>(topic, "k".getBytes(), "v".getBytes())).get(30, SECONDS);
      return true;
    } catch (TopicAuthorizationException e) {
      return false;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicAuthorizationException) {
        return false;
      }
      throw new AssertionError(principal + " writing " + topic + ": " + e.getCause(), e);
    } catch (Exception e) {
      throw new AssertionError(principal + " writing " + topic + ": " + e, e);
    }
  }

  /** Reads by assignment, with no group: only the topic's ACL decides. */
  private static boolean reads(String principal, String topic) {
    try (Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings(principal))) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      consumer.seekToBeginning(consumer.assignment());
      consumer.poll(Duration.ofSeconds(2));
      return true;
    } catch (TopicAuthorizationException e) {
      return false;
    }
  }

  /** Joins {@code group} on a topic the principal may read: only the group's ACL decides. */
  private static boolean joins(String principal, String group, String topic) {
    Map<String, Object> settings = consumerSettings(principal);
    settings.put("group.id", group);
    try (Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200));
      }
      return !consumer.assignment().isEmpty();
    } catch (GroupAuthorizationException e) {
      return false;
    }
  }

  private static void initTransactions(String principal, String transactionalId) {
    try (Producer<byte[], byte[]> producer =
        new KafkaProducer<>(producerSettings(principal, transactionalId))) {
      producer.initTransactions();
    }
  }

  private static Map<String, Object> producerSettings(String principal, String transactionalId) {
    Map<String, Object> settings = settings(credentials(principal));
    settings.put("key.serializer", ByteArraySerializer.class.getName());
    settings.put("value.serializer", ByteArraySerializer.class.getName());
    settings.put("max.block.ms", "20000");
    // An idempotent producer also needs a write on some topic to get its producer id (Kafka's
    // IDEMPOTENT_WRITE rule): without idempotence only the topic's ACL decides.
    settings.put("enable.idempotence", transactionalId != null ? "true" : "false");
    if (transactionalId != null) {
      settings.put("transactional.id", transactionalId);
    }
    return settings;
  }

  private static Map<String, Object> consumerSettings(String principal) {
    Map<String, Object> settings = settings(credentials(principal));
    settings.put("key.deserializer", ByteArrayDeserializer.class.getName());
    settings.put("value.deserializer", ByteArrayDeserializer.class.getName());
    settings.put("enable.auto.commit", "false");
    settings.put("auto.offset.reset", "earliest");
    return settings;
  }

  private static Map<String, String> credentials(String principal) {
    return kafka.clientSettings(principal, PASSWORDS.get(principal));
  }

  private static Map<String, Object> settings(Map<String, String> security) {
    Map<String, Object> settings = new HashMap<>(security);
    settings.put("bootstrap.servers", kafka.bootstrapServers());
    return settings;
  }

  private static final TimeUnit SECONDS = TimeUnit.SECONDS;
}
