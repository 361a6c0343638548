package org.minewatch.governance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.minewatch.governance.store.Database;
import org.minewatch.testkit.PostgresServer;

/** The two databases every governance test runs on. */
public enum Db {
  H2,
  POSTGRES;

  /**
   * A fresh, migrated database: H2 in {@code dir}, or a new database on the shared PostgreSQL
   * server (skipped when none).
   */
  public Database open(Path dir) {
    if (this == H2) {
      return Database.embedded(dir);
    }
    assumeTrue(PostgresServer.available(), PostgresServer::unavailableReason);
    PostgresServer server = PostgresServer.instance();
    return Database.open(server.createDatabase(), server.user(), server.password());
  }
}
