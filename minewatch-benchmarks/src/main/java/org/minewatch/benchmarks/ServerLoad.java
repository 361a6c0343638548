package org.minewatch.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.minewatch.governance.Governance;
import org.minewatch.governance.Settings;
import org.minewatch.governance.order.TariffPolicies;
import org.minewatch.governance.store.Database;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;
import org.minewatch.server.ApiServer;
import org.minewatch.testkit.PostgresServer;

/**
 * The regulator's server under load on 127.0.0.1, on embedded H2 and on PostgreSQL. Not a test:
 * nothing is asserted about time; counts are printed so that a wrong run shows.
 *
 * <p>{@code load}: a server in this JVM over {@code -Dpreload=10000} findings of {@link
 * FindingsWorkload} (2,000 units), then {@code -Dsensors=4} clients post the next {@code
 * -Dfindings=10000} in batches of {@code -Dbatch=100} ({@code POST /api/findings}) while {@code
 * -Dofficers=4} signed-in officers browse ({@code GET /dashboard}, a random page of {@code /cases},
 * a random {@code /cases/{id}}, {@code -Dpages=60} cycles each). Bounded by count and by {@code
 * -Dseconds=600}. Prints p50, p99 and maximum latency per kind, and throughput.
 *
 * <p>{@code crash}: the real server in its own process ({@code java -cp CLI_JAR
 * org.minewatch.cli.MineWatch serve}, {@code -Dcli=minewatch-cli/target/minewatch.jar}); four
 * sensors post batches of 100, each sensor recording the findings the server acknowledged (200);
 * once {@code -DkillAfter=5000} are acknowledged the process gets {@code kill -9} while batches are
 * in flight; it is restarted on the same store and every acknowledged finding is looked up by its
 * key (host, role, source, protocol).
 *
 * <p>Run: {@code java -cp minewatch-benchmarks/target/benchmarks.jar
 * org.minewatch.benchmarks.ServerLoad load|crash [h2|postgresql|both]} (default both).
 */
public final class ServerLoad {
  private static final int PRELOAD = Integer.getInteger("preload", 10_000);
  private static final int FINDINGS = Integer.getInteger("findings", 10_000);
  private static final int BATCH = Integer.getInteger("batch", 100);
  private static final int SENSORS = Integer.getInteger("sensors", 4);
  private static final int OFFICERS = Integer.getInteger("officers", 4);
  private static final int PAGES = Integer.getInteger("pages", 60);
  private static final int SECONDS = Integer.getInteger("seconds", 600);
  private static final int KILL_AFTER = Integer.getInteger("killAfter", 5_000);
  private static final String CLI = System.getProperty("cli", "minewatch-cli/target/minewatch.jar");
  private static final long SEED = 20211108L;
  private static final String PASSWORD = "benchmark-password-1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ServerLoad() {}

