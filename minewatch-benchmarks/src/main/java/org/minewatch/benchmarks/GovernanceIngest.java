package org.minewatch.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.minewatch.governance.Governance;
import org.minewatch.governance.Settings;
import org.minewatch.governance.cases.CaseQuery;
import org.minewatch.governance.cases.CaseState;
import org.minewatch.governance.cases.CaseStore;
import org.minewatch.governance.order.TariffPolicies;
import org.minewatch.governance.registry.RegistryStore;
import org.minewatch.governance.store.Database;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;
import org.minewatch.server.ApiServer;
import org.minewatch.testkit.PostgresServer;

/**
 * Ingest and case lists of the regulator's server, on embedded H2 and on PostgreSQL: findings per
 * second into an empty database (through {@link Governance#ingest} and through {@code POST
 * /api/findings}), the same batches again (the idempotent path: nothing changes), and, with every
 * finding stored, cases listed per second ({@code GET /api/cases} and {@link Governance#listCases})
 * on random pages, unfiltered and filtered.
 *
 * <p>The findings are {@link FindingsWorkload}'s: N distinct lines in the shape of {@code minewatch
 * scan -f jsonl} over 2,000 units of a generated registry, in the push client's batches (500 lines,
 * at most 1 MiB). Each database gets a warm-up run on a scratch database first (a tenth of the
 * batches, both paths, and list requests), then two fresh databases: one fed directly, one over
 * HTTP (client and server in this JVM, on 127.0.0.1). PostgreSQL is the test kit's {@link
 * PostgresServer} (Debian's binaries, fsync off). Not a test: nothing is asserted about time; the
 * counts of what ingest did are printed so that a wrong run shows.
 *
 * <p>Run: {@code java -cp minewatch-benchmarks/target/benchmarks.jar
 * org.minewatch.benchmarks.GovernanceIngest [h2|postgresql|both] [FINDINGS]} (default both,
 * 100000). System properties: {@code -Dunits=2000}, {@code -Drequests=2000} and {@code
 * -Dwarmup=200} (list requests per measurement and before it), {@code -Dreps=3} (repetitions of the
 * re-ingest and of each list measurement), {@code -Dseed=20211108}, {@code -Dlist=false} to skip
 * the lists, {@code -Dorder=host} (the lines in address order, as one scan writes them) or {@code
 * -Dorder=shuffled} (across all units, as live findings of many networks arrive).
 */
public final class GovernanceIngest {
  private static final int PAGE_SIZE = 50;
  private static final int UNITS = Integer.getInteger("units", 2000);
  private static final int REQUESTS = Integer.getInteger("requests", 2000);
  private static final int WARMUP = Integer.getInteger("warmup", 200);
  private static final int REPS = Integer.getInteger("reps", 3);
  private static final long SEED = Long.getLong("seed", 20211108L);
  private static final boolean LISTS = Boolean.parseBoolean(System.getProperty("list", "true"));
  private static final FindingsWorkload.Order ORDER =
      FindingsWorkload.Order.valueOf(System.getProperty("order", "host").toUpperCase(Locale.ROOT));
  private static final String ADMIN_PASSWORD = "benchmark-password-1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private GovernanceIngest() {}

  /** One row of the ingest table. */
  record IngestRow(
      String database,
      String path,
      String run,
      int batches,
      long findings,
      double seconds,
      double firstTenth,
      double lastTenth,
      double slowestBatchMs,
      long created,
      long updated,
      long unchanged,
      long casesOpened) {}

  /** One row of the list table: medians and ranges over the repetitions. */
  record ListRow(
      String database,
      String path,
      String filter,
      int clients,
      long matching,
      int requests,
      double[] requestsPerSecond,
      double[] casesPerSecond,
      double msPerRequest) {}

  private static final List<IngestRow> INGESTS = new ArrayList<>();
  private static final List<ListRow> LISTS_DONE = new ArrayList<>();
  private static final List<String> NOTES = new ArrayList<>();

