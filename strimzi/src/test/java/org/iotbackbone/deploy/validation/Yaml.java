package org.iotbackbone.deploy.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reads multi-document YAML (files, kustomize output) into Jackson object nodes. */
public final class Yaml {

  private static final YAMLMapper MAPPER = new YAMLMapper();

  private Yaml() {}

  /** Every non-empty document of a file; a document that is not a mapping is an error. */
  public static List<ObjectNode> readAll(Path file) {
    try {
      return readAll(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Every non-empty document of a YAML text; a document that is not a mapping is an error. */
  public static List<ObjectNode> readAll(String text) {
    List<ObjectNode> documents = new ArrayList<>();
    for (JsonNode node : readNodes(text)) {
      if (!node.isObject()) {
        throw new IllegalArgumentException("a YAML document is not a mapping: " + node);
      }
      documents.add((ObjectNode) node);
    }
    return documents;
  }

  /** Every non-empty document of a file, whatever its shape (a JSON patch is a list). */
  public static List<JsonNode> readNodes(Path file) {
    try {
      return readNodes(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static List<JsonNode> readNodes(String text) {
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> it = MAPPER.readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNextValue()) {
        JsonNode node = it.nextValue();
        if (node != null && !node.isNull() && !node.isMissingNode()) {
          documents.add(node); // else an empty document ("---" at the end of a file)
        }
      }
    }
    return documents;
  }

  /** The one document of a YAML text. */
  public static ObjectNode readOne(String text) {
    List<ObjectNode> all = readAll(text);
    if (all.size() != 1) {
      throw new IllegalArgumentException("expected one document, found " + all.size());
    }
    return all.get(0);
  }

  /** The node as JSON text. */
  public static String toJson(JsonNode node) {
    return node.toString();
  }
}
