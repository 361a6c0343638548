package org.minewatch.server;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.minewatch.attribution.registry.DemoRegistry;
import org.minewatch.governance.Governance;
import org.minewatch.governance.Settings;
import org.minewatch.governance.order.TariffPolicies;
import org.minewatch.governance.store.Database;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;
import org.minewatch.testkit.MutableClock;

/**
 * The server's request bodies on arbitrary bytes (docs/fuzzing.md): every route that reads a body
 * (JSON objects, JSON lines, registry CSV or JSON, tip-offs as JSON, form or multipart), sent to a
 * real server on H2 by a user allowed to call it. The contract: bad input is a 4xx with a JSON
 * error; never a 500.
 */
class RequestBodyFuzzTest {
  /** A route that reads a body, and the user who may call it (null: no one need sign in). */
  private record Target(String path, String who) {}

  private static final Target[] TARGETS = {
    new Target("/api/findings", "sensor"), new Target("/api/registry", "admin"),
    new Target("/api/cases/1/transitions", "admin"), new Target("/api/cases/1/tasks", "admin"),
    new Target("/api/cases/1/reports", "university"), new Target("/api/cases/1/orders", "admin"),
    new Target("/api/orders/1/execution", "grid"), new Target("/api/tipoffs", null),
    new Target("/api/tipoffs/TO-AAAAAAAAAAAAAAAAAAAA/triage", "admin"),
        new Target("/api/users", "admin"),
    new Target("/api/login", null)
  };
  private static final String[] TYPES = {
    "application/json",
    "application/x-ndjson",
    "text/csv",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=XyZ",
    "multipart/form-data",
    null
  };
  static final String FINDING = ApiTest.LINE;

  private static Path dir;
  private static Database db;
  private static ApiServer server;
  private static Http http;
  private static MutableClock clock;
  private static String sensor;
  private static String admin;
  private static String university;
  private static String grid;

  @BeforeAll
  static void start() throws IOException {
    dir = Files.createTempDirectory("minewatch-fuzz");
    db = Database.embedded(dir);
    clock = new MutableClock(Instant.parse("2024-03-01T08:00:00Z"));
    Governance g = new Governance(db, clock, Settings.defaults(), TariffPolicies.builtIn());
    sensor = g.addUser(User.SYSTEM, "probe", Role.SENSOR, null, null, null);
    g.addUser(
        User.SYSTEM,
        "admin",
        Role.PROVINCE_ADMIN,
        null,
        null,
        "a long enough password".toCharArray());
    g.importRegistry(User.SYSTEM, DemoRegistry.csv(), "demo");
    server = ApiServer.start(g, "127.0.0.1", 0);
    http = new Http(server.port());
    admin = http.login("admin", "a long enough password");
    university = token(g, "university", Role.UNIT_CONTACT, null, "12320100MB0000012N");
    grid = token(g, "grid", Role.GRID_COMPANY, null, null);
    // A case (1) and an order (1) for the routes that act on one.
    http.send(
        "POST",
        "/api/findings",
        sensor,
        "application/x-ndjson",
        FINDING.getBytes(StandardCharsets.UTF_8));
  }

  private static String token(Governance g, String name, Role role, String region, String unit) {
    g.addUser(User.SYSTEM, name, role, region, unit, "a long enough password".toCharArray());
    return http.login(name, "a long enough password");
  }

  @AfterAll
  static void stop() throws IOException {
    server.close();
    db.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @FuzzTest(maxDuration = "30s")
  void body(FuzzedDataProvider data) {
    Target t = data.pickValue(TARGETS);
    String type = data.pickValue(TYPES);
    byte[] body = data.consumeRemainingAsBytes();
    // Past the tip-off rate limit's window: every tip-off body is read, not refused for its number.
    clock.advance(Duration.ofMinutes(11));
    String token =
        t.who() == null
            ? null
            : switch (t.who()) {
              case "sensor" -> sensor;
              case "university" -> university;
              case "grid" -> grid;
              default -> admin;
            };
    Http.Response r;
    // Jazzer's SSRF detector stays on for any other connection: a body must never make the server
    // connect out.
    try (SilentCloseable own =
        BugDetectors.allowNetworkConnections(
            (host, port) ->
                port == server.port() && (host.equals("127.0.0.1") || host.equals("localhost")))) {
      try {
        r = http.send("POST", t.path(), token, type, body);
      } catch (AssertionError e) {
        if (!(e.getCause() instanceof IOException)) {
          throw e;
        }
        // The pooled connection was one the server had closed after refusing the previous body:
        // once
        // more on a new one. A body that itself makes the server drop the connection fails again.
        r = http.send("POST", t.path(), token, type, body);
      }
    }
    if (r.status() >= 500) {
      throw new AssertionError(
          "POST " + t.path() + " (" + type + ") answered " + r.status() + ": " + r.text());
    }
    if (r.status() >= 400 && r.status() != 413 && !r.text().contains("\"error\"")) {
      throw new AssertionError(
          "POST " + t.path() + " answered " + r.status() + " without an error: " + r.text());
    }
  }
}
