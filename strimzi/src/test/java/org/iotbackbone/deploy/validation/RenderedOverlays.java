package org.iotbackbone.deploy.validation;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * The overlays under {@code strimzi/overlays/} rendered with {@code kubectl kustomize}, once per
 * test JVM. An overlay that cannot be rendered here (no kubectl, or bases other work provides not
 * present yet) is left out; the overlay test reports it, skipped or, in CI, failed.
 */
public final class RenderedOverlays {

  private static Map<Path, List<ObjectNode>> rendered;

  private RenderedOverlays() {}

  /** The overlays that render here, with their documents. */
  public static synchronized Map<Path, List<ObjectNode>> all() {
    if (rendered == null) {
      Map<Path, List<ObjectNode>> result = new LinkedHashMap<>();
      Optional<Kubectl> kubectl = Kubectl.find();
      for (Path overlay : Overlays.all(TestEnvironment.strimziDir())) {
        if (kubectl.isPresent() && Overlays.missingBases(overlay).isEmpty()) {
          try {
            result.put(
                overlay,
                Yaml.readAll(kubectl.get().kustomize(SiteFiles.withTestSiteFiles(overlay))));
          } catch (RuntimeException e) {
            // Reported by OverlaysTest, which renders again and fails with the message.
          }
        }
      }
      rendered = result;
    }
    return rendered;
  }
}
