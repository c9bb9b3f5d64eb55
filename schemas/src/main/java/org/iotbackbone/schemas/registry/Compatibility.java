package org.iotbackbone.schemas.registry;

/** Schema registry compatibility levels, as the Confluent API names them. */
public enum Compatibility {
  /** A new schema can read data written with the previous one. The platform's level. */
  BACKWARD,
  /** A new schema can read data written with every previous one. */
  BACKWARD_TRANSITIVE,
  /** Data written with a new schema can be read with the previous one. */
  FORWARD,
  /** Both BACKWARD and FORWARD. */
  FULL,
  /** No check. */
  NONE
}
