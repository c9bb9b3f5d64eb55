package org.iotbackbone.schemas.registry;

/** The schema registry answered with an error, or could not be asked. */
public class RegistryException extends RuntimeException {

  private final int status;

  /** A failure without an HTTP answer (interrupted, say). */
  public RegistryException(String message) {
    this(message, 0);
  }

  /** The registry answered {@code status}. */
  public RegistryException(String message, int status) {
    super(message);
    this.status = status;
  }

  /** The HTTP status the registry answered, or 0 when it gave none. */
  public int status() {
    return status;
  }
}
