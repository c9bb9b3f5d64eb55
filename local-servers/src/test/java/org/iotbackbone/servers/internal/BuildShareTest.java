package org.iotbackbone.servers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildShareTest {

  @TempDir Path dir;

  private final AtomicInteger starts = new AtomicInteger();

  /** Describes a "server" that is this test JVM: alive for as long as the test runs. */
  private Map<String, String> start(ProcessHandle owner) {
    starts.incrementAndGet();
    return Map.of("name", "fake", "pid", Long.toString(ProcessHandle.current().pid()));
  }

  @Test
  void startsAServerOnceAndHandsItsDescriptionToEveryLaterCaller() {
    BuildShare share = new BuildShare(dir, ProcessHandle.current());

    Map<String, String> first = share.obtain("fake", this::start);
    Map<String, String> second =
        new BuildShare(dir, ProcessHandle.current()).obtain("fake", this::start);

    assertThat(starts).hasValue(1);
    assertThat(second).isEqualTo(first).containsEntry("name", "fake");
    assertThat(dir.resolve("fake.properties")).exists();
  }

  @Test
  void startsAgainWhenTheFileNamesAServerThatEnded() throws Exception {
    BuildShare share = new BuildShare(dir, ProcessHandle.current());
    share.obtain("fake", this::start);
    Path file = dir.resolve("fake.properties");
    Files.writeString(
        file, Files.readString(file).replaceAll("(?m)^pid=.*$", "pid=" + Long.MAX_VALUE));

    share.obtain("fake", this::start);

    assertThat(starts).hasValue(2);
  }

  @Test
  void ignoresAServerThatAnEarlierBuildStarted() throws Exception {
    new BuildShare(dir, ProcessHandle.current()).obtain("fake", this::start);
    ProcessHandle anotherBuild = ProcessHandle.current().parent().orElseThrow();

    new BuildShare(dir, anotherBuild).obtain("fake", this::start);

    assertThat(starts).hasValue(2);
  }

  @Test
  void thereIsNoShareWithoutTheProperty() {
    String before = System.clearProperty(BuildShare.DIR_PROPERTY);
    try {
      assertThat(BuildShare.ofThisBuild()).isEmpty();
    } finally {
      if (before != null) {
        System.setProperty(BuildShare.DIR_PROPERTY, before);
      }
    }
  }
}
