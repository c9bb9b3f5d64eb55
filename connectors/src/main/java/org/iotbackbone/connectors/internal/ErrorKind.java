package org.iotbackbone.connectors.internal;

/** What to do with a failed write. */
public enum ErrorKind {
  /** ScyllaDB is slow, overloaded or down: pause and write again; drop nothing. */
  RETRY,
  /** This record can never be written: report it to the dead-letter topic, go on. */
  DEAD_LETTER,
  /** The deployment is wrong (schema missing, credentials, a bug): fail the task. */
  FATAL
}
