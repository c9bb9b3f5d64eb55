package org.iotbackbone.localstack.internal;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import org.iotbackbone.schemas.registry.Compatibility;
import org.iotbackbone.schemas.registry.ConfluentRegistryClient;
import org.iotbackbone.schemas.registry.SchemaRegistration;
import org.iotbackbone.schemas.topics.Topics;

/**
 * The platform's schemas in the stack's registry, registered as production's registration Job
 * registers them: through the Confluent API, every subject held to BACKWARD compatibility.
 */
final class StackSchemas {

  private StackSchemas() {}

  /**
   * Registers every topic's value schema; a build whose schema breaks what the stack's data was
   * written with is refused here, before any part starts.
   */
  static void register(String confluentUrl, Duration timeout) {
    new SchemaRegistration(
            new ConfluentRegistryClient(confluentUrl),
            Topics.all(),
            timeout,
            Duration.ofMillis(500),
            new PrintStream(OutputStream.nullOutputStream()))
        .registerAll(Compatibility.BACKWARD);
  }
}
