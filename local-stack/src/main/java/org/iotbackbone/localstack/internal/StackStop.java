package org.iotbackbone.localstack.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.iotbackbone.servers.DataDirs;
import org.iotbackbone.servers.launch.ProcessTree;

/** Stops what the stack's directory records, newest first, and deletes its data. */
public final class StackStop {

  /** How long a part has for a graceful stop before it is killed. */
  private static final Duration GRACE = Duration.ofSeconds(30);

  private StackStop() {}

  /** Stops every recorded part and removes the endpoints file. */
  public static void stopAll(StackDir dir, Consumer<String> progress) throws IOException {
    List<Map.Entry<String, Map<String, String>>> parts = new ArrayList<>(dir.parts().entrySet());
    Collections.reverse(parts);
    for (Map.Entry<String, Map<String, String>> entry : parts) {
      Map<String, String> part = entry.getValue();
      long pid = Long.parseLong(part.getOrDefault("pid", "-1"));
      long begun = System.nanoTime();
      boolean killed = ProcessTree.stop(pid, GRACE);
      String dataDir = part.get("dataDir");
      if (dataDir != null) {
        DataDirs.delete(Path.of(dataDir));
      }
      dir.forget(entry.getKey());
      progress.accept(
          String.format(
              "stopped %s (pid %d) in %.1f s%s",
              entry.getKey(),
              pid,
              (System.nanoTime() - begun) / 1e9,
              killed ? ", killed after " + GRACE.toSeconds() + " s" : ""));
    }
    Files.deleteIfExists(dir.endpoints());
    // The principals' passwords were those of a Kafka that is gone.
    DataDirs.delete(dir.principals());
  }
}
