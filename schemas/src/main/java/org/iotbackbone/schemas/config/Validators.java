package org.iotbackbone.schemas.config;

import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Validators the services' {@link ConfigDef}s share, beyond Kafka's own ({@code Range}, {@code
 * NonEmptyString}, {@code ValidList}, ...). Each names the key of a bad value, and its {@code
 * toString} is the "valid values" of the README table.
 */
public final class Validators {

  private Validators() {}

  /** An http or https URL with a host. */
  public static ConfigDef.Validator httpUrl() {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        String text = value == null ? "" : value.toString();
        URI uri;
        try {
          uri = URI.create(text);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(name, value, "must be an http(s) URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            || uri.getHost() == null) {
          throw new ConfigException(name, value, "must be an http(s) URL");
        }
      }

      @Override
      public String toString() {
        return "http(s) URL";
      }
    };
  }

  /** A string that matches {@code regex} entirely. */
  public static ConfigDef.Validator matching(String regex) {
    Pattern pattern = Pattern.compile(regex);
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        if (value == null || !pattern.matcher(value.toString()).matches()) {
          throw new ConfigException(name, value, "must match " + regex);
        }
      }

      @Override
      public String toString() {
        return regex;
      }
    };
  }

  /** A non-empty list of {@code host:port} with ports 1 to 65535. */
  public static ConfigDef.Validator hostPortList() {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
          throw new ConfigException(name, value, "at least one host:port is needed");
        }
        for (Object item : list) {
          String text = String.valueOf(item);
          int colon = text.lastIndexOf(':');
          if (colon < 1 || !text.substring(colon + 1).matches("[0-9]{1,5}")) {
            throw new ConfigException(name, value, "not host:port: " + text);
          }
          int port = Integer.parseInt(text.substring(colon + 1));
          if (port < 1 || port > 65_535) {
            throw new ConfigException(name, value, "port out of range 1-65535: " + text);
          }
        }
      }

      @Override
      public String toString() {
        return "host:port,...";
      }
    };
  }
}
