package org.iotbackbone.servers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options common to every {@link LocalServer}. Immutable; built with {@link #builder()}.
 *
 * @param logDir where the server's log is written; empty for the server's data directory. A test
 *     run sets it (system property {@value #LOG_DIR_PROPERTY}) so that logs survive {@link
 *     LocalServer#close()} and can be read after a failure.
 * @param startTimeout how long {@link LocalServer#start()} waits for the server to be ready
 * @param stopTimeout how long a graceful stop may take before the process is killed
 * @param exitWithParent whether the server process ends when the JVM that started it ends, as it
 *     should for tests; a local stack that outlives its command line turns it off
 */
public record ServerOptions(
    Optional<Path> logDir, Duration startTimeout, Duration stopTimeout, boolean exitWithParent) {

  /** The system property that sets {@link #logDir()} for every server of a JVM. */
  public static final String LOG_DIR_PROPERTY = "iotbackbone.servers.logDir";

  public ServerOptions {
    Objects.requireNonNull(logDir, "logDir");
    Objects.requireNonNull(startTimeout, "startTimeout");
    Objects.requireNonNull(stopTimeout, "stopTimeout");
  }

  /**
   * The defaults: logs beside the data (or in {@value #LOG_DIR_PROPERTY}), exit with parent, and
   * three minutes to start: the registry and Cassandra start in 10-20 s on an idle 2-core machine,
   * but took up to 150 s on one shared with other builds.
   */
  public static ServerOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ServerOptions}. */
  public static final class Builder {
    private Path logDir =
        Optional.ofNullable(System.getProperty(LOG_DIR_PROPERTY)).map(Path::of).orElse(null);
    private Duration startTimeout = Duration.ofSeconds(180);
    private Duration stopTimeout = Duration.ofSeconds(20);
    private boolean exitWithParent = true;

    private Builder() {}

    public Builder logDir(Path logDir) {
      this.logDir = logDir;
      return this;
    }

    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = startTimeout;
      return this;
    }

    public Builder stopTimeout(Duration stopTimeout) {
      this.stopTimeout = stopTimeout;
      return this;
    }

    public Builder exitWithParent(boolean exitWithParent) {
      this.exitWithParent = exitWithParent;
      return this;
    }

    public ServerOptions build() {
      return new ServerOptions(
          Optional.ofNullable(logDir), startTimeout, stopTimeout, exitWithParent);
    }
  }
}
