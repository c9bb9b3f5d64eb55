package org.iotbackbone.schemas.topics;

/** Kafka's {@code cleanup.policy} of a topic. */
public enum CleanupPolicy {
  /** Records are deleted when they are older than the retention. */
  DELETE("delete"),
  /** Only the newest record of each key is kept; a null value deletes the key. */
  COMPACT("compact");

  private final String configValue;

  CleanupPolicy(String configValue) {
    this.configValue = configValue;
  }

  /** The value of {@code cleanup.policy}. */
  public String configValue() {
    return configValue;
  }
}
