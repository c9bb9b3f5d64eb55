package org.iotbackbone.deploy.validation;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Strict validation of core Kubernetes objects with the Kubernetes Java client's model ({@code
 * io.kubernetes:client-java-api}). Its classes are generated from the API server's OpenAPI
 * document, and their Gson adapters validate while reading: an unknown field, a missing required
 * field or a value of the wrong JSON type is refused (CoreModelsTest shows it). It has no enums
 * (the API's enums are strings in the model), so bad enum values of core objects are not caught.
 */
public final class CoreModels {

  private static final String MODELS = "io.kubernetes.client.openapi.models.";

  /** The core kinds the deployment may use, by apiVersion and kind; anything else has no model. */
  private static final Map<GroupVersionKind, String> CLASSES =
      Map.ofEntries(
          core("v1", "ConfigMap", "V1ConfigMap"),
          core("v1", "Secret", "V1Secret"),
          core("v1", "Service", "V1Service"),
          core("v1", "ServiceAccount", "V1ServiceAccount"),
          core("v1", "Namespace", "V1Namespace"),
          core("v1", "PersistentVolumeClaim", "V1PersistentVolumeClaim"),
          core("v1", "Pod", "V1Pod"),
          core("v1", "LimitRange", "V1LimitRange"),
          core("v1", "ResourceQuota", "V1ResourceQuota"),
          core("apps/v1", "Deployment", "V1Deployment"),
          core("apps/v1", "StatefulSet", "V1StatefulSet"),
          core("apps/v1", "DaemonSet", "V1DaemonSet"),
          core("batch/v1", "Job", "V1Job"),
          core("batch/v1", "CronJob", "V1CronJob"),
          core("policy/v1", "PodDisruptionBudget", "V1PodDisruptionBudget"),
          core("autoscaling/v2", "HorizontalPodAutoscaler", "V2HorizontalPodAutoscaler"),
          core("rbac.authorization.k8s.io/v1", "Role", "V1Role"),
          core("rbac.authorization.k8s.io/v1", "RoleBinding", "V1RoleBinding"),
          core("rbac.authorization.k8s.io/v1", "ClusterRole", "V1ClusterRole"),
          core("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "V1ClusterRoleBinding"),
          core("networking.k8s.io/v1", "NetworkPolicy", "V1NetworkPolicy"),
          core("networking.k8s.io/v1", "Ingress", "V1Ingress"),
          core("storage.k8s.io/v1", "StorageClass", "V1StorageClass"),
          core("scheduling.k8s.io/v1", "PriorityClass", "V1PriorityClass"));

  static {
    new JSON(); // installs the model's Gson adapters, which do the validating
  }

  private CoreModels() {}

  private static Map.Entry<GroupVersionKind, String> core(
      String apiVersion, String kind, String model) {
    return Map.entry(new GroupVersionKind(apiVersion, kind), MODELS + model);
  }

  /** The core kinds known here. */
  public static Set<GroupVersionKind> kinds() {
    return CLASSES.keySet();
  }

  /** The model class of a core kind, if it is one. */
  public static Optional<Class<?>> modelOf(GroupVersionKind kind) {
    String name = CLASSES.get(kind);
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Class.forName(name));
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("client-java-api has no " + name, e);
    }
  }

  /** The model's complaint about {@code document} read as {@code model} (empty when valid). */
  public static List<String> validate(JsonNode document, Class<?> model) {
    try {
      JSON.deserialize(Yaml.toJson(document), model);
      return List.of();
    } catch (RuntimeException e) {
      return List.of(model.getSimpleName() + ": " + rootMessage(e));
    }
  }

  /** Validates {@code metadata} strictly as an ObjectMeta (custom resources' schemas skip it). */
  public static List<String> validateMetadata(JsonNode document) {
    JsonNode metadata = document.get("metadata");
    if (metadata == null || !metadata.isObject()) {
      return List.of("metadata: missing or not an object");
    }
    if (metadata.path("name").asString("").isEmpty()) {
      return List.of("metadata.name: missing");
    }
    return validate(metadata, V1ObjectMeta.class).stream().map(m -> "metadata: " + m).toList();
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = String.valueOf(cause.getMessage());
    // The model quotes the whole JSON after the reason; the reason is what a reader needs.
    int json = message.indexOf(" JSON: ");
    return json < 0 ? message : message.substring(0, json);
  }
}
