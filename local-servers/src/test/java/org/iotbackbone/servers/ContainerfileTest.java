package org.iotbackbone.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image-definition reader on small definitions, against a fake build context. */
class ContainerfileTest {

  private static final String DEFINITION =
      """
      # comment
      ARG VERSION=1.2.3
      FROM eclipse-temurin:17-jre AS unpack
      ARG VERSION
      ADD target/app-${VERSION}.tar.gz /opt/
      FROM eclipse-temurin:17-jre
      RUN useradd --uid 10001 app
      COPY --from=unpack /opt/app-${VERSION}/ /opt/app/
      COPY conf/app.properties \\
           /etc/app/
      USER 10001
      ENTRYPOINT ["/opt/app/bin/app"]
      """;

  @TempDir Path context;

  private final List<String> entries =
      List.of("app-1.2.3/", "app-1.2.3/bin/", "app-1.2.3/bin/app", "app-1.2.3/lib/app-1.2.3.jar");

  @BeforeEach
  void buildContext() throws Exception {
    Files.createDirectories(context.resolve("target"));
    Files.writeString(context.resolve("target/app-1.2.3.tar.gz"), "not read: entries are given");
    Files.createDirectories(context.resolve("conf"));
    Files.writeString(context.resolve("conf/app.properties"), "a=b\n");
  }

  @Test
  void theFinalImageHoldsTheUnpackedArchiveAndTheContextFile() {
    Containerfile image = Containerfile.parse(DEFINITION);

    Map<String, String> files = image.finalImageFiles(context, archive -> entries);

    assertThat(files)
        .containsOnly(
            Map.entry("/opt/app/bin/app", "target/app-1.2.3.tar.gz!app-1.2.3/bin/app"),
            Map.entry(
                "/opt/app/lib/app-1.2.3.jar",
                "target/app-1.2.3.tar.gz!app-1.2.3/lib/app-1.2.3.jar"),
            Map.entry("/etc/app/app.properties", "conf/app.properties"));
    assertThat(image.entrypoint()).containsExactly("/opt/app/bin/app");
    assertThat(image.argDefault("VERSION")).contains("1.2.3");
  }

  @Test
  void anArchiveThatIsNotBuiltIsNamed() throws Exception {
    Files.delete(context.resolve("target/app-1.2.3.tar.gz"));

    assertThatThrownBy(
            () -> Containerfile.parse(DEFINITION).finalImageFiles(context, archive -> entries))
        .hasMessageContaining("target/app-1.2.3.tar.gz")
        .hasMessageContaining("not in the build context");
  }

  @Test
  void aCopyOfAPathTheStageDoesNotHaveIsRefused() {
    // The archive's top directory carries another version than the definition expects.
    List<String> otherVersion = List.of("app-9.9.9/bin/app");

    assertThatThrownBy(
            () -> Containerfile.parse(DEFINITION).finalImageFiles(context, archive -> otherVersion))
        .hasMessageContaining("/opt/app-1.2.3/")
        .hasMessageContaining("is not in that stage");
  }

  @Test
  void aBuildArgumentWithoutDefaultIsRefusedWhereItIsUsed() {
    String definition = "FROM x\nARG V\nCOPY a-${V} /b/\n";

    assertThatThrownBy(() -> Containerfile.parse(definition).finalImageFiles(context, a -> entries))
        .hasMessageContaining("build argument V has no default");
  }

  @Test
  void aShellFormEntryPointIsRefused() {
    assertThatThrownBy(
            () -> Containerfile.parse("FROM x\nENTRYPOINT /opt/app/bin/app\n").entrypoint())
        .hasMessageContaining("JSON (exec) form");
  }
}
