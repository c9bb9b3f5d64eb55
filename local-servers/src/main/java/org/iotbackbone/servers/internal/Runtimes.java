package org.iotbackbone.servers.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The classpaths of the server runtimes.
 *
 * <p>Each server runs in a JVM of its own with dependencies that must not meet the tests' own
 * (Cassandra brings its own Netty, Guava and a copy of the DataStax driver; Kafka brings Scala). A
 * module {@code local-servers/runtimes/NAME} lets Maven resolve a runtime's dependencies at build
 * time and writes their paths to {@code META-INF/iotbackbone/runtime-NAME.classpath} inside its
 * jar; this module depends on those jars without their dependencies, and reads the file here.
 */
public final class Runtimes {

  private Runtimes() {}

  /**
   * The classpath of a runtime: the runtime module's own code, then its dependencies as Maven
   * resolved them.
   */
  public static List<Path> classpath(String runtime) {
    String resource = "META-INF/iotbackbone/runtime-" + runtime + ".classpath";
    URL url = Runtimes.class.getClassLoader().getResource(resource);
    if (url == null) {
      throw new IllegalStateException(
          "runtime '"
              + runtime
              + "' is not on the classpath ("
              + resource
              + "): build local-servers/runtimes/"
              + runtime
              + " first (./mvnw install -pl local-servers -am)");
    }
    List<Path> entries = new ArrayList<>();
    entries.add(rootOf(url, resource));
    try (InputStream in = url.openStream()) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      Arrays.stream(text.split(File.pathSeparator))
          .filter(entry -> !entry.isBlank())
          .map(Path::of)
          .forEach(entries::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + url, e);
    }
    return entries;
  }

  /** The jar or directory a class was loaded from. */
  public static Path codeRoot(Class<?> type) {
    String resource = type.getName().replace('.', '/') + ".class";
    return rootOf(type.getClassLoader().getResource(resource), resource);
  }

  private static Path rootOf(URL url, String resource) {
    try {
      String text = url.toString();
      if (text.startsWith("jar:")) {
        return Path.of(URI.create(text.substring(4, text.indexOf("!/"))));
      }
      Path file = Path.of(url.toURI());
      Path root = file;
      for (int i = 0; i < resource.split("/").length; i++) {
        root = root.getParent();
      }
      return root;
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the root of " + url, e);
    }
  }
}
