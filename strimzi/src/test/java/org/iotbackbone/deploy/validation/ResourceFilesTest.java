package org.iotbackbone.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.node.ObjectNode;

/** Every plain YAML file under strimzi/ that holds Kubernetes resources validates strictly. */
class ResourceFilesTest {

  @TestFactory
  Stream<DynamicTest> everyResourceFileValidates() {
    Path strimzi = TestEnvironment.strimziDir();
    return ResourceFiles.yamlFiles(strimzi).stream()
        .map(
            file ->
                DynamicTest.dynamicTest(strimzi.relativize(file).toString(), () -> check(file)));
  }

  private static void check(Path file) {
    ResourceValidator validator = new ResourceValidator(TestEnvironment.crdSchemas());
    List<ObjectNode> resources = ResourceFiles.resources(file);
    for (ObjectNode resource : resources) {
      assertThat(validator.validate(resource))
          .as(TestEnvironment.strimziDir().relativize(file).toString())
          .isEmpty();
    }
  }
}
