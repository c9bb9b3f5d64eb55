package org.iotbackbone.deploy.validation;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.node.ObjectNode;

/** The valid resources under src/test/resources/fixtures, one or more of each kind. */
public final class Fixtures {

  private Fixtures() {}

  /** Every fixture document: core objects, Strimzi's and the other operators' resources. */
  public static List<ObjectNode> all() {
    return Stream.of("core.yaml", "strimzi.yaml", "others.yaml")
        .flatMap(name -> Yaml.readAll(file(name)).stream())
        .toList();
  }

  /** A fixture file by name. */
  public static Path file(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("no fixture " + name, e);
    }
  }
}
