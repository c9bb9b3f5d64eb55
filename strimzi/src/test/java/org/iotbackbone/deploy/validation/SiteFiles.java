package org.iotbackbone.deploy.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files an operator writes into an overlay before rendering it, such as production's {@code
 * platform-images.env}: each ships as {@code NAME.example} (its lines commented out, so that a copy
 * left as it is refuses to render) and is git-ignored under {@code NAME}. The tests render a copy
 * of {@code strimzi/} with the site files of {@code src/test/resources/site/OVERLAY/}, so that what
 * a developer wrote for their own cluster changes nothing here.
 */
public final class SiteFiles {

  private static final String EXAMPLE = ".example";
  private static final List<String> TREES = List.of("base", "components", "overlays");

  private static final Path TEST_SITE_FILES = Path.of("src", "test", "resources", "site");

  private static Path withTestSiteFiles;

  private SiteFiles() {}

  /**
   * The overlay in a copy of {@code strimzi/} where each {@code NAME.example} has its NAME, from
   * the test's site files.
   *
   * @throws IllegalStateException naming an example the tests have no site file for
   */
  public static synchronized Path withTestSiteFiles(Path overlay) {
    if (withTestSiteFiles == null) {
      withTestSiteFiles = copy("strimzi-with-site-files");
      forEachExample(
          withTestSiteFiles,
          example -> {
            Path site = siteFile(example);
            Path fixture =
                TestEnvironment.strimziDir()
                    .resolve(TEST_SITE_FILES)
                    .resolve(site.getParent().getFileName())
                    .resolve(site.getFileName());
            if (!Files.isRegularFile(fixture)) {
              throw new IllegalStateException("no test site file " + fixture + " for " + example);
            }
            copyFile(fixture, site);
          });
    }
    return withTestSiteFiles.resolve("overlays").resolve(overlay.getFileName());
  }

  /** The overlay in a fresh copy of {@code strimzi/} without any site file. */
  public static Path withoutSiteFiles(Path overlay) {
    Path tree = copy("strimzi-without-site-files");
    forEachExample(tree, example -> delete(siteFile(example)));
    return tree.resolve("overlays").resolve(overlay.getFileName());
  }

  /** The file an example stands for. */
  public static Path siteFile(Path example) {
    String name = example.getFileName().toString();
    return example.resolveSibling(name.substring(0, name.length() - EXAMPLE.length()));
  }

  private static Path copy(String prefix) {
    try {
      Path target = Files.createTempDirectory(prefix);
      for (String tree : TREES) {
        Path source = TestEnvironment.strimziDir().resolve(tree);
        try (Stream<Path> paths = Files.walk(source)) {
          for (Path path : (Iterable<Path>) paths::iterator) {
            Path to = target.resolve(tree).resolve(source.relativize(path).toString());
            if (Files.isDirectory(path)) {
              Files.createDirectories(to);
            } else {
              Files.copy(path, to);
            }
          }
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void forEachExample(Path tree, java.util.function.Consumer<Path> action) {
    try (Stream<Path> paths = Files.walk(tree.resolve("overlays"))) {
      paths.filter(p -> p.getFileName().toString().endsWith(EXAMPLE)).forEach(action);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copyFile(Path from, Path to) {
    try {
      Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
