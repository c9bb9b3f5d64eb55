package org.iotbackbone.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.iotbackbone.localstack.internal.RestTokens;
import org.iotbackbone.localstack.internal.StackDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./iot token create}: bearer tokens for the local stack's REST API. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Bearer tokens for the local stack's REST API.",
    subcommands = {TokenCommand.Create.class})
final class TokenCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Print a token signed by the stack's key (made once in <home>/rest-auth/), which the"
              + " streams app of `./iot up` accepts: curl -H \"Authorization: Bearer $(./iot token"
              + " create --scope shadows:read)\" $REST_URL/devices/lamp-1/shadow")
  static final class Create implements Callable<Integer> {

    @Option(
        names = "--home",
        description = "The stack's directory (default: ${DEFAULT-VALUE}).",
        defaultValue = ".iot")
    Path home;

    @Option(
        names = "--scope",
        required = true,
        split = ",",
        paramLabel = "SCOPE",
        description =
            "What the token may do, comma-separated: devices:read, shadows:read, shadows:write,"
                + " commands:write, jobs:read, jobs:write.")
    List<String> scopes = new ArrayList<>();

    @Option(
        names = "--devices",
        paramLabel = "PATTERN",
        description =
            "Limit the token to these devices: globs with * separated by spaces, such as"
                + " 'speaker-*' (default: every device).")
    String devices;

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        description = "How long the token is valid: 90s, 30m, 12h, 7d or PT1H (default: 1h).",
        defaultValue = "1h")
    String ttl;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      Duration validity = duration(ttl);
      RestTokens tokens = RestTokens.of(new StackDir(home).restAuth());
      try {
        System.out.println(tokens.create(scopes, Optional.ofNullable(devices), validity));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      return 0;
    }

    private Duration duration(String text) {
      try {
        if (text.toUpperCase(Locale.ROOT).startsWith("P")) {
          return Duration.parse(text);
        }
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
          case 's' -> Duration.ofSeconds(amount);
          case 'm' -> Duration.ofMinutes(amount);
          case 'h' -> Duration.ofHours(amount);
          case 'd' -> Duration.ofDays(amount);
          default -> throw new NumberFormatException(text);
        };
      } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--ttl must be like 90s, 30m, 12h, 7d or PT1H, not '" + text + "'");
      }
    }
  }
}
