package org.iotbackbone.schemas.registry;

/** The schema registry answered with an error. */
public class RegistryException extends RuntimeException {

  public RegistryException(String message) {
    super(message);
  }
}
