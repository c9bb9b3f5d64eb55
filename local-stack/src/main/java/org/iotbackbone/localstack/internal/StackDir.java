package org.iotbackbone.localstack.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The local stack's directory ({@code .iot/} by default): what runs ({@code state/PART.properties},
 * one per part, with its process id, ports and health check), the parts' logs ({@code logs/}),
 * their data ({@code data/}), and the endpoints file users source ({@code endpoints.env}).
 */
public final class StackDir {

  private final Path root;

  public StackDir(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  public Path logs() {
    return root.resolve("logs");
  }

  public Path log(String part) {
    return logs().resolve(part + ".log");
  }

  public Path data(String part) {
    return root.resolve("data").resolve(part);
  }

  /** The principals' Kafka client files ({@link StackSecurity}). */
  public Path principals() {
    return root.resolve("principals");
  }

  public Path endpoints() {
    return root.resolve("endpoints.env");
  }

  /** The REST API's token key ({@link RestTokens}), kept across {@code down} and {@code up}. */
  public Path restAuth() {
    return root.resolve("rest-auth");
  }

  /**
   * The device CA ({@code org.iotbackbone.pki.DevicePki}: certificates, CRL, secrets), kept across
   * {@code down} and {@code up} like {@link #restAuth()}: the devices' certificates outlive a
   * stack.
   */
  public Path pki() {
    return root.resolve("pki");
  }

  /**
   * Holds the stack's lock until closed: two commands that start or stop the stack at once (two
   * terminals, a demo and a down) take turns instead of starting everything twice.
   */
  public AutoCloseable lock() throws IOException {
    Files.createDirectories(root);
    FileChannel channel =
        FileChannel.open(root.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = channel.lock();
    return () -> {
      lock.release();
      channel.close();
    };
  }

  /** The recorded parts, by name, in the order they were started. */
  public Map<String, Map<String, String>> parts() {
    Map<String, Map<String, String>> parts = new LinkedHashMap<>();
    Path dir = root.resolve("state");
    if (!Files.isDirectory(dir)) {
      return parts;
    }
    try (Stream<Path> files = Files.list(dir)) {
      files
          .filter(file -> file.getFileName().toString().endsWith(".properties"))
          .map(StackDir::read)
          .sorted(
              (a, b) ->
                  Long.compare(
                      Long.parseLong(a.getOrDefault("startedAt", "0")),
                      Long.parseLong(b.getOrDefault("startedAt", "0"))))
          .forEach(part -> parts.put(part.get("part"), part));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return parts;
  }

  /** Records a running part. */
  public void save(String part, Map<String, String> description) {
    Map<String, String> values = new LinkedHashMap<>(description);
    values.put("part", part);
    values.putIfAbsent("startedAt", Long.toString(System.currentTimeMillis()));
    Properties properties = new Properties();
    properties.putAll(values);
    Path file = root.resolve("state").resolve(part + ".properties");
    try {
      Files.createDirectories(file.getParent());
      Path temporary = file.resolveSibling(part + ".tmp");
      try (Writer out = Files.newBufferedWriter(temporary)) {
        properties.store(out, "a part of the local stack (./iot)");
      }
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record " + part + " in " + file, e);
    }
  }

  /** Forgets a part that was stopped. */
  public void forget(String part) {
    try {
      Files.deleteIfExists(root.resolve("state").resolve(part + ".properties"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> read(Path file) {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    properties
        .stringPropertyNames()
        .forEach(name -> values.put(name, properties.getProperty(name)));
    return values;
  }
}
