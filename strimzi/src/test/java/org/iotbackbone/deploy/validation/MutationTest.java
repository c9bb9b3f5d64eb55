package org.iotbackbone.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The validation bites: for every kind in the fixtures and in the rendered overlays, a copy with an
 * unknown field is refused, and, where its CRD has an enum, so is a copy with a bad enum value.
 */
class MutationTest {

  @TestFactory
  Stream<DynamicTest> everyKindRefusesBrokenCopies() {
    ResourceValidator validator = new ResourceValidator(TestEnvironment.crdSchemas());
    CrdSchemas crds = TestEnvironment.crdSchemas();
    return oneOfEachKind().values().stream()
        .flatMap(
            document -> {
              GroupVersionKind kind = GroupVersionKind.of(document);
              DynamicTest unknown =
                  DynamicTest.dynamicTest(
                      kind + " with an unknown field",
                      () -> {
                        Mutations.Mutation m = Mutations.withUnknownField(document);
                        assertThat(validator.validate(document)).as("the original").isEmpty();
                        assertThat(validator.validate(m.document()))
                            .as(m.path())
                            .isNotEmpty()
                            .anyMatch(p -> p.contains(Mutations.UNKNOWN_FIELD));
                      });
              Optional<Mutations.Mutation> badEnum =
                  crds.find(kind).flatMap(s -> Mutations.withBadEnum(document, s.strictSchema()));
              if (badEnum.isEmpty()) {
                return Stream.of(unknown);
              }
              DynamicTest enumTest =
                  DynamicTest.dynamicTest(
                      kind + " with a bad enum value at " + badEnum.get().path(),
                      () ->
                          assertThat(validator.validate(badEnum.get().document()))
                              .isNotEmpty()
                              .anyMatch(p -> p.contains(badEnum.get().path())));
              return Stream.of(unknown, enumTest);
            });
  }

  private static Map<GroupVersionKind, ObjectNode> oneOfEachKind() {
    Map<GroupVersionKind, ObjectNode> kinds = new LinkedHashMap<>();
    Stream.concat(
            Fixtures.all().stream(), RenderedOverlays.all().values().stream().flatMap(List::stream))
        .forEach(d -> kinds.putIfAbsent(GroupVersionKind.of(d), d));
    return kinds;
  }
}
