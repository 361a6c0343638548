package org.minewatch.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.minewatch.governance.Governance;
import org.minewatch.governance.Settings;
import org.minewatch.governance.cases.CaseQuery;
import org.minewatch.governance.cases.CaseState;
import org.minewatch.governance.cases.CaseStore;
import org.minewatch.governance.cases.CaseViews;
import org.minewatch.governance.order.TariffPolicies;
import org.minewatch.governance.stats.Dashboard;
import org.minewatch.governance.store.Database;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;
import org.minewatch.server.ApiServer;
import org.minewatch.testkit.PostgresServer;

/**
 * Load of the dashboard page ({@code GET /dashboard}) with N findings stored, on embedded H2 and on
 * PostgreSQL: milliseconds from request to the last byte of the page on 127.0.0.1 (client and
 * server in this JVM), median and 95th percentile of {@code -Dloads=50} loads after {@code
 * -Dwarmup=20}, for the province administrator, a city drilled down ({@code ?region=3201}) and
 * Nanjing's regional officer; the same figures through {@link Governance#dashboard} without HTTP
 * and templates; and, for comparison, {@code GET /api/stats}, whose report figures parse every
 * stored finding's JSON (what the dashboard would cost if it computed the report that way).
 *
 * <p>The findings are {@link FindingsWorkload}'s (N lines in the shape of {@code minewatch scan -f
 * jsonl} over {@code -Dunits=2000} units of a generated registry, first seen in November 2021),
 * ingested through {@link Governance#ingest} in the push client's batches with the clock at Monday
 * 29 November 2021, so that the twelve weeks the dashboard shows hold them; then a third of the
 * cases are dispatched and a tenth of those rejected as false positives (a case history to count),
 * and the clock moves to Wednesday 1 December 2021; on PostgreSQL, {@code vacuum analyze} then
 * runs, as autovacuum would after such a load. Before each timed load a write that changes nothing
 * keeps H2 from answering from its last result (a live server's findings keep changing). Not a
 * test: nothing is asserted about time; the dashboard's headline figures are printed so that a
 * wrong run shows.
 *
 * <p>Run: {@code java -cp minewatch-benchmarks/target/benchmarks.jar
 * org.minewatch.benchmarks.DashboardLoad [h2|postgresql|both] [FINDINGS]} (default both, 100000).
 */
public final class DashboardLoad {
  private static final int UNITS = Integer.getInteger("units", 2000);
  private static final int LOADS = Integer.getInteger("loads", 50);
  private static final int WARMUP = Integer.getInteger("warmup", 20);
  private static final long SEED = Long.getLong("seed", 20211108L);
  private static final String PASSWORD = "benchmark-password-1";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Monday 29 November 2021, 10:00 in Beijing: the findings arrive. */
  private static final Instant INGESTED = Instant.parse("2021-11-29T02:00:00Z");

  /** Wednesday 1 December 2021, 10:00 in Beijing: the dashboard is read. */
  private static final Instant READ = Instant.parse("2021-12-01T02:00:00Z");

  private DashboardLoad() {}

  /** One row of the table. */
  record Row(String database, String what, int loads, double[] ms, long bytes) {}

  private static final List<Row> ROWS = new ArrayList<>();

  /** The database being measured: written to (nothing changes) before each timed load. */
  private static Database current;

  private static final List<String> NOTES = new ArrayList<>();

