package org.minewatch.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.minewatch.attribution.registry.DemoRegistry;
import org.minewatch.governance.audit.AuditLog;
import org.minewatch.governance.cases.CaseState;
import org.minewatch.governance.cases.CaseStore;
import org.minewatch.governance.cases.CaseViews;
import org.minewatch.governance.order.TariffPolicies;
import org.minewatch.governance.store.Database;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;
import org.minewatch.testkit.MutableClock;

/**
 * Every governance test class runs once on embedded H2 and once on PostgreSQL, each test on a fresh
 * database, with a clock the test moves. Users are records as {@link Governance} receives them from
 * an adapter (the policy reads only the record); {@code UsersTest} covers how they are stored and
 * signed in.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Db.class)
public abstract class GovernanceTestBase {
  /** Monday 2 March 2026, 10:00 in Beijing. */
  public static final Instant START = Instant.parse("2026-03-02T02:00:00Z");

  public static final User ADMIN = new User(1, "admin", Role.PROVINCE_ADMIN, null, null, false);

  /** Nanjing (320100): the university's city. */
  public static final User NANJING =
      new User(2, "nanjing", Role.REGIONAL_OFFICER, "320100", null, false);

  /** Suzhou (320500): the residential subscriber's city, not the university's. */
  public static final User SUZHOU =
      new User(3, "suzhou", Role.REGIONAL_OFFICER, "320500", null, false);

  public static final User REGULATOR =
      new User(4, "regulator", Role.ENERGY_REGULATOR, null, null, false);
  public static final User GRID = new User(5, "grid", Role.GRID_COMPANY, null, null, false);

  /** The university's contact. */
  public static final User UNIT =
      new User(6, "university", Role.UNIT_CONTACT, null, Findings.UNIVERSITY_CODE, false);

  public static final User AUDITOR = new User(7, "auditor", Role.AUDITOR, null, null, false);
  public static final User SENSOR = new User(8, "sensor-1", Role.SENSOR, null, null, false);

  public static final Map<String, Object> INSPECTION =
      Map.of(
          "devices",
          3,
          "mining",
          "compromised",
          "notes",
          "three servers ran XMRig under a service account");

  /** The main path of a case, detected to closed. */
  public static final List<CaseState> PATH =
      List.of(
          CaseState.DETECTED,
          CaseState.DISPATCHED,
          CaseState.OWNERSHIP_VERIFIED,
          CaseState.INSPECTED,
          CaseState.DISPOSED,
          CaseState.RECTIFYING,
          CaseState.RECHECKED,
          CaseState.CLOSED);

  /** Flyway reports every migration through java.util.logging; the tests need only its warnings. */
  private static final java.util.logging.Logger FLYWAY =
      java.util.logging.Logger.getLogger("org.flywaydb");

  static {
    FLYWAY.setLevel(java.util.logging.Level.WARNING);
  }

  @Parameter protected Db db;

  @TempDir protected Path dir;

  protected MutableClock clock;
  protected Database database;
  protected Governance gov;

  @BeforeEach
  void openDatabase() {
    clock = new MutableClock(START);
    database = db.open(dir);
    gov = new Governance(database, clock, Settings.defaults(), TariffPolicies.builtIn());
  }

  @AfterEach
  void closeDatabase() {
    if (database != null) {
      database.close();
    }
  }

  /**
   * The user of each role: the regional officer is Nanjing's, the unit contact the university's.
   */
  public static User user(Role role) {
    return switch (role) {
      case PROVINCE_ADMIN -> ADMIN;
      case REGIONAL_OFFICER -> NANJING;
      case ENERGY_REGULATOR -> REGULATOR;
      case GRID_COMPANY -> GRID;
      case UNIT_CONTACT -> UNIT;
      case AUDITOR -> AUDITOR;
      case SENSOR -> SENSOR;
    };
  }

  // ---------------------------------------------------------------- data

  protected void importDemoRegistry() {
    gov.importRegistry(ADMIN, DemoRegistry.csv(), "demo-registry.csv");
  }

  protected CaseStore.IngestResult ingest(String... lines) {
    return gov.ingest(SENSOR, Findings.body(lines));
  }

  /** The demo registry and the three sample miners: three cases, numbered in the lines' order. */
  protected void sampleCases() {
    importDemoRegistry();
    ingest(Findings.UNIVERSITY, Findings.GOVERNMENT, Findings.RESIDENTIAL);
  }

  /** The newest case holding {@code host}. */
  protected long caseOf(String host) {
    return database
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "select case_id from case_hosts where host = :h " + "order by case_id desc")
                    .bind("h", host)
                    .mapTo(Long.class)
                    .first());
  }

  protected CaseViews.Detail detail(long caseId) {
    return gov.caseDetail(ADMIN, caseId);
  }

  protected String state(long caseId) {
    return database
        .jdbi()
        .withHandle(
            h ->
                h.createQuery("select state from cases where id = :c")
                    .bind("c", caseId)
                    .mapTo(String.class)
                    .one());
  }

  /**
   * A transition request carrying whatever the target needs: a note, the inspection record, the
   * default deadline.
   */
  protected static CaseStore.TransitionRequest to(CaseState target) {
    return new CaseStore.TransitionRequest(target, "note for " + target.label(), INSPECTION, null);
  }

  protected CaseViews.Detail move(User u, long caseId, CaseState target) {
    return gov.transition(u, caseId, to(target));
  }

  /**
   * Walks a case along the main path from where it is to {@code target} as the province admin; to
   * close it, the clock first passes the quiet days.
   */
  protected void walk(long caseId, CaseState target) {
    int from = PATH.indexOf(CaseState.parse(state(caseId)));
    for (CaseState s : PATH.subList(from + 1, PATH.indexOf(target) + 1)) {
      if (s == CaseState.CLOSED) {
        clock.advance(Duration.ofDays(gov.settings().quietDays()));
      }
      move(ADMIN, caseId, s);
    }
    assertThat(state(caseId)).isEqualTo(target.label());
  }

  // ---------------------------------------------------------------- SQL

  protected long count(String table) {
    return database
        .jdbi()
        .withHandle(h -> h.createQuery("select count(*) from " + table).mapTo(Long.class).one());
  }

  /** Rows of a query, each as column → value in select order. */
  protected List<Map<String, Object>> rows(String sql) {
    return database
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(sql)
                    .mapToMap()
                    .map(m -> (Map<String, Object>) new LinkedHashMap<>(m))
                    .list());
  }

  protected int execute(String sql, Object... args) {
    return database.jdbi().withHandle(h -> h.execute(sql, args));
  }

  /** Counts of every table a request can write. */
  protected Map<String, Long> tableCounts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String t :
        List.of(
            "findings",
            "cases",
            "case_hosts",
            "case_events",
            "case_links",
            "alerts",
            "audit",
            "units",
            "unit_ranges",
            "registry_imports",
            "orders",
            "tipoffs",
            "attachments",
            "users",
            "tokens",
            "tasks")) {
      counts.put(t, count(t));
    }
    return counts;
  }

  protected List<AuditLog.Entry> audit() {
    return database
        .jdbi()
        .withHandle(
            h ->
                h.createQuery("select * from audit order by seq")
                    .map(
                        (rs, ctx) ->
                            new AuditLog.Entry(
                                rs.getLong("seq"),
                                rs.getString("at"),
                                rs.getString("actor"),
                                rs.getString("action"),
                                rs.getString("subject"),
                                rs.getString("detail"),
                                rs.getString("prev_hash"),
                                rs.getString("hash")))
                    .list());
  }

  protected AuditLog.Entry lastAudit() {
    List<AuditLog.Entry> all = audit();
    return all.get(all.size() - 1);
  }

  // ---------------------------------------------------------------- refusals

  /** Something that is expected to throw. */
  @FunctionalInterface
  public interface Call {
    void run() throws Exception;
  }

  /** The problem {@code call} is refused with; fails when it is not refused. */
  public static Problem problem(Call call) {
    try {
      call.run();
    } catch (Problem p) {
      return p;
    } catch (Exception e) {
      throw new AssertionError("expected a Problem, got " + e, e);
    }
    throw new AssertionError("expected a Problem, but the call succeeded");
  }
}
