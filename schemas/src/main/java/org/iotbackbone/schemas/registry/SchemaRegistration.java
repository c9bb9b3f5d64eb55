package org.iotbackbone.schemas.registry;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.iotbackbone.schemas.errors.TransientErrors;
import org.iotbackbone.schemas.topics.TopicDefinition;

/**
 * Registering the platform's value schemas ahead of the services, as a deployment does it: every
 * subject gets the compatibility level first, then the schema ({@link
 * ConfluentRegistryClient#registerAll}); or, for a service about to start, waiting until every
 * subject has the schema of this build.
 *
 * <p>Both retry while the registry cannot answer yet (it may be starting in the same rollout, and
 * the Kafka it stores its data in with it) and give up at a deadline; a refusal (a schema
 * incompatible with what the subject holds) ends at once, since asking again gets the same answer.
 */
public final class SchemaRegistration {

  private final ConfluentRegistryClient registry;
  private final List<TopicDefinition<?>> topics;
  private final Duration timeout;
  private final Duration pollInterval;
  private final PrintStream log;

  /**
   * @param registry the registry's Confluent API
   * @param topics the topics whose value schemas are registered or awaited
   * @param timeout how long to keep trying while the registry is not there or not ready
   * @param pollInterval the pause between two tries
   * @param log where progress is reported, one line per step
   */
  public SchemaRegistration(
      ConfluentRegistryClient registry,
      List<TopicDefinition<?>> topics,
      Duration timeout,
      Duration pollInterval,
      PrintStream log) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.topics = List.copyOf(topics);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    this.log = Objects.requireNonNull(log, "log");
  }

  /**
   * Sets {@code level} on every subject and registers its schema; registering a schema the subject
   * already has changes nothing, so this may run any number of times.
   *
   * @throws RegistryException when the registry refuses, or still cannot answer at the deadline
   */
  public void registerAll(Compatibility level) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (TopicDefinition<?> topic : topics) {
      retrying(
          deadline,
          "registering " + topic.valueSubject(),
          () -> {
            registry.setCompatibility(topic.valueSubject(), level);
            int id = registry.register(topic.valueSubject(), topic.valueSchema());
            log.println("registered " + topic.valueSubject() + " (" + level + "), schema id " + id);
            return true;
          });
    }
  }

  /**
   * Waits until every subject holds this build's schema (registered by the deployment's job).
   *
   * @throws RegistryException when a subject still lacks it at the deadline, or the registry
   *     refuses the lookup
   */
  public void awaitRegistered() {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (TopicDefinition<?> topic : topics) {
      retrying(
          deadline,
          "waiting for " + topic.valueSubject() + " to have this build's schema",
          () -> {
            boolean there = registry.isRegistered(topic.valueSubject(), topic.valueSchema());
            log.println(
                there
                    ? "found " + topic.valueSubject()
                    : "waiting for " + topic.valueSubject() + " to be registered");
            return there;
          });
    }
  }

  /** Runs {@code step} until it returns true, retrying transient failures, until the deadline. */
  private void retrying(long deadline, String doing, Step step) {
    while (true) {
      RuntimeException failure = null;
      try {
        if (step.run()) {
          return;
        }
      } catch (RuntimeException e) {
        // A refused login does not pass by waiting here: a job run by hand says so at once (the
        // services, which run on, wait for it to be fixed instead).
        if (!TransientErrors.isTransient(e) || isRefusedLogin(e)) {
          throw e;
        }
        failure = e;
        log.println("registry not ready, retrying: " + e.getMessage());
      }
      if (System.nanoTime() + pollInterval.toNanos() - deadline > 0) {
        RegistryException timedOut =
            new RegistryException("gave up after " + timeout + " " + doing);
        if (failure != null) {
          timedOut.initCause(failure);
        }
        throw timedOut;
      }
      sleep();
    }
  }

  private static boolean isRefusedLogin(RuntimeException e) {
    return e instanceof RegistryException r && (r.status() == 401 || r.status() == 403);
  }

  private void sleep() {
    try {
      Thread.sleep(pollInterval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("interrupted while waiting for the registry");
    }
  }

  @FunctionalInterface
  private interface Step {
    boolean run();
  }
}
