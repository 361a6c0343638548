package org.minewatch.governance.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The governance database: embedded H2 in a data folder by default, or PostgreSQL; one schema for
 * both, migrated by Flyway on open. H2 runs in PostgreSQL mode with AUTO_SERVER, so the command
 * line ({@code minewatch users add}) can work on the folder while a server has it open, and with
 * WRITE_DELAY=0, so a commit is in the file before the request is answered (a server killed with
 * {@code kill -9} loses nothing it acknowledged).
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource pool;
  private final Jdbi jdbi;
  private final String url;

  private Database(String url, String user, String password) {
    this.url = url;
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    if (user != null) {
      c.setUsername(user);
    }
    if (password != null) {
      c.setPassword(password);
    }
    c.setMaximumPoolSize(8);
    c.setMinimumIdle(1);
    c.setPoolName("minewatch");
    c.setConnectionTimeout(10_000);
    // Fail at once with the driver's own message (wrong password, no such database), not after a
    // timeout.
    c.setInitializationFailTimeout(1);
    this.pool = new HikariDataSource(c);
    try {
      Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    this.jdbi = Jdbi.create(pool);
  }

  /** The embedded database in {@code dir} (created if absent). */
  public static Database embedded(Path dir) {
    return open(h2Url(dir), "sa", "");
  }

  public static String h2Url(Path dir) {
    return "jdbc:h2:file:"
        + dir.toAbsolutePath().resolve("minewatch")
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE;WRITE_DELAY=0";
  }

  /** A database by JDBC URL ({@code jdbc:h2:...} or {@code jdbc:postgresql://...}). */
  public static Database open(String url, String user, String password) {
    if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "--db must be a jdbc:postgresql:// or jdbc:h2: URL, not " + url);
    }
    return new Database(url, user, password);
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public String url() {
    return url;
  }

  public boolean postgres() {
    return url.startsWith("jdbc:postgresql:");
  }

  @Override
  public void close() {
    pool.close();
  }
}
