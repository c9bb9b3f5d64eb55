package org.iotbackbone.streamsapp.internal.rest;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One route the API answers: an HTTP method and a path template written as the OpenAPI description
 * writes it ({@code /devices/{deviceId}/shadow}), so that the two can be compared as they are.
 *
 * @param method the HTTP method, upper case
 * @param path the path, with {@code {name}} for each path parameter
 */
public record Route(String method, String path) {

  private static final Pattern PARAMETER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

  public Route {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
  }

  /**
   * The path as a regular expression: each parameter is one path segment, captured in a group of
   * its name ({@code matcher.group("deviceId")}).
   */
  Pattern pattern() {
    StringBuilder regex = new StringBuilder();
    Matcher parameter = PARAMETER.matcher(path);
    int end = 0;
    while (parameter.find()) {
      regex.append(Pattern.quote(path.substring(end, parameter.start())));
      regex.append("(?<").append(parameter.group(1)).append(">[^/]+)");
      end = parameter.end();
    }
    regex.append(Pattern.quote(path.substring(end)));
    return Pattern.compile(regex.toString());
  }
}
