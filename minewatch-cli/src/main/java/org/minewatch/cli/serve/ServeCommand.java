package org.minewatch.cli.serve;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.minewatch.governance.Governance;
import org.minewatch.governance.Settings;
import org.minewatch.governance.order.TariffPolicies;
import org.minewatch.governance.store.Database;
import org.minewatch.server.ApiServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code minewatch serve}: the regulator's server over the embedded database or PostgreSQL. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the regulator's server: findings in (POST /api/findings), cases from detection to closure, "
          + "orders, tip-offs, users and roles, the audit chain; a JSON API described at /api/openapi.json.",
      "Pages for people at / (the public tip-off form at /tipoff); HTTPS only with --tls-cert and --tls-key.",
      "Exit status: 0 after a clean stop (SIGINT/SIGTERM), 2 for unusable arguments (a certificate or key that "
          + "cannot be used among them) or a database that cannot be opened."
    })
public final class ServeCommand implements Callable<Integer> {
  @Mixin DatabaseOptions db = new DatabaseOptions();

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:8080",
      description = "Address to listen on (default: ${DEFAULT-VALUE}; port 0 picks a free one).")
  String listen;

  @Option(
      names = "--demo",
      description =
          "Load the demo registry and the sample capture's findings, and demo users "
              + "(printed), so that cases show at once.")
  boolean demo;

  @Option(
      names = "--settings",
      paramLabel = "FILE",
      description =
          "Deadlines and quiet days (deadline.STATE=DAYS, rectification.days, close.quiet-days).")
  Path settingsFile;

  @Option(
      names = "--tariffs",
      paramLabel = "CSV",
      description = "Punitive price policies replacing the built-in table.")
  Path tariffs;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "Serve HTTPS only (TLS 1.2+) with this PEM "
              + "certificate chain, the server's certificate first; needs --tls-key.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description =
          "The certificate's private key: PEM, unencrypted, "
              + "PKCS#8 (BEGIN PRIVATE KEY; RSA or EC) or PKCS#1 RSA (BEGIN RSA PRIVATE KEY).")
  Path tlsKey;

  private final PrintStream out;
  private final PrintStream err;

  public ServeCommand() {
    this(System.out, System.err);
  }

  ServeCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    int colon = listen.lastIndexOf(':');
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
      if (colon <= 0 || port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      err.println(
          "minewatch serve: --listen must be HOST:PORT (e.g. 127.0.0.1:8080), not " + listen);
      return 2;
    }
    String host = listen.substring(0, colon).replace("[", "").replace("]", "");
    org.minewatch.server.Tls tls = null;
    if ((tlsCert == null) != (tlsKey == null)) {
      err.println(
          "minewatch serve: --tls-cert and --tls-key go together (HTTPS needs the certificate and its key)");
      return 2;
    }
    if (tlsCert != null) {
      try {
        tls = org.minewatch.server.Tls.load(tlsCert, tlsKey);
      } catch (IllegalArgumentException e) {
        err.println("minewatch serve: " + e.getMessage());
        return 2;
      }
    }
    Settings settings;
    TariffPolicies policies;
    try {
      settings = settingsFile == null ? Settings.defaults() : Settings.read(settingsFile);
      policies = tariffs == null ? TariffPolicies.builtIn() : TariffPolicies.read(tariffs);
      policies.problems().forEach(p -> err.println("minewatch: " + tariffs + ": " + p));
    } catch (IOException | IllegalArgumentException e) {
      err.println("minewatch serve: " + e.getMessage());
      return 2;
    }
    Database database;
    try {
      database = db.open();
    } catch (RuntimeException e) {
      err.println(
          "minewatch serve: cannot open the database " + db.describe() + ": " + rootMessage(e));
      return 2;
    }
    Governance governance = new Governance(database, Clock.systemUTC(), settings, policies);
    if (demo) {
      try {
        Demo.load(governance, out);
      } catch (IOException | RuntimeException e) {
        err.println("minewatch serve --demo: " + e.getMessage());
        database.close();
        return 2;
      }
    }
    ApiServer server;
    try {
      server = ApiServer.start(governance, host, port, tls);
    } catch (RuntimeException e) {
      err.println("minewatch serve: cannot listen on " + listen + ": " + rootMessage(e));
      database.close();
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              server.close();
              database.close();
              stopped.countDown();
            },
            "minewatch-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println(
        "minewatch serve: listening on "
            + (tls != null ? "https" : "http")
            + "://"
            + (host.contains(":") ? "[" + host + "]" : host)
            + ":"
            + server.port()
            + " (database "
            + db.describe()
            + "); API at /api/openapi.json; Ctrl-C stops");
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
