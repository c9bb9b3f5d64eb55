package org.iotbackbone.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Shows that the Kubernetes model really refuses what the API server would. */
class CoreModelsTest {

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, labels: {app: web}}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
              - name: web
                image: nginx:1.27
                ports: [{containerPort: 80}]
                resources: {limits: {memory: 256Mi, cpu: "1"}}
      """;

  @Test
  void acceptsAValidDeployment() {
    assertThat(CoreModels.validate(Yaml.readOne(DEPLOYMENT), V1Deployment.class)).isEmpty();
  }

  @Test
  void refusesAnUnknownFieldAtEveryDepth() {
    ObjectNode top = Yaml.readOne(DEPLOYMENT);
    top.put("color", "blue");
    ObjectNode inSpec = Yaml.readOne(DEPLOYMENT);
    ((ObjectNode) inSpec.get("spec")).put("replica", 3);
    ObjectNode inContainer = Yaml.readOne(DEPLOYMENT);
    ((ObjectNode) inContainer.at("/spec/template/spec/containers/0")).put("imagePolicy", "x");

    for (ObjectNode bad : List.of(top, inSpec, inContainer)) {
      assertThat(CoreModels.validate(bad, V1Deployment.class))
          .singleElement()
          .asString()
          .contains("is not defined in the");
    }
  }

  @Test
  void refusesAMissingRequiredFieldAndAWrongType() {
    ObjectNode noImageName = Yaml.readOne(DEPLOYMENT);
    ((ObjectNode) noImageName.at("/spec/template/spec/containers/0")).remove("name");
    ObjectNode wrongType = Yaml.readOne(DEPLOYMENT);
    ((ObjectNode) wrongType.at("/spec/template/spec")).put("containers", "web");

    assertThat(CoreModels.validate(noImageName, V1Deployment.class)).isNotEmpty();
    assertThat(CoreModels.validate(wrongType, V1Deployment.class)).isNotEmpty();
  }

  @Test
  void checksMetadataStrictly() {
    ObjectNode configMap =
        Yaml.readOne("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n");
    assertThat(CoreModels.validate(configMap, V1ConfigMap.class)).isEmpty();
    assertThat(CoreModels.validateMetadata(configMap)).isEmpty();

    ((ObjectNode) configMap.get("metadata")).put("label", "x");
    assertThat(CoreModels.validateMetadata(configMap)).singleElement().asString().contains("label");
    ((ObjectNode) configMap.get("metadata")).remove("label");
    ((ObjectNode) configMap.get("metadata")).remove("name");
    assertThat(CoreModels.validateMetadata(configMap)).containsExactly("metadata.name: missing");
  }

  @Test
  void knowsCoreKindsOnlyUnderTheirOwnApiVersion() {
    assertThat(CoreModels.modelOf(new GroupVersionKind("apps/v1", "Deployment"))).isPresent();
    assertThat(CoreModels.modelOf(new GroupVersionKind("v1", "Deployment"))).isEmpty();
    assertThat(CoreModels.modelOf(new GroupVersionKind("extensions/v1beta1", "Deployment")))
        .isEmpty();
  }
}
