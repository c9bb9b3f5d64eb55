package org.iotbackbone.localstack;

/**
 * A command could not do its work because of state the operator must repair (a corrupt or
 * incomplete device CA, say): {@code ./iot} prints its message as one line and exits with 1,
 * without a stack trace.
 */
final class CommandFailure extends RuntimeException {

  CommandFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