  public static void main(String[] args) {
    try {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
      java.util.logging.Logger.getLogger("org.flywaydb").setLevel(java.util.logging.Level.WARNING);
      String mode = args.length > 0 ? args[0] : "load";
      String which = args.length > 1 ? args[1].toLowerCase(Locale.ROOT) : "both";
      if (!Set.of("load", "crash").contains(mode)
          || !Set.of("h2", "postgresql", "both").contains(which)) {
        throw new IllegalArgumentException("usage: ServerLoad load|crash [h2|postgresql|both]");
      }
      FindingsWorkload w =
          FindingsWorkload.generate(
              PRELOAD + FINDINGS, 2000, SEED, FindingsWorkload.Order.SHUFFLED);
      List<String> lines = new ArrayList<>();
      for (byte[] b : w.batches) {
        new String(b, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).forEach(lines::add);
      }
      for (String db : which.equals("both") ? List.of("h2", "postgresql") : List.of(which)) {
        if (mode.equals("load")) {
          load(db, w, lines);
        } else {
          crash(db, w, lines);
        }
      }
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  // ------------------------------------------------------------------ stores

  /** A fresh store: its JDBC URL, user, password, and the serve options naming it. */
  record Store(
      String name, String url, String user, String password, List<String> serveOptions, Path dir) {}

  private static Store store(String kind) throws Exception {
    if (kind.equals("h2")) {
      Path dir = Files.createTempDirectory("minewatch-load-h2-");
      return new Store("H2", Database.h2Url(dir), "sa", "", List.of("--data", dir.toString()), dir);
    }
    if (!PostgresServer.available()) {
      throw new IllegalStateException("no PostgreSQL: " + PostgresServer.unavailableReason());
    }
    PostgresServer pg = PostgresServer.instance();
    String url = pg.createDatabase();
    return new Store(
        "PostgreSQL",
        url,
        pg.user(),
        pg.password(),
        List.of("--db", url, "--db-user", pg.user(), "--db-password", pg.password()),
        null);
  }

  private static void delete(Store s) throws java.io.IOException {
    if (s.dir() != null) {
      try (var files = Files.walk(s.dir())) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String body(List<String> lines, int from, int to) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < to; i++) {
      b.append(lines.get(i)).append('\n');
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ load

  /** Latencies of one kind of request, in milliseconds. */
  static final class Latencies {
    final String kind;
    final ConcurrentLinkedQueue<Double> ms = new ConcurrentLinkedQueue<>();
    final AtomicLong errors = new AtomicLong();

    Latencies(String kind) {
      this.kind = kind;
    }

    void time(HttpClient c, HttpRequest r, int expect) throws Exception {
      long t = System.nanoTime();
      HttpResponse<byte[]> resp = c.send(r, HttpResponse.BodyHandlers.ofByteArray());
      double elapsed = (System.nanoTime() - t) / 1e6;
      if (resp.statusCode() != expect) {
        errors.incrementAndGet();
        System.err.println(
            kind
                + ": "
                + resp.statusCode()
                + " "
                + new String(resp.body(), StandardCharsets.UTF_8).lines().findFirst().orElse(""));
      }
      ms.add(elapsed);
    }

    String row(String db, double wallSeconds, String extra) {
      double[] v = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return String.format(
          Locale.ROOT,
          "| %s | %s | %,d | %.1f | %.1f | %.1f | %.1f | %d | %s |",
          db,
          kind,
          v.length,
          pct(v, 50),
          pct(v, 99),
          v.length == 0 ? 0 : v[v.length - 1],
          v.length / wallSeconds,
          errors.get(),
          extra);
    }
  }

  static double pct(double[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static void load(String kind, FindingsWorkload w, List<String> lines) throws Exception {
    Store s = store(kind);
    try (Database db = Database.open(s.url(), s.user(), s.password())) {
      Governance g =
          new Governance(db, Clock.systemUTC(), Settings.defaults(), TariffPolicies.builtIn());
      g.importRegistry(User.SYSTEM, w.registryCsv, "generated registry");
      String sensorToken = g.addUser(User.SYSTEM, "sensor", Role.SENSOR, null, null, null);
      User sensor = g.authenticate(sensorToken).orElseThrow();
      g.addUser(User.SYSTEM, "admin", Role.PROVINCE_ADMIN, null, null, PASSWORD.toCharArray());
      long t0 = System.nanoTime();
      for (int i = 0; i < PRELOAD; i += 500) {
        g.ingest(sensor, body(lines, i, Math.min(PRELOAD, i + 500)));
      }
      long cases =
          db.jdbi()
              .withHandle(h -> h.createQuery("select count(*) from cases").mapTo(Long.class).one());
      System.err.printf(
          Locale.ROOT,
          "%s: preloaded %,d findings (%,d cases) in %.1f s%n",
          s.name(),
          PRELOAD,
          cases,
          (System.nanoTime() - t0) / 1e9);
      try (ApiServer server = ApiServer.start(g, "127.0.0.1", 0)) {
        String base = "http://127.0.0.1:" + server.port();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Latencies ingest = new Latencies("`POST /api/findings` (" + BATCH + " findings)");
        Latencies dashboard = new Latencies("`GET /dashboard`");
        Latencies list = new Latencies("`GET /cases?page=N`");
        Latencies page = new Latencies("`GET /cases/{id}`");
        ConcurrentLinkedQueue<Integer> todo = new ConcurrentLinkedQueue<>();
        for (int i = PRELOAD; i < PRELOAD + FINDINGS; i += BATCH) {
          todo.add(i);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        AtomicLong acknowledged = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        AtomicLong ingestEnd = new AtomicLong();
        for (int c = 0; c < SENSORS; c++) {
          threads.add(
              thread(
                  "sensor-" + c,
                  () -> {
                    try {
                      for (Integer from = todo.poll();
                          from != null && System.nanoTime() < deadline;
                          from = todo.poll()) {
                        int to = Math.min(PRELOAD + FINDINGS, from + BATCH);
                        ingest.time(
                            client,
                            HttpRequest.newBuilder(URI.create(base + "/api/findings"))
                                .header("Authorization", "Bearer " + sensorToken)
                                .timeout(Duration.ofSeconds(120))
                                .POST(HttpRequest.BodyPublishers.ofString(body(lines, from, to)))
                                .build(),
                            200);
                        acknowledged.addAndGet(to - from);
                      }
                      ingestEnd.accumulateAndGet(System.nanoTime(), Math::max);
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  }));
        }
        for (int o = 0; o < OFFICERS; o++) {
          int seed = o;
          threads.add(
              thread(
                  "officer-" + o,
                  () -> {
                    try {
                      Random r = new Random(seed);
                      String token =
                          JSON.readTree(
                                  client
                                      .send(
                                          HttpRequest.newBuilder(URI.create(base + "/api/login"))
                                              .POST(
                                                  HttpRequest.BodyPublishers.ofString(
                                                      "{\"user\":\"admin\",\"password\":\""
                                                          + PASSWORD
                                                          + "\"}"))
                                              .build(),
                                          HttpResponse.BodyHandlers.ofString())
                                      .body())
                              .get("token")
                              .asText();
                      String cookie = "mw_session=" + token + "; mw_lang=en";
                      for (int i = 0; i < PAGES && System.nanoTime() < deadline; i++) {
                        dashboard.time(client, get(base + "/dashboard", cookie), 200);
                        list.time(
                            client,
                            get(
                                base
                                    + "/cases?page="
                                    + (1 + r.nextInt((int) Math.max(1, cases / 25))),
                                cookie),
                            200);
                        page.time(
                            client,
                            get(base + "/cases/" + (1 + r.nextInt((int) cases)), cookie),
                            200);
                      }
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  }));
        }
        for (Thread t : threads) {
          t.join();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double ingestWall = (ingestEnd.get() - start) / 1e9;
        long stored =
            db.jdbi()
                .withHandle(
                    h -> h.createQuery("select count(*) from findings").mapTo(Long.class).one());
        System.out.printf(
            Locale.ROOT,
            "%n%s: %d sensors, %d officers, %.1f s; %,d findings acknowledged in %.1f s "
                + "(%,.0f findings/s while officers browsed); %,d findings stored%n",
            s.name(),
            SENSORS,
            OFFICERS,
            wall,
            acknowledged.get(),
            ingestWall,
            acknowledged.get() / ingestWall,
            stored);
        System.out.println(
            "| database | request | count | p50 ms | p99 ms | max ms | per second | errors | |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        System.out.println(
            ingest.row(
                s.name(),
                ingestWall,
                String.format(Locale.ROOT, "%,.0f findings/s", acknowledged.get() / ingestWall)));
        System.out.println(dashboard.row(s.name(), wall, ""));
        System.out.println(list.row(s.name(), wall, ""));
        System.out.println(page.row(s.name(), wall, ""));
      }
    } finally {
      delete(s);
    }
  }

  private static Thread thread(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static HttpRequest get(String url, String cookie) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Cookie", cookie)
        .timeout(Duration.ofSeconds(120))
        .build();
  }

  // ------------------------------------------------------------------ crash

  private static void crash(String kind, FindingsWorkload w, List<String> lines) throws Exception {
    if (!Files.isRegularFile(Path.of(CLI))) {
      throw new IllegalStateException(
          CLI + " is missing: ./mvnw -B -q -pl minewatch-cli -am package -DskipTests");
    }
    Store s = store(kind);
    try {
      String sensorToken;
      try (Database db = Database.open(s.url(), s.user(), s.password())) {
        Governance g =
            new Governance(db, Clock.systemUTC(), Settings.defaults(), TariffPolicies.builtIn());
        g.importRegistry(User.SYSTEM, w.registryCsv, "generated registry");
        sensorToken = g.addUser(User.SYSTEM, "sensor", Role.SENSOR, null, null, null);
      }
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      ConcurrentLinkedQueue<Integer> todo = new ConcurrentLinkedQueue<>();
      for (int i = 0; i < lines.size(); i += BATCH) {
        todo.add(i);
      }
      AtomicLong sent = new AtomicLong();
      AtomicLong lostInFlight = new AtomicLong();
      Process server = serve(s);
      long t0 = System.nanoTime();
      String base = listening(server);
      System.err.printf(
          Locale.ROOT, "%s: serve up in %.1f s%n", s.name(), (System.nanoTime() - t0) / 1e9);
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      List<Thread> sensors = new ArrayList<>();
      for (int c = 0; c < SENSORS; c++) {
        sensors.add(
            thread(
                "sensor-" + c,
                () -> {
                  for (Integer from = todo.poll(); from != null; from = todo.poll()) {
                    int to = Math.min(lines.size(), from + BATCH);
                    sent.addAndGet(to - from);
                    try {
                      HttpResponse<String> r =
                          client.send(
                              HttpRequest.newBuilder(URI.create(base + "/api/findings"))
                                  .header("Authorization", "Bearer " + sensorToken)
                                  .timeout(Duration.ofSeconds(60))
                                  .POST(HttpRequest.BodyPublishers.ofString(body(lines, from, to)))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString());
                      if (r.statusCode() != 200) {
                        throw new IllegalStateException(
                            "ingest: " + r.statusCode() + " " + r.body());
                      }
                      for (int i = from; i < to; i++) {
                        acknowledged.add(key(lines.get(i)));
                      }
                    } catch (java.io.IOException e) {
                      lostInFlight.addAndGet(
                          to - from); // sent, never answered: the client would send it again
                      return;
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                }));
      }
      long ingestStart = System.nanoTime();
      while (acknowledged.size() < KILL_AFTER && sensors.stream().anyMatch(Thread::isAlive)) {
        Thread.sleep(5);
      }
      double ingestSeconds = (System.nanoTime() - ingestStart) / 1e9;
      new ProcessBuilder("kill", "-9", Long.toString(server.pid())).inheritIO().start().waitFor();
      server.waitFor(60, TimeUnit.SECONDS);
      for (Thread t : sensors) {
        t.join();
      }
      int acked = acknowledged.size();
      t0 = System.nanoTime();
      Process again = serve(s);
      try {
        listening(again);
        double restart = (System.nanoTime() - t0) / 1e9;
        Set<String> stored = new HashSet<>();
        try (Database db = Database.open(s.url(), s.user(), s.password())) {
          stored.addAll(
              db.jdbi()
                  .withHandle(
                      h ->
                          h.createQuery(
                                  "select host || '|' || role || '|' || source || '|' "
                                      + "|| coalesce(protocol, '') from findings")
                              .mapTo(String.class)
                              .list()));
        }
        Set<String> missing = new HashSet<>(acknowledged);
        missing.removeAll(stored);
        System.out.printf(
            Locale.ROOT,
            "%n%s: kill -9 after %.1f s of ingest; sent %,d, acknowledged %,d, in flight at "
                + "the kill %,d; after a restart (%.1f s) stored %,d; acknowledged but missing: %,d%n",
            s.name(),
            ingestSeconds,
            sent.get(),
            acked,
            lostInFlight.get(),
            restart,
            stored.size(),
            missing.size());
        if (!missing.isEmpty()) {
          System.out.println("LOST: " + missing.stream().limit(10).toList());
        }
      } finally {
        again.destroyForcibly();
        again.waitFor(60, TimeUnit.SECONDS);
      }
    } finally {
      delete(s);
    }
  }

  /** A finding's key as the server stores it: host|role|source|protocol. */
  private static String key(String line) throws java.io.IOException {
    JsonNode n = JSON.readTree(line);
    return n.get("host").asText()
        + "|"
        + n.get("role").asText()
        + "|"
        + n.path("source").asText("packets")
        + "|"
        + (n.hasNonNull("protocol") ? n.get("protocol").asText() : "");
  }

  private static Process serve(Store s) throws java.io.IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                CLI,
                "org.minewatch.cli.MineWatch",
                "serve",
                "--listen",
                "127.0.0.1:0"));
    cmd.addAll(s.serveOptions());
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  private static String listening(Process p) throws java.io.IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    Pattern listening = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
    List<String> seen = new ArrayList<>();
    for (String l = out.readLine(); l != null; l = out.readLine()) {
      Matcher m = listening.matcher(l);
      if (m.find()) {
        thread(
            "serve-output",
            () -> {
              try {
                while (out.readLine() != null) {
                  // drained so that the server never blocks on its output
                }
              } catch (java.io.IOException e) {
                // ended
              }
            });
        return m.group(1);
      }
      seen.add(l);
    }
    throw new IllegalStateException("serve did not start: " + String.join("\n", seen));
  }
}
