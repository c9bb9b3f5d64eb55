package org.iotbackbone.schemas.registry;

/** The registry refused a schema because it breaks the subject's compatibility level. */
public class IncompatibleSchemaException extends RegistryException {

  public IncompatibleSchemaException(String subject, String registryAnswer) {
    super("schema refused as incompatible for " + subject + ": " + registryAnswer, 409);
  }
}
