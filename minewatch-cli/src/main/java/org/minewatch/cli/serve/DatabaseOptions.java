package org.minewatch.cli.serve;

import java.nio.file.Path;
import org.minewatch.governance.store.Database;
import picocli.CommandLine.Option;

/**
 * Where the governance database is: an embedded folder, or a PostgreSQL URL. Shared by serve, users
 * and audit.
 */
public final class DatabaseOptions {
  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "minewatch-data",
      description = "Folder of the embedded database (default: ./${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--db",
      paramLabel = "JDBC_URL",
      description =
          "A PostgreSQL database instead: jdbc:postgresql://HOST:PORT/NAME (user and password from "
              + "--db-user/--db-password or MINEWATCH_DB_USER/MINEWATCH_DB_PASSWORD).")
  String url;

  @Option(
      names = "--db-user",
      paramLabel = "USER",
      description = "Database user (default: $MINEWATCH_DB_USER).")
  String user;

  @Option(
      names = "--db-password",
      paramLabel = "PASSWORD",
      description =
          "Database password (better: $MINEWATCH_DB_PASSWORD, which no process list shows).")
  String password;

  /** Opens and migrates the database. */
  public Database open() {
    if (url == null) {
      return Database.embedded(data);
    }
    String u = user != null ? user : System.getenv("MINEWATCH_DB_USER");
    String p = password != null ? password : System.getenv("MINEWATCH_DB_PASSWORD");
    return Database.open(url, u, p);
  }

  public String describe() {
    return url != null
        ? url.replaceAll("password=[^&]*", "password=***")
        : data.toAbsolutePath().toString();
  }
}