  public static void main(String[] args) {
    try {
      benchmark(args);
    } catch (Exception | Error e) {
      // The server's threads would keep the JVM alive.
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void benchmark(String[] args) throws Exception {
    // Before the first logger: Javalin, Jetty, Hikari and Flyway would log every start at info.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    String which = args.length > 0 ? args[0].toLowerCase(Locale.ROOT) : "both";
    if (!which.equals("h2") && !which.equals("postgresql") && !which.equals("both")) {
      throw new IllegalArgumentException("first argument: h2, postgresql or both, not " + which);
    }
    int n = args.length > 1 ? Integer.parseInt(args[1].replace(",", "").replace("_", "")) : 100_000;

    long t0 = System.nanoTime();
    FindingsWorkload w = FindingsWorkload.generate(n, UNITS, SEED, ORDER);
    System.err.printf(
        Locale.ROOT,
        "generated, in %s order, %,d findings (%,d from addresses no unit holds) of %,d units in %,d batches "
            + "(%.1f MB, largest batch %.2f MB; %,d registry bytes) in %.1f s%n",
        ORDER.name().toLowerCase(Locale.ROOT),
        w.findings,
        w.unattributed,
        w.units.size(),
        w.batches.size(),
        w.bytes / 1e6,
        w.longestBatch / 1e6,
        w.registryCsv.length(),
        (System.nanoTime() - t0) / 1e9);

    if (!which.equals("postgresql")) {
      try (Backend b = new H2()) {
        run(b, w);
      }
    }
    if (!which.equals("h2")) {
      if (!PostgresServer.available()) {
        throw new IllegalStateException("no PostgreSQL: " + PostgresServer.unavailableReason());
      }
      try (Backend b = new Postgres(PostgresServer.instance())) {
        run(b, w);
      }
    }
    print(w, n);
  }

  // ------------------------------------------------------------------ one database

  private static void run(Backend b, FindingsWorkload w) throws Exception {
    System.err.println("== " + b.name());
    List<byte[]> batches = w.batches;
    int tenth = Math.max(1, batches.size() / 10);

    // Warm-up on a scratch database: both ingest paths, the idempotent path, the lists.
    try (Stack s = Stack.open(b, w, true)) {
      ingest(s.direct(), batches.subList(0, tenth), null);
      ingest(s.http(), batches.subList(tenth, Math.min(batches.size(), 2 * tenth)), null);
      ingest(s.direct(), batches.subList(0, Math.min(batches.size(), 2 * tenth)), null);
      ingest(s.http(), batches.subList(0, Math.min(batches.size(), 2 * tenth)), null);
      if (LISTS) {
        for (Filter f : Filter.ALL) {
          list(s.httpLister(f), WARMUP, new Random(1));
          list(s.directLister(f), WARMUP, new Random(1));
        }
      }
    }

    // Directly through the facade, into an empty database.
    try (Stack s = Stack.open(b, w, false)) {
      NOTES.add(
          b.name() + ": registry import of " + w.units.size() + " units: " + s.registryMs + " ms");
      IngestRun first = ingest(s.direct(), batches, b.name() + " direct");
      add(first.row(b.name(), "Governance.ingest", "first, empty database"));
      reingest(b, s.direct(), batches, "Governance.ingest");
    }

    // Over HTTP, into another empty database; then the lists with every finding stored.
    try (Stack s = Stack.open(b, w, true)) {
      IngestRun first = ingest(s.http(), batches, b.name() + " http");
      add(first.row(b.name(), "POST /api/findings", "first, empty database"));
      reingest(b, s.http(), batches, "POST /api/findings");
      NOTES.add(
          b.name()
              + ": stored "
              + s.counts()
              + "; "
              + String.format(Locale.ROOT, "%.0f MB", b.size(s.db) / 1e6)
              + " on disk");
      System.err.println("  " + NOTES.get(NOTES.size() - 1));
      if (LISTS) {
        for (Filter f : Filter.ALL) {
          LISTS_DONE.add(listRow(b.name(), "GET /api/cases", f, 1, s::httpLister));
        }
        LISTS_DONE.add(listRow(b.name(), "GET /api/cases", Filter.ALL.get(0), 4, s::httpLister));
        for (Filter f : Filter.ALL) {
          LISTS_DONE.add(listRow(b.name(), "Governance.listCases", f, 1, s::directLister));
        }
      }
    }
  }

  private static void reingest(Backend b, Sink sink, List<byte[]> batches, String path)
      throws Exception {
    List<IngestRun> runs = new ArrayList<>();
    for (int i = 0; i < REPS; i++) {
      runs.add(ingest(sink, batches, null));
    }
    runs.sort(Comparator.comparingDouble(IngestRun::seconds));
    IngestRun median = runs.get(runs.size() / 2);
    IngestRow row =
        median.row(
            b.name(),
            path,
            "again, all unchanged (median of "
                + REPS
                + ": "
                + String.format(
                    Locale.ROOT,
                    "%.1f–%.1f s",
                    runs.get(0).seconds(),
                    runs.get(runs.size() - 1).seconds())
                + ")");
    add(row);
  }

  private static void add(IngestRow r) {
    INGESTS.add(r);
    System.err.printf(
        Locale.ROOT,
        "  %s %s, %s: %,d findings in %.1f s = %,.0f findings/s (created %,d, updated %,d, "
            + "unchanged %,d)%n",
        r.database(),
        r.path(),
        r.run(),
        r.findings(),
        r.seconds(),
        r.findings() / r.seconds(),
        r.created(),
        r.updated(),
        r.unchanged());
  }

  // ------------------------------------------------------------------ ingest

  /**
   * Sends one batch; gives what the server did: received, created, updated, unchanged, cases
   * opened.
   */
  interface Sink {
    long[] send(byte[] batch) throws Exception;
  }

  record IngestRun(
      int batches,
      long findings,
      double seconds,
      double firstTenth,
      double lastTenth,
      double slowestMs,
      long[] did) {
    IngestRow row(String db, String path, String run) {
      return new IngestRow(
          db,
          path,
          run,
          batches,
          findings,
          seconds,
          firstTenth,
          lastTenth,
          slowestMs,
          did[1],
          did[2],
          did[3],
          did[4]);
    }
  }

  private static IngestRun ingest(Sink sink, List<byte[]> batches, String progress)
      throws Exception {
    long[] did = new long[5];
    long total = 0;
    long slowest = 0;
    int tenth = Math.max(1, batches.size() / 10);
    long firstTenthNanos = 0;
    long firstTenthFindings = 0;
    long lastTenthNanos = 0;
    long lastTenthFindings = 0;
    long findings = 0;
    long started = System.nanoTime();
    for (int i = 0; i < batches.size(); i++) {
      byte[] batch = batches.get(i);
      long t = System.nanoTime();
      long[] r = sink.send(batch);
      long dt = System.nanoTime() - t;
      total += dt;
      slowest = Math.max(slowest, dt);
      for (int k = 0; k < did.length; k++) {
        did[k] += r[k];
      }
      findings += r[0];
      if (i < tenth) {
        firstTenthNanos += dt;
        firstTenthFindings += r[0];
      }
      if (i >= batches.size() - tenth) {
        lastTenthNanos += dt;
        lastTenthFindings += r[0];
      }
      if (progress != null && (i + 1) % tenth == 0) {
        System.err.printf(
            Locale.ROOT,
            "  %s: %,d batches, %,d findings, %.0f s, last batch %.0f ms%n",
            progress,
            i + 1,
            findings,
            (System.nanoTime() - started) / 1e9,
            dt / 1e6);
      }
    }
    return new IngestRun(
        batches.size(),
        findings,
        total / 1e9,
        firstTenthFindings / (firstTenthNanos / 1e9),
        lastTenthFindings / (lastTenthNanos / 1e9),
        slowest / 1e6,
        did);
  }

  // ------------------------------------------------------------------ lists

  /** A case-list filter, as query parameters and as a {@link CaseQuery}. */
  record Filter(
      String label, String params, List<CaseState> states, String region, String priority) {
    static final List<Filter> ALL =
        List.of(
            new Filter("all cases", "", List.of(), null, null),
            new Filter("priority=list", "&priority=list", List.of(), null, "list"),
            new Filter(
                "status=detected", "&status=detected", List.of(CaseState.DETECTED), null, null),
            new Filter("region=3201", "&region=3201", List.of(), "3201", null));

    CaseQuery query(int page) {
      return new CaseQuery(
          states, region, priority, null, null, null, null, "priority", page, PAGE_SIZE);
    }
  }

  /** Lists one page; gives the cases on it and how many match in all. */
  interface Lister {
    long[] page(int page) throws Exception;
  }

  interface ListerFactory {
    Lister of(Filter f);
  }

  private static ListRow listRow(
      String db, String path, Filter f, int clients, ListerFactory factory) throws Exception {
    long matching = factory.of(f).page(1)[1];
    if (clients == 1) {
      list(factory.of(f), WARMUP, new Random(2));
    } else {
      list(factory, f, WARMUP, clients, new Random(2));
    }
    double[] rps = new double[REPS];
    double[] cps = new double[REPS];
    double[] seconds = new double[REPS];
    for (int i = 0; i < REPS; i++) {
      long t = System.nanoTime();
      long cases =
          clients == 1
              ? list(factory.of(f), REQUESTS, new Random(3 + i))
              : list(factory, f, REQUESTS, clients, new Random(3 + i));
      seconds[i] = (System.nanoTime() - t) / 1e9;
      rps[i] = REQUESTS / seconds[i];
      cps[i] = cases / seconds[i];
    }
    System.err.printf(
        Locale.ROOT,
        "  %s %s %s, %d client(s): %s requests/s%n",
        db,
        path,
        f.label(),
        clients,
        Arrays.toString(Arrays.stream(rps).mapToLong(Math::round).toArray()));
    Arrays.sort(seconds);
    return new ListRow(
        db,
        path,
        f.label(),
        clients,
        matching,
        REQUESTS,
        rps,
        cps,
        seconds[REPS / 2] * 1000 * clients / REQUESTS);
  }

  /** {@code requests} random pages of the filter's list; gives the cases listed. */
  private static long list(Lister l, int requests, Random r) throws Exception {
    long pages = Math.max(1, (l.page(1)[1] + PAGE_SIZE - 1) / PAGE_SIZE);
    long cases = 0;
    for (int i = 0; i < requests; i++) {
      cases += l.page(1 + r.nextInt((int) pages))[0];
    }
    return cases;
  }

  private static long list(ListerFactory factory, Filter f, int requests, int clients, Random r)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<Long>> parts = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        Lister l = factory.of(f);
        Random own = new Random(r.nextLong());
        int share = requests / clients + (c < requests % clients ? 1 : 0);
        parts.add(pool.submit(() -> list(l, share, own)));
      }
      long cases = 0;
      for (Future<Long> p : parts) {
        cases += p.get();
      }
      return cases;
    } finally {
      pool.shutdownNow();
    }
  }

  // ------------------------------------------------------------------ databases

  interface Backend extends AutoCloseable {
    String name();

    Database fresh() throws IOException;

    long size(Database db);

    @Override
    void close() throws IOException;
  }

  static final class H2 implements Backend {
    private final Path root = Files.createTempDirectory("minewatch-bench-h2-");

    H2() throws IOException {}

    @Override
    public String name() {
      return "H2";
    }

    @Override
    public Database fresh() throws IOException {
      return Database.embedded(Files.createTempDirectory(root, "db-"));
    }

    @Override
    public long size(Database db) {
      // The URL names the file's path before the first ';'.
      Path file =
          Path.of(db.url().substring("jdbc:h2:file:".length(), db.url().indexOf(';')) + ".mv.db");
      try {
        return Files.size(file);
      } catch (IOException e) {
        return -1;
      }
    }

    @Override
    public void close() throws IOException {
      try (Stream<Path> s = Files.walk(root)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  static final class Postgres implements Backend {
    private final PostgresServer server;

    Postgres(PostgresServer server) {
      this.server = server;
    }

    @Override
    public String name() {
      return "PostgreSQL";
    }

    @Override
    public Database fresh() {
      return Database.open(server.createDatabase(), server.user(), server.password());
    }

    @Override
    public long size(Database db) {
      return db.jdbi()
          .withHandle(
              h ->
                  h.createQuery("select pg_database_size(current_database())")
                      .mapTo(Long.class)
                      .one());
    }

    @Override
    public void close() {
      // The server is the test kit's, stopped by its shutdown hook.
    }
  }

  /**
   * A fresh database with the registry, a sensor and an administrator; with the HTTP server if
   * asked.
   */
  static final class Stack implements AutoCloseable {
    final Database db;
    final Governance g;
    final User sensor;
    final String sensorToken;
    final User admin;
    final ApiServer server;
    final String httpAdminToken;
    final HttpClient client;
    final long registryMs;

    private Stack(
        Database db,
        Governance g,
        User sensor,
        String sensorToken,
        User admin,
        ApiServer server,
        String httpAdminToken,
        long registryMs) {
      this.db = db;
      this.g = g;
      this.sensor = sensor;
      this.sensorToken = sensorToken;
      this.admin = admin;
      this.server = server;
      this.httpAdminToken = httpAdminToken;
      this.registryMs = registryMs;
      this.client =
          server == null
              ? null
              : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    static Stack open(Backend b, FindingsWorkload w, boolean http) throws Exception {
      Database db = b.fresh();
      Governance g =
          new Governance(db, Clock.systemUTC(), Settings.defaults(), TariffPolicies.builtIn());
      long t = System.nanoTime();
      RegistryStore.ImportResult imported =
          g.importRegistry(User.SYSTEM, w.registryCsv, "generated registry");
      long registryMs = (System.nanoTime() - t) / 1_000_000;
      if (!imported.problems().isEmpty() || imported.units() != w.units.size()) {
        throw new IllegalStateException("registry import: " + imported);
      }
      String sensorToken = g.addUser(User.SYSTEM, "sensor-1", Role.SENSOR, null, null, null);
      User sensor = g.authenticate(sensorToken).orElseThrow();
      g.addUser(
          User.SYSTEM, "admin", Role.PROVINCE_ADMIN, null, null, ADMIN_PASSWORD.toCharArray());
      User admin =
          g.authenticate(g.login("admin", ADMIN_PASSWORD.toCharArray(), "benchmark")).orElseThrow();
      ApiServer server = null;
      String httpToken = null;
      if (http) {
        server = ApiServer.start(g, "127.0.0.1", 0);
        HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r =
            c.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/login"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            JSON.writeValueAsString(
                                Map.of("user", "admin", "password", ADMIN_PASSWORD))))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new IllegalStateException("login: " + r.statusCode() + " " + r.body());
        }
        httpToken = JSON.readTree(r.body()).get("token").asText();
      }
      return new Stack(db, g, sensor, sensorToken, admin, server, httpToken, registryMs);
    }

    Sink direct() {
      return batch -> {
        String body = new String(batch, StandardCharsets.UTF_8);
        CaseStore.IngestResult r = g.ingest(sensor, body);
        return new long[] {r.received(), r.created(), r.updated(), r.unchanged(), r.casesOpened()};
      };
    }

    Sink http() {
      URI uri = URI.create("http://127.0.0.1:" + server.port() + "/api/findings");
      return batch -> {
        HttpResponse<byte[]> r =
            client.send(
                HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + sensorToken)
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(batch))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
          throw new IllegalStateException(
              "POST /api/findings: "
                  + r.statusCode()
                  + " "
                  + new String(r.body(), StandardCharsets.UTF_8));
        }
        JsonNode n = JSON.readTree(r.body());
        return new long[] {
          n.get("received").asLong(),
          n.get("created").asLong(),
          n.get("updated").asLong(),
          n.get("unchanged").asLong(),
          n.get("cases_opened").asLong()
        };
      };
    }

    Lister httpLister(Filter f) {
      String base =
          "http://127.0.0.1:"
              + server.port()
              + "/api/cases?size="
              + PAGE_SIZE
              + f.params()
              + "&page=";
      return page -> {
        HttpResponse<byte[]> r =
            client.send(
                HttpRequest.newBuilder(URI.create(base + page))
                    .header("Authorization", "Bearer " + httpAdminToken)
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
          throw new IllegalStateException(
              "GET /api/cases: "
                  + r.statusCode()
                  + " "
                  + new String(r.body(), StandardCharsets.UTF_8));
        }
        JsonNode n = JSON.readTree(r.body());
        return new long[] {n.get("cases").size(), n.get("total").asLong()};
      };
    }

    Lister directLister(Filter f) {
      return page -> {
        CaseStore.Page p = g.listCases(admin, f.query(page));
        return new long[] {p.cases().size(), p.total()};
      };
    }

    String counts() {
      return db.jdbi()
          .withHandle(
              h -> {
                StringBuilder b = new StringBuilder();
                for (String[] q :
                    new String[][] {
                      {"findings", "select count(*) from findings"},
                      {
                        "findings in cases",
                        "select count(*) from findings where case_id is not null"
                      },
                      {"cases", "select count(*) from cases"},
                      {
                        "on the priority list",
                        "select count(*) from cases where priority_list = true"
                      },
                      {"case hosts", "select count(*) from case_hosts"},
                      {"case links", "select count(*) from case_links"},
                      {"case events", "select count(*) from case_events"},
                      {"audit entries", "select count(*) from audit"}
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

    @Override
    public void close() {
      if (server != null) {
        server.close();
      }
      db.close();
    }
  }

  // ------------------------------------------------------------------ the tables

  private static void print(FindingsWorkload w, int n) {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "GovernanceIngest %s: %,d findings in %s order, %,d units, %,d batches of at most "
            + "%d lines and 1 MiB (%.0f MB of JSON lines); %d cores, max heap %d MB, Java %s%n",
        LocalDate.now(ZoneOffset.UTC),
        n,
        w.order.name().toLowerCase(Locale.ROOT),
        w.units.size(),
        w.batches.size(),
        FindingsWorkload.BATCH_LINES,
        w.bytes / 1e6,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("java.version"));
    System.out.println();
    System.out.println(
        "| database | path | run | batches | seconds | findings/s | first 10% f/s | last 10% f/s "
            + "| slowest batch ms | created / updated / unchanged | cases opened |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    for (IngestRow r : INGESTS) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %,d | %.1f | %,.0f | %,.0f | %,.0f | %,.0f | %,d / %,d / %,d | %,d |%n",
          r.database(),
          r.path(),
          r.run(),
          r.batches(),
          r.seconds(),
          r.findings() / r.seconds(),
          r.firstTenth(),
          r.lastTenth(),
          r.slowestBatchMs(),
          r.created(),
          r.updated(),
          r.unchanged(),
          r.casesOpened());
    }
    if (!LISTS_DONE.isEmpty()) {
      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "Case lists: pages of %d at random, %,d requests after %,d warm-up, %d repetitions "
              + "(median, range)%n%n",
          PAGE_SIZE,
          REQUESTS,
          WARMUP,
          REPS);
      System.out.println(
          "| database | path | filter | clients | cases matching | requests/s | cases/s | ms per request |");
      System.out.println("|---|---|---|---|---|---|---|---|");
      for (ListRow r : LISTS_DONE) {
        System.out.printf(
            Locale.ROOT,
            "| %s | %s | %s | %d | %,d | %s | %s | %.1f |%n",
            r.database(),
            r.path(),
            r.filter(),
            r.clients(),
            r.matching(),
            medianRange(r.requestsPerSecond()),
            medianRange(r.casesPerSecond()),
            r.msPerRequest());
      }
    }
    System.out.println();
    for (String note : NOTES) {
      System.out.println("- " + note);
    }
  }

  private static String medianRange(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return String.format(
        Locale.ROOT, "%,.0f (%,.0f–%,.0f)", s[s.length / 2], s[0], s[s.length - 1]);
  }
}
