package org.iotbackbone.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.iotbackbone.checks.fixture.UsesAnotherModulesInternals;
import org.iotbackbone.checks.fixture.UsesOnlyPublicFaces;
import org.iotbackbone.checks.internal.UsesItsPublicFace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Module boundaries, checked in every build ({@link ModuleBoundaries}): no module uses another
 * module's {@code internal} packages, and where a module's internals do not use its public face,
 * they never start to. What is checked is every module's main code (on this module's class path)
 * and, when they are built, the other modules' test classes. The rules are also run against
 * fixtures that break them, so that a rule that could not fail would fail here.
 */
class ArchitectureTest {

  private static JavaClasses mainCode;
  private static JavaClasses testCode;

  @BeforeAll
  static void importTheCodeBase() throws IOException {
    mainCode =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.iotbackbone");
    testCode = new ClassFileImporter().importPaths(otherModulesTestClasses());
  }

  @Test
  void theCheckSeesEveryModule() {
    // An empty import would let every rule pass: each module must be there.
    Set<String> seen = mainCode.stream().map(ModuleBoundaries::module).collect(Collectors.toSet());
    assertThat(seen).containsAll(ModuleBoundaries.MODULES);
  }

  @Test
  void noModuleUsesAnotherModulesInternalPackages() {
    ModuleBoundaries.noModuleUsesAnotherModulesInternals().check(mainCode);
  }

  @Test
  void noModulesTestsUseAnotherModulesInternalPackages() {
    ModuleBoundaries.noModuleUsesAnotherModulesInternals().allowEmptyShould(true).check(testCode);
  }

  @Test
  void internalPackagesDoNotUseTheirPublicFaceWhereTheyNeverDid() {
    for (String module : ModuleBoundaries.ACYCLIC_MODULES) {
      ModuleBoundaries.internalsDoNotUseTheirPublicFace(module).check(mainCode);
    }
  }

  @Test
  void theBoundaryRuleCatchesAClassThatUsesAnotherModulesInternals() {
    JavaClasses fixture = new ClassFileImporter().importClasses(UsesAnotherModulesInternals.class);

    assertThatThrownBy(() -> ModuleBoundaries.noModuleUsesAnotherModulesInternals().check(fixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(UsesAnotherModulesInternals.class.getName())
        .hasMessageContaining("org.iotbackbone.localstack.internal.StackDir");
  }

  @Test
  void theBoundaryRuleLetsAClassThatUsesOnlyPublicFacesBe() {
    JavaClasses fixture = new ClassFileImporter().importClasses(UsesOnlyPublicFaces.class);

    ModuleBoundaries.noModuleUsesAnotherModulesInternals().check(fixture);
  }

  @Test
  void theCycleRuleCatchesAnInternalClassThatUsesItsPublicFace() {
    JavaClasses fixture = new ClassFileImporter().importClasses(UsesItsPublicFace.class);

    assertThatThrownBy(
            () -> ModuleBoundaries.internalsDoNotUseTheirPublicFace("checks").check(fixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(UsesOnlyPublicFaces.class.getName());
  }

  @Test
  void aModuleIsThePackageBelowTheRootAndARuntimeIsAModuleOfItsOwn() {
    JavaClasses classes =
        new ClassFileImporter()
            .importClasses(
                org.iotbackbone.localstack.Platform.class,
                org.iotbackbone.servers.launch.Launch.class,
                String.class);

    assertThat(ModuleBoundaries.module(classes.get(org.iotbackbone.localstack.Platform.class)))
        .isEqualTo("localstack");
    assertThat(ModuleBoundaries.module(classes.get(org.iotbackbone.servers.launch.Launch.class)))
        .isEqualTo("servers");
    assertThat(ModuleBoundaries.module(classes.get(String.class))).isEmpty();
    assertThat(ModuleBoundaries.isInternal("org.iotbackbone.servers.internal")).isTrue();
    assertThat(ModuleBoundaries.isInternal("org.iotbackbone.schemas.serde.internal")).isTrue();
    assertThat(ModuleBoundaries.isInternal("org.iotbackbone.internalize")).isFalse();
  }

  /** The test classes of the other modules that are built ({@code target/test-classes}). */
  private static List<Path> otherModulesTestClasses() throws IOException {
    String property = System.getProperty("iotbackbone.repoRoot");
    if (property == null) {
      return List.of();
    }
    Path root = Path.of(property);
    try (Stream<Path> dirs = Files.walk(root, 4)) {
      return dirs.filter(dir -> dir.endsWith(Path.of("target", "test-classes")))
          .filter(dir -> !dir.startsWith(root.resolve("checks")))
          .filter(Files::isDirectory)
          .toList();
    }
  }
}
