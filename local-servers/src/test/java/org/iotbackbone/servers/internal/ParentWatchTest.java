package org.iotbackbone.servers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ParentWatchTest {

  @Test
  void theServerKeepsItsProcessIdAndEndsWhenItsParentEnds() throws IOException {
    // The test ends the parent itself: a timed parent raced the shell on a loaded machine.
    Process parent = new ProcessBuilder("sleep", "60").start();
    Process server =
        new ProcessBuilder(ParentWatch.wrap(parent.pid(), List.of("sleep", "60"))).start();
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(server.info().command())
                      .hasValueSatisfying(c -> assertThat(c).endsWith("sleep")));
      assertThat(server.isAlive()).isTrue();

      parent.destroy();

      await().atMost(Duration.ofSeconds(15)).until(() -> !server.isAlive());
    } finally {
      server.descendants().forEach(ProcessHandle::destroyForcibly);
      server.destroyForcibly();
      parent.destroyForcibly();
    }
  }

  @Test
  void theServerRunsOnWhileItsParentLives() throws IOException {
    Process server = new ProcessBuilder(ParentWatch.wrap(List.of("sleep", "60"))).start();
    try {
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(server::isAlive);
    } finally {
      server.descendants().forEach(ProcessHandle::destroyForcibly);
      server.destroyForcibly();
    }
  }
}
