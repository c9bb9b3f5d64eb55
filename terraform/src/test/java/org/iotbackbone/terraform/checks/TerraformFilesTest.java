package org.iotbackbone.terraform.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The repository's Terraform: every module under terraform/modules and every environment under
 * terraform/environments passes {@link ConfigChecker}, has the usual four files, and every module
 * is used by an environment.
 */
class TerraformFilesTest {

  private static final List<String> SHAPE =
      List.of("main.tf", "variables.tf", "outputs.tf", "versions.tf");

  private static ConfigChecker checker;

  @BeforeAll
  static void parseAll() {
    checker = new ConfigChecker(Hcl2Json.require());
    List<Path> all = new ArrayList<>(modules());
    all.addAll(environments());
    checker.load(all);
  }

  static List<Path> modules() {
    return subdirectories(TestEnvironment.terraformDir().resolve("modules"));
  }

  static List<Path> environments() {
    return subdirectories(TestEnvironment.terraformDir().resolve("environments"));
  }

  private static List<Path> subdirectories(Path dir) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + dir, e);
    }
  }

  @Test
  void theModulesAndTheExampleEnvironmentAreThere() {
    assertThat(modules().stream().map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder("network", "cluster", "operators", "edge-lb");
    assertThat(environments().stream().map(p -> p.getFileName().toString())).contains("example");
  }

  @Test
  void everyModuleAndEnvironmentPassesTheChecks() {
    List<String> problems = new ArrayList<>();
    modules().forEach(dir -> problems.addAll(checker.check(dir)));
    environments().forEach(dir -> problems.addAll(checker.check(dir)));
    assertThat(problems).isEmpty();
  }

  @Test
  void everyModuleHasTheUsualFilesAndNoOthers() {
    for (Path dir : modules()) {
      List<String> tf =
          ConfigDirectory.tfFiles(dir).stream().map(p -> p.getFileName().toString()).toList();
      assertThat(tf).as(dir.toString()).containsExactlyInAnyOrderElementsOf(SHAPE);
    }
    for (Path dir : environments()) {
      List<String> tf =
          ConfigDirectory.tfFiles(dir).stream().map(p -> p.getFileName().toString()).toList();
      assertThat(tf).as(dir.toString()).containsAll(SHAPE);
      assertThat(dir.resolve("README.md")).as("an environment says how to use it").isRegularFile();
    }
  }

  @Test
  void everyModuleIsUsedByAnEnvironment() {
    List<Path> called = new ArrayList<>();
    for (Path env : environments()) {
      checker
          .directory(env)
          .modules
          .values()
          .forEach(call -> called.add(env.resolve(call.path("source").asText()).normalize()));
    }
    assertThat(called).containsAll(modules().stream().map(Path::normalize).toList());
  }
}
