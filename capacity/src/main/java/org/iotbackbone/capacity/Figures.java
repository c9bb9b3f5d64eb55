package org.iotbackbone.capacity;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** The model's per-unit figures, each with its source ({@code figures.properties}). */
public final class Figures {

  static final String RESOURCE = "figures.properties";

  private static final String[] SOURCE_FIELDS = {
    "section", "date", "commit", "quote", "derivation"
  };

  private final Map<Measure, Figure> figures;

  private Figures(Map<Measure, Figure> figures) {
    this.figures = figures;
  }

  /** The figures this repository's benchmarks measured. */
  public static Figures measured() {
    try (InputStream in = Figures.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      return parse(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads figures in the form of {@code figures.properties}: every {@link Measure} present with a
   * positive value, its unit and every source field; nothing else.
   */
  static Figures parse(Reader reader) throws IOException {
    Properties properties = new Properties();
    properties.load(reader);
    Map<Measure, Figure> figures = new EnumMap<>(Measure.class);
    Set<String> known = new HashSet<>();
    for (Measure measure : Measure.values()) {
      String key = measure.key();
      known.add(key);
      known.add(key + ".unit");
      String value = required(properties, key);
      double number;
      try {
        number = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + " is not a number: " + value);
      }
      if (!(number > 0) || Double.isInfinite(number)) {
        throw new IllegalArgumentException(key + " must be positive, got " + value);
      }
      String unit = required(properties, key + ".unit");
      if (!unit.equals(measure.unit())) {
        throw new IllegalArgumentException(
            key + ".unit is '" + unit + "', the model reads it in '" + measure.unit() + "'");
      }
      String[] source = new String[SOURCE_FIELDS.length];
      for (int i = 0; i < SOURCE_FIELDS.length; i++) {
        known.add(key + "." + SOURCE_FIELDS[i]);
        source[i] = required(properties, key + "." + SOURCE_FIELDS[i]);
      }
      figures.put(
          measure,
          new Figure(measure, number, source[0], source[1], source[2], source[3], source[4]));
    }
    for (String name : properties.stringPropertyNames()) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown figure key: " + name);
      }
    }
    return new Figures(figures);
  }

  private static String required(Properties properties, String key) {
    String value = properties.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("figure " + key + " is missing");
    }
    return value.strip();
  }

  /** The value of a figure, in its {@link Measure#unit()}. */
  public double value(Measure measure) {
    return figures.get(measure).value();
  }

  public Figure figure(Measure measure) {
    return figures.get(measure);
  }

  /** Every figure, in {@link Measure} order. */
  public Collection<Figure> all() {
    return figures.values();
  }
}
