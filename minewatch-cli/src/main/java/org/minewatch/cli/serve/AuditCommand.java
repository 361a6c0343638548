package org.minewatch.cli.serve;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.minewatch.governance.audit.AuditLog;
import org.minewatch.governance.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code minewatch audit verify}: recomputes the audit chain and names the first broken entry. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "The server's audit trail.",
    subcommands = AuditCommand.Verify.class)
public final class AuditCommand {

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Recomputes the SHA-256 chain of the "
              + "audit entries. Exit status: 0 intact, 1 broken (the first broken entry is named), 2 unusable database.")
  static final class Verify implements Callable<Integer> {
    @Mixin DatabaseOptions db = new DatabaseOptions();

    @Override
    public Integer call() throws IOException {
      return UsersCommand.run(
          db,
          System.out,
          System.err,
          () -> {
            try (Database d = db.open()) {
              AuditLog.Verification v =
                  UsersCommand.governance(d).verifyAudit(UsersCommand.operator());
              if (v.intact()) {
                System.out.println("audit chain intact: " + v.entries() + " entries");
                return 0;
              }
              System.out.println(
                  "audit chain BROKEN at entry "
                      + v.firstBroken()
                      + ": "
                      + v.reason()
                      + " ("
                      + v.entries()
                      + " entries before it hold)");
              return 1;
            }
          });
    }
  }
}
