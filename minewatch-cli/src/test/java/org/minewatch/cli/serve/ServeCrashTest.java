package org.minewatch.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.minewatch.governance.Governance;
import org.minewatch.governance.Settings;
import org.minewatch.governance.order.TariffPolicies;
import org.minewatch.governance.store.Database;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;
import org.minewatch.testkit.PostgresServer;

/**
 * {@code minewatch serve} as its own process, killed with SIGKILL while four sensors are still
 * sending: every finding whose batch was acknowledged (200) is in the store when it is opened again
 * after a restart, by count and by host; batches cut off without an answer may or may not be. On
 * the embedded H2 database and on PostgreSQL. (The benchmark {@code ServerLoad crash} runs the same
 * with more findings and records the figures in docs/benchmarks.md.)
 */
class ServeCrashTest {
  static final int SENSORS = 4;
  static final int BATCH = 25;

  /**
   * The server is killed once this many findings have been acknowledged, while the sensors keep
   * sending.
   */
  static final int KILL_AFTER = 200;

  @TempDir Path dir;

  static String line(int i) {
    return "{\"host\":\"10.7."
        + (i / 250)
        + "."
        + (i % 250 + 1)
        + "\",\"role\":\"miner\",\"verdict\":\"mining\","
        + "\"coin\":\"monero\",\"protocol\":\"stratum-xmr\",\"source\":\"packets\",\"first_seen\":\"2027-01-01T00:00:00Z\","
        + "\"last_seen\":\"2027-01-01T00:10:00Z\",\"flows\":1,\"bytes\":1000,\"evidence\":[\"client sent login\"]}";
  }

  static String host(int i) {
    return "10.7." + (i / 250) + "." + (i % 250 + 1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgresql"})
  void killedMidIngestLosesNoAcknowledgedFinding(String kind) throws Exception {
    List<String> store = new ArrayList<>();
    String url;
    String user = null;
    String password = null;
    if (kind.equals("h2")) {
      Path data = dir.resolve("data");
      store.addAll(List.of("--data", data.toString()));
      url = Database.h2Url(data);
      user = "sa";
      password = "";
    } else {
      assumeTrue(PostgresServer.available(), PostgresServer::unavailableReason);
      PostgresServer pg = PostgresServer.instance();
      url = pg.createDatabase();
      user = pg.user();
      password = pg.password();
      store.addAll(List.of("--db", url, "--db-user", user, "--db-password", password));
    }
    String token;
    try (Database db = Database.open(url, user, password)) {
      token =
          new Governance(db, Clock.systemUTC(), Settings.defaults(), TariffPolicies.builtIn())
              .addUser(User.SYSTEM, "probe", Role.SENSOR, null, null, null);
    }

    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicInteger next = new AtomicInteger();
    Process server = serve(store);
    String base = listening(server);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<Thread> sensors = new ArrayList<>();
    for (int s = 0; s < SENSORS; s++) {
      Thread t =
          new Thread(
              () -> {
                while (true) {
                  int first = next.getAndAdd(BATCH);
                  StringBuilder body = new StringBuilder();
                  for (int i = first; i < first + BATCH; i++) {
                    body.append(line(i)).append('\n');
                  }
                  try {
                    HttpResponse<String> r =
                        client.send(
                            HttpRequest.newBuilder(URI.create(base + "/api/findings"))
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Bearer " + token)
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                      throw new AssertionError(
                          "ingest answered " + r.statusCode() + ": " + r.body());
                    }
                    for (int i = first; i < first + BATCH; i++) {
                      acknowledged.add(host(i));
                    }
                  } catch (java.io.IOException e) {
                    return; // the server is gone: this batch was never acknowledged
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "sensor-" + s);
      t.setDaemon(true);
      t.start();
      sensors.add(t);
    }
    int sentAtKill;
    int acknowledgedAtKill;
    try {
      while (acknowledged.size() < KILL_AFTER) {
        assertThat(server.isAlive()).as("the server died by itself").isTrue();
        assertThat(sensors).as("a sensor stopped before the kill").allMatch(Thread::isAlive);
        Thread.sleep(10);
      }
    } finally {
      server.destroyForcibly(); // SIGKILL, mid-run: the sensors have batches in flight
      sentAtKill = next.get();
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    for (Thread t : sensors) {
      t.join(TimeUnit.SECONDS.toMillis(60));
    }
    acknowledgedAtKill = acknowledged.size();
    assertThat(acknowledgedAtKill).isGreaterThanOrEqualTo(KILL_AFTER);

    // Restarted on the same store, the server comes up; what it holds includes every acknowledged
    // finding.
    Process again = serve(store);
    try {
      listening(again);
      Set<String> stored = new HashSet<>();
      try (Database db = Database.open(url, user, password)) {
        stored.addAll(
            db.jdbi()
                .withHandle(
                    h -> h.createQuery("select host from findings").mapTo(String.class).list()));
      }
      assertThat(stored).containsAll(acknowledged);
      // Nothing beyond what was sent, and any unacknowledged batch is all or nothing (one
      // transaction).
      assertThat(stored.size()).isBetween(acknowledgedAtKill, sentAtKill);
      assertThat(stored.size() % BATCH).isZero();
    } finally {
      again.destroyForcibly();
      again.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static Process serve(List<String> store) throws java.io.IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "org.minewatch.cli.MineWatch",
                "serve",
                "--listen",
                "127.0.0.1:0"));
    cmd.addAll(store);
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  /**
   * The server's base URL from its start-up line; its further output is drained so that it never
   * blocks.
   */
  private static String listening(Process p) throws java.io.IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    Pattern listening = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
    List<String> seen = new ArrayList<>();
    for (String l = out.readLine(); l != null; l = out.readLine()) {
      Matcher m = listening.matcher(l);
      if (m.find()) {
        Thread drain =
            new Thread(
                () -> {
                  try {
                    while (out.readLine() != null) {
                      // discarded
                    }
                  } catch (java.io.IOException e) {
                    // the process ended
                  }
                },
                "server-output");
        drain.setDaemon(true);
        drain.start();
        return m.group(1);
      }
      seen.add(l);
    }
    throw new AssertionError("the server did not start: " + String.join("\n", seen));
  }
}
