package org.iotbackbone.ingestbridge;

/** A setting of the bridge is missing or wrong; the message names the key. */
public final class ConfigException extends RuntimeException {

  private final String key;

  public ConfigException(String key, String message) {
    super(key + ": " + message);
    this.key = key;
  }

  /** The key of the bad setting, such as {@code mqtt.brokers}. */
  public String key() {
    return key;
  }
}
