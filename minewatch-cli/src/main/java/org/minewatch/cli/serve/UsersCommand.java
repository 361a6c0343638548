package org.minewatch.cli.serve;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.minewatch.governance.Governance;
import org.minewatch.governance.Problem;
import org.minewatch.governance.Settings;
import org.minewatch.governance.order.TariffPolicies;
import org.minewatch.governance.store.Database;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;
import org.minewatch.governance.user.Users;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code minewatch users add|list|disable}: users of the server's database, from the command line.
 */
@Command(
    name = "users",
    mixinStandardHelpOptions = true,
    description =
        "Manages the server's users in its database (--data or --db, as for serve; a running server may "
            + "keep the embedded database open). Exit status: 0 done, 1 refused (e.g. the name exists), 2 unusable "
            + "arguments or database.",
    subcommands = {
      UsersCommand.Add.class,
      UsersCommand.ListUsers.class,
      UsersCommand.Disable.class
    })
public final class UsersCommand {

  /** The command line acts as a province administrator, audited under the operating-system user. */
  static User operator() {
    return new User(
        0, "cli:" + System.getProperty("user.name"), Role.PROVINCE_ADMIN, null, null, false);
  }

  static Governance governance(Database db) {
    return new Governance(db, Clock.systemUTC(), Settings.defaults(), TariffPolicies.builtIn());
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description =
          "Adds a user; reads the password from "
              + "standard input (one line). For --role sensor, prints the new API token instead.")
  static final class Add implements Callable<Integer> {
    @Mixin DatabaseOptions db = new DatabaseOptions();

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        description =
            "province-admin, regional-officer, "
                + "energy-regulator, grid-company, unit-contact, auditor or sensor.")
    String role;

    @Option(
        names = "--region",
        paramLabel = "CODE",
        description = "GB/T 2260 region code (regional officers).")
    String region;

    @Option(
        names = "--unit",
        paramLabel = "CREDIT_CODE",
        description = "The unit's credit code (unit contacts).")
    String unit;

    @Override
    public Integer call() throws IOException {
      return run(
          db,
          System.out,
          System.err,
          () -> {
            Role r = Role.parse(role);
            char[] password = null;
            if (r != Role.SENSOR) {
              String line =
                  new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                      .readLine();
              if (line == null) {
                throw Problem.invalid("password", "give the password on standard input");
              }
              password = line.toCharArray();
            }
            try (Database d = db.open()) {
              String token = governance(d).addUser(operator(), name, r, region, unit, password);
              System.out.println(
                  token != null ? token : "user " + name + " added (" + r.label() + ")");
            }
            return 0;
          });
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the users.")
  static final class ListUsers implements Callable<Integer> {
    @Mixin DatabaseOptions db = new DatabaseOptions();

    @Override
    public Integer call() throws IOException {
      return run(
          db,
          System.out,
          System.err,
          () -> {
            try (Database d = db.open()) {
              System.out.printf(
                  "%-24s %-18s %-8s %-20s %s%n", "NAME", "ROLE", "REGION", "UNIT", "STATE");
              for (Users.Listed u : governance(d).listUsers(operator())) {
                System.out.printf(
                    "%-24s %-18s %-8s %-20s %s%n",
                    u.name(),
                    u.role(),
                    u.regionCode() == null ? "-" : u.regionCode(),
                    u.unitCode() == null ? "-" : u.unitCode(),
                    u.disabled() ? "disabled" : "active");
              }
            }
            return 0;
          });
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Disables a user and revokes its tokens.")
  static final class Disable implements Callable<Integer> {
    @Mixin DatabaseOptions db = new DatabaseOptions();

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws IOException {
      return run(
          db,
          System.out,
          System.err,
          () -> {
            try (Database d = db.open()) {
              governance(d).disableUser(operator(), name);
              System.out.println("user " + name + " disabled");
            }
            return 0;
          });
    }
  }

  interface Body {
    int run() throws IOException;
  }

  /**
   * Runs a body, turning refusals and database failures into a one-line message and an exit status.
   */
  static int run(DatabaseOptions db, PrintStream out, PrintStream err, Body body)
      throws IOException {
    try {
      return body.run();
    } catch (Problem p) {
      err.println("minewatch: " + p.getMessage());
      return p.kind() == Problem.Kind.INVALID ? 2 : 1;
    } catch (IllegalArgumentException e) {
      err.println("minewatch: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("minewatch: database " + db.describe() + ": " + ServeCommand.rootMessage(e));
      return 2;
    }
  }
}