  public static void main(String[] args) {
    try {
      benchmark(args);
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void benchmark(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    java.util.logging.Logger.getLogger("org.flywaydb").setLevel(java.util.logging.Level.WARNING);
    String which = args.length > 0 ? args[0].toLowerCase(Locale.ROOT) : "both";
    if (!which.equals("h2") && !which.equals("postgresql") && !which.equals("both")) {
      throw new IllegalArgumentException("first argument: h2, postgresql or both, not " + which);
    }
    int n = args.length > 1 ? Integer.parseInt(args[1].replace(",", "").replace("_", "")) : 100_000;
    long t0 = System.nanoTime();
    FindingsWorkload w = FindingsWorkload.generate(n, UNITS, SEED, FindingsWorkload.Order.HOST);
    System.err.printf(
        Locale.ROOT,
        "generated %,d findings of %,d units in %,d batches in %.1f s%n",
        w.findings,
        w.units.size(),
        w.batches.size(),
        (System.nanoTime() - t0) / 1e9);
    if (!which.equals("postgresql")) {
      Path dir = Files.createTempDirectory("minewatch-dashboard-h2-");
      try (Database db = Database.embedded(dir)) {
        run("H2", db, w);
      } finally {
        try (var s = Files.walk(dir)) {
          s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
    if (!which.equals("h2")) {
      if (!PostgresServer.available()) {
        throw new IllegalStateException("no PostgreSQL: " + PostgresServer.unavailableReason());
      }
      PostgresServer pg = PostgresServer.instance();
      try (Database db = Database.open(pg.createDatabase(), pg.user(), pg.password())) {
        run("PostgreSQL", db, w);
      }
    }
    print(w, n);
  }

  /** A clock the benchmark sets: ingest on one day, read on another. */
  static final class SetClock extends Clock {
    volatile Instant now;

    SetClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  private static void run(String name, Database db, FindingsWorkload w) throws Exception {
    System.err.println("== " + name);
    current = db;
    SetClock clock = new SetClock(INGESTED);
    Governance g = new Governance(db, clock, Settings.defaults(), TariffPolicies.builtIn());
    g.importRegistry(User.SYSTEM, w.registryCsv, "generated registry");
    User sensor =
        g.authenticate(g.addUser(User.SYSTEM, "sensor-1", Role.SENSOR, null, null, null))
            .orElseThrow();
    g.addUser(User.SYSTEM, "admin", Role.PROVINCE_ADMIN, null, null, PASSWORD.toCharArray());
    g.addUser(
        User.SYSTEM, "nanjing", Role.REGIONAL_OFFICER, "320100", null, PASSWORD.toCharArray());
    User admin =
        g.authenticate(g.login("admin", PASSWORD.toCharArray(), "benchmark")).orElseThrow();
    User nanjing =
        g.authenticate(g.login("nanjing", PASSWORD.toCharArray(), "benchmark")).orElseThrow();
    long t = System.nanoTime();
    for (byte[] batch : w.batches) {
      g.ingest(sensor, new String(batch, StandardCharsets.UTF_8));
    }
    NOTES.add(
        String.format(
            Locale.ROOT,
            "%s: %,d findings ingested in %.0f s",
            name,
            w.findings,
            (System.nanoTime() - t) / 1e9));
    // A case history: a third of the cases dispatched, a tenth of those rejected.
    clock.now = INGESTED.plusSeconds(3600);
    int moved = 0;
    int rejected = 0;
    for (int page = 1; ; page++) {
      CaseStore.Page p =
          g.listCases(
              admin,
              new CaseQuery(
                  List.of(),
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  "number",
                  page,
                  CaseQuery.MAX_SIZE));
      for (CaseViews.Summary c : p.cases()) {
        if (c.id() % 3 == 0) {
          g.transition(
              admin,
              c.id(),
              new CaseStore.TransitionRequest(CaseState.DISPATCHED, "benchmark", null, null));
          moved++;
          if (c.id() % 30 == 0) {
            g.transition(
                admin,
                c.id(),
                new CaseStore.TransitionRequest(CaseState.REJECTED, "false positive", null, null));
            rejected++;
          }
        }
      }
      if (p.cases().size() < CaseQuery.MAX_SIZE) {
        break;
      }
    }
    clock.now = READ;
    if (name.equals("PostgreSQL")) {
      // As autovacuum does in a running server after a load: until the visibility map is set,
      // PostgreSQL reads the
      // table and sorts it instead of the dashboard's index alone.
      long v = System.nanoTime();
      db.jdbi().useHandle(h -> h.execute("vacuum analyze"));
      NOTES.add(
          String.format(
              Locale.ROOT,
              "PostgreSQL: vacuum analyze after loading, %.0f s",
              (System.nanoTime() - v) / 1e9));
    }
    NOTES.add(
        String.format(
            Locale.ROOT,
            "%s: %s; %,d cases dispatched, %,d of them rejected",
            name,
            counts(db),
            moved,
            rejected));

    Dashboard.Figures d = g.dashboard(admin, null);
    NOTES.add(
        String.format(
            Locale.ROOT,
            "%s dashboard: %,d mining addresses, %,d units, share %.1f%%, %,.0f kWh/day "
                + "(best), %,d open cases, last week's list %d of %d cleared; this week %,d cases opened; regions %s",
            name,
            d.miningHosts(),
            d.units(),
            d.shareGovUnivEnterprise() * 100,
            d.kwhPerDay()[1],
            d.openCases(),
            d.clearance().cleared(),
            d.clearance().listed(),
            d.weeks().get(Dashboard.WEEKS - 1).casesOpened(),
            d.regions().stream()
                .map(r -> (r.prefix() == null ? "none" : r.prefix()) + ":" + r.addresses())
                .toList()));

    try (ApiServer server = ApiServer.start(g, "127.0.0.1", 0)) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String base = "http://127.0.0.1:" + server.port();
      String adminToken = login(client, base, "admin");
      String nanjingToken = login(client, base, "nanjing");
      time(
          name,
          "GET /dashboard (province-admin)",
          () -> page(client, base + "/dashboard", adminToken, true));
      time(
          name,
          "GET /dashboard?region=3201 (province-admin, a city)",
          () -> page(client, base + "/dashboard?region=3201", adminToken, true));
      time(
          name,
          "GET /dashboard (regional-officer 320100)",
          () -> page(client, base + "/dashboard", nanjingToken, true));
      time(
          name,
          "Governance.dashboard (province-admin, no HTTP)",
          () -> {
            g.dashboard(admin, null);
            return 0L;
          });
      time(
          name,
          "Governance.dashboard (regional-officer, no HTTP)",
          () -> {
            g.dashboard(nanjing, null);
            return 0L;
          });
      // Seconds a load: fewer of them.
      time(
          name,
          "GET /api/stats (for comparison: the report from every finding's JSON)",
          Math.max(5, LOADS / 5),
          Math.max(2, WARMUP / 5),
          () -> page(client, base + "/api/stats", adminToken, false));
    }
  }

  private static String login(HttpClient client, String base, String user) throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/api/login"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("user", user, "password", PASSWORD))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("login: " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body()).get("token").asText();
  }

  /**
   * Loads a page; gives its size. {@code cookie}: the page's session cookie, else the API's bearer
   * token.
   */
  private static long page(HttpClient client, String url, String token, boolean cookie) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
      b.header(
          cookie ? "Cookie" : "Authorization",
          cookie ? "mw_session=" + token + "; mw_lang=zh" : "Bearer " + token);
      HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            url + ": " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
      }
      return r.body().length;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void time(String db, String what, Supplier<Long> load) {
    time(db, what, LOADS, WARMUP, load);
  }

  private static void time(String db, String what, int loads, int warmup, Supplier<Long> load) {
    for (int i = 0; i < warmup; i++) {
      var unused = load.get(); // warm-up: only the timed loads' sizes are reported
    }
    double[] ms = new double[loads];
    long bytes = 0;
    for (int i = 0; i < loads; i++) {
      // A write that changes nothing: H2 answers a query repeated on an unchanged database from the
      // last result, which
      // a live server, where findings keep arriving, would not see.
      current
          .jdbi()
          .useHandle(
              h -> h.execute("update counters set next_value = next_value where name = 'case'"));
      long t = System.nanoTime();
      bytes = load.get();
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    System.err.printf(
        Locale.ROOT,
        "  %s %s: median %.1f ms, p95 %.1f ms%n",
        db,
        what,
        ms[loads / 2],
        ms[(int) Math.ceil(loads * 0.95) - 1]);
    ROWS.add(new Row(db, what, loads, ms, bytes));
  }

  private static String counts(Database db) {
    return db.jdbi()
        .withHandle(
            h -> {
              StringBuilder b = new StringBuilder();
              for (String[] q :
                  new String[][] {
                    {"findings", "select count(*) from findings"},
                    {"cases", "select count(*) from cases"},
                    {
                      "on the priority list",
                      "select count(*) from cases where priority_list = true"
                    },
                    {"case events", "select count(*) from case_events"}
                  }) {
                b.append(b.length() == 0 ? "" : ", ")
                    .append(
                        String.format(
                            Locale.ROOT, "%,d", h.createQuery(q[1]).mapTo(Long.class).one()))
                    .append(' ')
                    .append(q[0]);
              }
              return b.toString();
            });
  }

  private static void print(FindingsWorkload w, int n) {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "DashboardLoad %s: %,d findings of %,d units; %d loads after %d warm-up; %d cores, max "
            + "heap %d MB, Java %s%n%n",
        LocalDate.now(ZoneOffset.UTC),
        n,
        w.units.size(),
        LOADS,
        WARMUP,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("java.version"));
    System.out.println("| database | what | loads | median ms | p95 ms | min–max ms | bytes |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Row r : ROWS) {
      double[] ms = r.ms();
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %d | %.1f | %.1f | %.1f–%.1f | %,d |%n",
          r.database(),
          r.what(),
          r.loads(),
          ms[ms.length / 2],
          ms[(int) Math.ceil(ms.length * 0.95) - 1],
          ms[0],
          ms[ms.length - 1],
          r.bytes());
    }
    System.out.println();
    for (String note : NOTES) {
      System.out.println("- " + note);
    }
  }
}
