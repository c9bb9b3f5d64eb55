package org.iotbackbone.localstack.internal;

import java.util.Objects;
import java.util.Optional;
import org.iotbackbone.servers.ServerOptions;
import org.iotbackbone.servers.launch.Launch;

/**
 * Where a part runs: the address it listens on (and others reach it at) and the network namespace
 * it runs in. Every part is on loopback in this machine's network unless the chaos suite puts it in
 * a namespace of its network lab, where a fault can cut or slow its traffic alone.
 *
 * @param host the part's address
 * @param namespace its network namespace; empty for this machine's own
 */
public record Placement(String host, Optional<String> namespace) {

  /** On loopback, in this machine's network. */
  public static final Placement LOOPBACK = new Placement(ServerOptions.LOOPBACK, Optional.empty());

  public Placement {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(namespace, "namespace");
  }

  /** {@code launch}, run in this placement's namespace. */
  Launch apply(Launch launch) {
    namespace.ifPresent(launch::inNamespace);
    return launch;
  }

  /** {@code builder} with this placement's host and namespace. */
  ServerOptions.Builder apply(ServerOptions.Builder builder) {
    builder.host(host);
    namespace.ifPresent(builder::namespace);
    return builder;
  }
}
