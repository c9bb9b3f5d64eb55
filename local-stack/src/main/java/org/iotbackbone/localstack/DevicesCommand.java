package org.iotbackbone.localstack;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.iotbackbone.localstack.internal.BrokerReload;
import org.iotbackbone.localstack.internal.StackDir;
import org.iotbackbone.pki.DeviceIds;
import org.iotbackbone.pki.DevicePki;
import org.iotbackbone.pki.IssuedCertificate;
import org.iotbackbone.pki.SecretHashes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./iot devices create|revoke|list}: the device identities of the stack's CA ({@code
 * <home>/pki}, made at the first {@code create} and kept by {@code ./iot down}).
 */
@Command(
    name = "devices",
    mixinStandardHelpOptions = true,
    description =
        "Device certificates and secrets from the stack's device CA (<home>/pki, kept by down).",
    subcommands = {
      DevicesCommand.Create.class,
      DevicesCommand.Revoke.class,
      DevicesCommand.ListCommand.class
    })
final class DevicesCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options every subcommand has. */
  static class HomeOption {
    @Option(
        names = "--home",
        description = "The stack's directory (default: ${DEFAULT-VALUE}).",
        defaultValue = ".iot")
    Path home;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    StackDir stack() {
      return new StackDir(home);
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    /** The CA of an existing stack directory; a usage error, naming the directory, when none. */
    DevicePki existing() {
      Path dir = stack().pki();
      if (!Files.exists(dir.resolve("ca.crt"))) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "no device CA in " + dir + ": `./iot devices create ID...` makes one");
      }
      return usable(() -> DevicePki.open(dir));
    }

    /** The CA of the stack directory, made first when there is none. */
    DevicePki openOrCreate() {
      return usable(() -> DevicePki.openOrCreate(stack().pki()));
    }

    /**
     * DevicePki names the file at fault when a CA is incomplete or corrupt: that line is enough.
     */
    private static DevicePki usable(Supplier<DevicePki> ca) {
      try {
        return ca.get();
      } catch (IllegalStateException e) {
        throw new CommandFailure(e.getMessage(), e);
      }
    }

    /** The stack's running brokers read the CA's list and secrets again; says what was done. */
    void reloadBrokers(PrintWriter out) {
      BrokerReload.reload(stack()).forEach(line -> out.println("brokers: " + line));
    }

    /** Every id checked before anything is done: a bad one is a usage error naming it. */
    List<String> checked(List<String> ids) {
      for (String id : ids) {
        try {
          DeviceIds.check(id);
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
      }
      return new ArrayList<>(new LinkedHashSet<>(ids));
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Issue a certificate for each device id and write ID.crt and ID.key (PEM) into DIR; with"
              + " --secret, print a per-device secret instead (the broker keeps only its hash)."
              + " Makes the stack's CA in <home>/pki the first time.")
  static final class Create extends HomeOption implements Callable<Integer> {

    @Parameters(
        arity = "1..*",
        paramLabel = "ID",
        description = "Device ids: 1 to 64 of [A-Za-z0-9_-].")
    List<String> ids = new ArrayList<>();

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "Where to write ID.crt and ID.key (default: <home>/devices).")
    Path dir;

    @Option(
        names = "--secret",
        description = "Print 'ID SECRET' per device instead of writing certificates.")
    boolean secret;

    @Override
    public Integer call() {
      List<String> devices = checked(ids);
      if (secret && dir != null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--dir is where certificates go; --secret writes none");
      }
      DevicePki pki = openOrCreate();
      PrintWriter out = out();
      if (secret) {
        for (String id : devices) {
          out.println(id + " " + pki.addSecret(id));
        }
        // A secret is checked by the broker against its copy of the hashes: it must read them.
        reloadBrokers(out);
      } else {
        Path target = (dir == null ? stack().root().resolve("devices") : dir).toAbsolutePath();
        for (Path certificate : pki.writeDevices(devices, target)) {
          String name = certificate.getFileName().toString();
          String id = name.substring(0, name.length() - ".crt".length());
          out.println(id + " " + certificate + " " + certificate.resolveSibling(id + ".key"));
        }
      }
      out.println("devices trust the broker with " + pki.caCertificate().toAbsolutePath());
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Put every certificate of each device id on the CA's revocation list (<home>/pki/crl.pem)"
              + " and remove its secret.")
  static final class Revoke extends HomeOption implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "ID", description = "Device ids.")
    List<String> ids = new ArrayList<>();

    @Override
    public Integer call() {
      DevicePki pki = existing();
      List<IssuedCertificate> issued = pki.issued();
      Map<String, String> secrets = SecretHashes.read(pki.secrets());
      // Every id known before any is revoked: a typo revokes nothing.
      Set<String> targets = new LinkedHashSet<>(ids);
      for (String id : targets) {
        if (!secrets.containsKey(id) && issued.stream().noneMatch(row -> row.name().equals(id))) {
          throw new CommandLine.ParameterException(
              spec.commandLine(),
              "unknown device id '" + id + "': no certificate or secret was issued to it");
        }
      }
      PrintWriter out = out();
      for (String id : targets) {
        List<IssuedCertificate> valid =
            issued.stream().filter(row -> row.name().equals(id) && !row.revoked()).toList();
        pki.revoke(id);
        List<String> what = new ArrayList<>();
        valid.forEach(row -> what.add(row.kind() + " certificate " + row.serial()));
        if (secrets.containsKey(id)) {
          what.add("secret");
        }
        out.println(
            "revoked "
                + id
                + ": "
                + (what.isEmpty() ? "nothing left (already revoked)" : String.join(", ", what)));
      }
      out.println("revocation list: " + pki.crl().toAbsolutePath());
      reloadBrokers(out);
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Every certificate the stack's CA issued, and the devices with a secret.")
  static final class ListCommand extends HomeOption implements Callable<Integer> {

    @Override
    public Integer call() {
      DevicePki pki = existing();
      String format = "%-24s %-8s %-32s %-20s %s%n";
      PrintWriter out = out();
      out.printf(format, "ID", "KIND", "SERIAL", "NOT-AFTER", "REVOKED");
      for (IssuedCertificate row : pki.issued()) {
        out.printf(
            format,
            row.name(),
            row.kind(),
            row.serial(),
            row.notAfter(),
            row.revoked() ? row.revokedAt() : "-");
      }
      for (String id : SecretHashes.read(pki.secrets()).keySet()) {
        out.printf(format, id, "secret", "-", "-", "-");
      }
      out.flush();
      return 0;
    }
  }
}
