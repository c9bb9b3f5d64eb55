package org.iotbackbone.checks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;

/**
 * The code base's module boundaries as ArchUnit rules. A module is the package below {@code
 * org.iotbackbone} ({@code servers}, {@code schemas}, {@code ingestbridge}, {@code streamsapp},
 * {@code connectors}, {@code simulator}, {@code localstack}, {@code pki}, {@code capacity});
 * local-servers' runtimes ({@code servers.runtime.NAME}) are modules of their own, as they are
 * Maven modules of their own. A package with an {@code internal} segment belongs to its module
 * only: other modules use the public face.
 */
final class ModuleBoundaries {

  static final String ROOT = "org.iotbackbone.";

  /** The modules whose classes every run of the check must see. */
  static final List<String> MODULES =
      List.of(
          "servers",
          "schemas",
          "ingestbridge",
          "streamsapp",
          "connectors",
          "simulator",
          "localstack",
          "pki",
          "capacity");

  /**
   * Modules whose internal packages do not depend on their public packages, so that public and
   * internal form no cycle. The others' internals use the public face's config and value types (a
   * bridge's {@code BridgeConfig}, the simulator's {@code Scenario} and {@code Leg}): a deliberate
   * dependency, not checked here.
   */
  static final List<String> ACYCLIC_MODULES = List.of("localstack", "schemas", "pki");

  private ModuleBoundaries() {}

  /** No class uses an {@code internal} class of another module. */
  static ArchRule noModuleUsesAnotherModulesInternals() {
    return classes()
        .that()
        .resideInAPackage("org.iotbackbone..")
        .should(useNoInternalsOfOtherModules())
        .because("a module's internal packages are its own; other modules use its public face");
  }

  /** Within {@code module}, no internal class depends on the module's public packages. */
  static ArchRule internalsDoNotUseTheirPublicFace(String module) {
    String base = ROOT + module;
    return noClasses()
        .that()
        .resideInAPackage(base + "..internal..")
        .should()
        .dependOnClassesThat(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "reside in " + base + "'s public packages",
                (JavaClass target) -> {
                  String pkg = target.getBaseComponentType().getPackageName();
                  return (pkg.equals(base) || pkg.startsWith(base + ".")) && !isInternal(pkg);
                }))
        .because("the public face uses the internals, not the other way round: no package cycle");
  }

  /** The module a class belongs to, or "" outside {@code org.iotbackbone}. */
  static String module(JavaClass type) {
    String pkg = type.getBaseComponentType().getPackageName();
    if (!pkg.startsWith(ROOT)) {
      return "";
    }
    String[] segments = pkg.substring(ROOT.length()).split("\\.");
    if (segments.length > 2 && segments[0].equals("servers") && segments[1].equals("runtime")) {
      return "servers.runtime." + segments[2];
    }
    return segments[0];
  }

  static boolean isInternal(String pkg) {
    return (pkg + ".").contains(".internal.");
  }

  private static ArchCondition<JavaClass> useNoInternalsOfOtherModules() {
    return new ArchCondition<>("use no internal class of another module") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        String own = module(origin);
        for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
          JavaClass target = dependency.getTargetClass().getBaseComponentType();
          String theirs = module(target);
          if (!theirs.isEmpty() && !theirs.equals(own) && isInternal(target.getPackageName())) {
            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
          }
        }
      }
    };
  }
}
