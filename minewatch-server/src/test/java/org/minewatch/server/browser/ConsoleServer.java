package org.minewatch.server.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.minewatch.attribution.registry.CreditCode;
import org.minewatch.attribution.registry.DemoRegistry;
import org.minewatch.governance.Governance;
import org.minewatch.governance.Settings;
import org.minewatch.governance.order.TariffPolicies;
import org.minewatch.governance.store.Database;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;
import org.minewatch.server.ApiServer;
import org.minewatch.testkit.MutableClock;

/**
 * A real server in the test's process, as {@code minewatch serve} runs it: an embedded H2 database
 * in a temporary folder, the demo registry, the sample capture's findings (three mining hosts:
 * three cases) and one user of each role, on a free port of 127.0.0.1, with a clock the test moves.
 */
final class ConsoleServer implements AutoCloseable {
  /** Monday 2 March 2026, 10:00 in Beijing. */
  static final Instant START = Instant.parse("2026-03-02T02:00:00Z");

  static final String PASSWORD = "a browser test's password";

  static final String UNIVERSITY = "示例大学 (Example University)";
  static final String UNIVERSITY_CODE = CreditCode.withCheck("12320100MB0000012");

  /** In Wuxi (320200): outside the Nanjing officer's region. */
  static final String GOVERNMENT = "示例市发展和改革委员会 (Example City Development Commission)";

  static final String RESIDENTIAL = "示例家庭宽带用户 (Example residential subscriber)";

  static final String ADMIN = "admin";

  /** The regional officer of Nanjing (320100), the university's city. */
  static final String NANJING = "nanjing";

  static final String REGULATOR = "regulator";
  static final String GRID = "grid";

  /** The university's unit contact. */
  static final String UNIT = "university";

  static final String AUDITOR = "auditor";
  static final String SENSOR = "probe";

  /** Flyway reports every migration through java.util.logging; the tests need only its warnings. */
  private static final java.util.logging.Logger FLYWAY =
      java.util.logging.Logger.getLogger("org.flywaydb");

  static {
    FLYWAY.setLevel(java.util.logging.Level.WARNING);
  }

  /**
   * The sample's findings as {@code minewatch scan -f jsonl} writes them (see the resource's
   * comment).
   */
  static final List<String> FINDINGS = load();

  final MutableClock clock = new MutableClock(START);
  final Database db;
  final Governance governance;
  final ApiServer server;

  /** The sensor's API token. */
  final String sensorToken;

  private final User sensor;

  private ConsoleServer(Path dir) {
    db = Database.embedded(dir);
    try {
      governance = new Governance(db, clock, Settings.defaults(), TariffPolicies.builtIn());
      governance.importRegistry(User.SYSTEM, DemoRegistry.csv(), "demo-registry.csv");
      add(ADMIN, Role.PROVINCE_ADMIN, null, null);
      add(NANJING, Role.REGIONAL_OFFICER, "320100", null);
      add(REGULATOR, Role.ENERGY_REGULATOR, null, null);
      add(GRID, Role.GRID_COMPANY, null, null);
      add(UNIT, Role.UNIT_CONTACT, null, UNIVERSITY_CODE);
      add(AUDITOR, Role.AUDITOR, null, null);
      sensorToken = governance.addUser(User.SYSTEM, SENSOR, Role.SENSOR, null, null, null);
      sensor = governance.authenticate(sensorToken).orElseThrow();
      server = ApiServer.start(governance, "127.0.0.1", 0);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /**
   * Starts a server over a new database in {@code dir}, with the demo registry and the sample's
   * findings.
   */
  static ConsoleServer start(Path dir) {
    ConsoleServer s = new ConsoleServer(dir);
    s.ingest(FINDINGS);
    return s;
  }

  private void add(String name, Role role, String region, String unit) {
    governance.addUser(User.SYSTEM, name, role, region, unit, PASSWORD.toCharArray());
  }

  String base() {
    return "http://127.0.0.1:" + server.port();
  }

  /** Findings as a sensor sends them. */
  void ingest(List<String> lines) {
    governance.ingest(sensor, String.join("\n", lines) + "\n");
  }

  /** Registry lines (CSV with the registry's header) as the province administrator imports them. */
  void importRegistry(String csv) {
    var r = governance.importRegistry(User.SYSTEM, csv, "test");
    if (!r.problems().isEmpty()) {
      throw new IllegalArgumentException("the registry lines were refused: " + r.problems());
    }
  }

  /** The sample's line for {@code host}. */
  static String finding(String host) {
    return FINDINGS.stream()
        .filter(l -> l.startsWith("{\"host\":\"" + host + "\""))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> load() {
    try (InputStream in = ConsoleServer.class.getResourceAsStream("campus-mining.jsonl")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      db.close();
    }
  }
}
