package org.iotbackbone.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class IotMainHelpTest {

  /**
   * picocli formats descriptions with {@code String.format}: a bare {@code %} (such as the ACL's
   * {@code devices/%c/#}) is a format error that it prints as a warning beside the help, with the
   * raw text (its line breaks unmade) in place of the description.
   */
  @Test
  void everyCommandsHelpFormatsWithoutAWarning() {
    List<CommandLine> commands = new ArrayList<>();
    collect(new CommandLine(new IotMain()), commands);
    PrintStream err = System.err;
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    List<String> usages = new ArrayList<>();
    try {
      System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
      for (CommandLine command : commands) {
        usages.add(command.getUsageMessage());
      }
    } finally {
      System.setErr(err);
    }

    assertThat(commands).hasSizeGreaterThan(5);
    assertThat(warnings.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
    assertThat(usages).noneMatch(usage -> usage.contains("%n"));
    assertThat(String.join("\n", usages)).contains("devices/%c/#");
  }

  private static void collect(CommandLine command, List<CommandLine> into) {
    into.add(command);
    command.getSubcommands().values().forEach(sub -> collect(sub, into));
  }
}
