package org.minewatch.governance;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.minewatch.attribution.assess.Assessor;
import org.minewatch.governance.access.Action;
import org.minewatch.governance.access.Policy;
import org.minewatch.governance.audit.AuditLog;
import org.minewatch.governance.cases.CaseAttachments;
import org.minewatch.governance.cases.CaseQuery;
import org.minewatch.governance.cases.CaseStore;
import org.minewatch.governance.cases.CaseViews;
import org.minewatch.governance.ingest.FindingParser;
import org.minewatch.governance.order.OrderStore;
import org.minewatch.governance.order.TariffPolicies;
import org.minewatch.governance.registry.RegistryStore;
import org.minewatch.governance.stats.Dashboard;
import org.minewatch.governance.stats.Exports;
import org.minewatch.governance.stats.Statistics;
import org.minewatch.governance.store.Database;
import org.minewatch.governance.tipoff.TipOffs;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;
import org.minewatch.governance.user.Users;

/**
 * The regulator's system behind one facade: every operation takes the acting user, is checked by
 * the {@link Policy}, runs in one transaction and writes its audit entry in that transaction. A
 * refused operation writes a "denied" entry of its own. Adapters (the HTTP server, the command
 * line) only translate to and from these calls.
 */
public final class Governance {
  public static final int MAX_INGEST_LINES = 10_000;

  private final Jdbi jdbi;
  private final Clock clock;
  private final Settings settings;
  private final Users users;
  private final RegistryStore registry;
  private final CaseStore cases;
  private final TipOffs tipoffs;
  private final Statistics statistics;
  private final Dashboard dashboard;
  private final OrderStore orders;
  private final CaseAttachments attachments;

  /** Writes are serialised: each appends to the one audit chain. */
  private final ReentrantLock writes = new ReentrantLock(true);

  public Governance(Database db, Clock clock, Settings settings, TariffPolicies policies) {
    this.jdbi = db.jdbi();
    this.clock = clock;
    this.settings = settings;
    Assessor assessor = Assessor.defaults();
    this.users = new Users(jdbi, clock);
    this.registry = new RegistryStore(jdbi, clock);
    this.cases = new CaseStore(clock, settings, registry, assessor);
    this.tipoffs = new TipOffs(clock);
    this.statistics = new Statistics(clock, assessor);
    this.dashboard = new Dashboard(clock, statistics);
    this.orders = new OrderStore(clock, cases, policies);
    this.attachments = new CaseAttachments(clock, cases);
  }

  public Settings settings() {
    return settings;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Runs a change in one transaction under the write lock; retried when another process took the
   * same audit seq.
   */
  <T> T write(HandleCallback<T, RuntimeException> change) {
    writes.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          return jdbi.inTransaction(change);
        } catch (UnableToExecuteStatementException e) {
          if (attempt >= 3
              || !(e.getCause() instanceof java.sql.SQLException s)
              || !"23505".equals(s.getSQLState())) {
            throw e;
          }
        }
      }
    } finally {
      writes.unlock();
    }
  }

  private Instant now() {
    return clock.instant();
  }

  /** Checks the role; a refusal is audited. */
  private void require(User u, Action a, String subject) {
    if (!Policy.may(u, a)) {
      deny(u, a, subject);
    }
  }

  private void require(User u, Action a, Policy.Scope scope, String subject) {
    if (!Policy.may(u, a, scope)) {
      deny(u, a, subject);
    }
  }

  /** Refuses a request the policy does not allow, with an audit entry; always throws. */
  public void refuse(User u, Action a, String subject) {
    deny(u, a, subject);
  }

  private void deny(User u, Action a, String subject) {
    write(
        h ->
            AuditLog.append(
                h,
                now(),
                u.name(),
                "denied",
                subject,
                a.name().toLowerCase(java.util.Locale.ROOT) + " by role " + u.role().label()));
    Policy.require(u, a);
    throw Problem.forbidden(
        "this is outside "
            + u.name()
            + "'s "
            + (u.role() == Role.UNIT_CONTACT ? "unit" : "region"));
  }

  private Policy.Scope caseScope(long caseId) {
    return jdbi.withHandle(h -> cases.scope(h, caseId));
  }

  // ------------------------------------------------------------ sessions and users

  public Optional<User> authenticate(String token) {
    return users.authenticate(token);
  }

  public String login(String name, char[] password, String client) {
    long userId;
    try {
      // The password is checked outside the write lock: Argon2's tens of milliseconds per try would
      // otherwise
      // stall every ingest and transition while someone guesses passwords.
      userId = jdbi.withHandle(h -> users.check(h, name, password, client));
    } catch (Problem p) {
      write(
          h -> {
            if (p.kind() == Problem.Kind.UNAUTHENTICATED) {
              users.recordFailure(h, name, client); // a lock-out refusal is not one more try
            }
            return AuditLog.append(
                h,
                now(),
                name == null ? "?" : name,
                "login.failed",
                "user " + name,
                "from " + client + ": " + p.getMessage());
          });
      throw p;
    }
    return write(
        h -> {
          users.clearFailures(h, name);
          String token = users.openSession(h, userId);
          AuditLog.append(h, now(), name, "login", "user " + name, "from " + client);
          return token;
        });
  }

  public void logout(User u, String token) {
    write(
        h -> {
          users.logout(h, token);
          AuditLog.append(h, now(), u.name(), "logout", "user " + u.name(), "");
          return null;
        });
  }

  /**
   * Adds a user; returns a sensor's API token. {@code actor} is {@link User#SYSTEM} on the command
   * line.
   */
  public String addUser(
      User actor, String name, Role role, String region, String unit, char[] password) {
    require(actor, Action.MANAGE_USERS, "user " + name);
    return write(
        h -> {
          String token = users.add(h, name, role, region, unit, password);
          AuditLog.append(
              h,
              now(),
              actor.name(),
              "user.add",
              "user " + name,
              "role "
                  + role.label()
                  + (region == null ? "" : ", region " + region)
                  + (unit == null ? "" : ", unit " + unit));
          return token;
        });
  }

  public List<Users.Listed> listUsers(User actor) {
    require(actor, Action.MANAGE_USERS, "users");
    return users.list();
  }

  public void disableUser(User actor, String name) {
    require(actor, Action.MANAGE_USERS, "user " + name);
    write(
        h -> {
          users.disable(h, name);
          AuditLog.append(h, now(), actor.name(), "user.disable", "user " + name, "");
          return null;
        });
  }

  // ------------------------------------------------------------ ingest and registry

  /** Ingests JSON lines; a malformed line refuses the whole request, naming the line and field. */
  public CaseStore.IngestResult ingest(User actor, String body) {
    require(actor, Action.INGEST, "findings");
    List<FindingParser.Parsed> parsed = new ArrayList<>();
    int n = 0;
    for (String line : body.split("\r?\n")) {
      n++;
      if (!line.isBlank()) {
        if (parsed.size() >= MAX_INGEST_LINES) {
          throw Problem.tooLarge("at most " + MAX_INGEST_LINES + " findings per request");
        }
        parsed.add(FindingParser.parse(line, n));
      }
    }
    return write(
        h -> {
          CaseStore.IngestResult r = cases.ingest(h, parsed, actor.name());
          if (r.created() + r.updated() > 0) {
            AuditLog.append(
                h,
                now(),
                actor.name(),
                "ingest",
                "findings",
                r.received()
                    + " received: "
                    + r.created()
                    + " new, "
                    + r.updated()
                    + " updated, "
                    + r.unchanged()
                    + " unchanged; "
                    + r.casesOpened()
                    + " cases opened, "
                    + r.casesReopened()
                    + " reopened");
          }
          return r;
        });
  }

  public RegistryStore.ImportResult importRegistry(User actor, String text, String source) {
    require(actor, Action.IMPORT_REGISTRY, "registry");
    // Invalidated after the commit but before the write lock is released: no ingest attributes by
    // the old ranges.
    writes.lock();
    try {
      RegistryStore.ImportResult r =
          write(
              h -> {
                RegistryStore.ImportResult x = registry.importText(h, text, source, actor.name());
                AuditLog.append(
                    h,
                    now(),
                    actor.name(),
                    "registry.import",
                    "import " + x.importId(),
                    source
                        + ": "
                        + x.accepted()
                        + " ranges of "
                        + x.units()
                        + " units; "
                        + x.rangesClosed()
                        + " earlier ranges closed; "
                        + x.problems().size()
                        + " problems");
                return x;
              });
      registry.invalidate();
      return r;
    } finally {
      writes.unlock();
    }
  }

  // ------------------------------------------------------------ cases

  public CaseStore.Page listCases(User actor, CaseQuery q) {
    require(actor, Action.READ_CASES, "cases");
    return jdbi.withHandle(h -> cases.list(h, actor, q));
  }

  public CaseViews.Detail caseDetail(User actor, long caseId) {
    require(actor, Action.READ_CASES, caseScope(caseId), "case " + caseId);
    return jdbi.withHandle(h -> cases.detail(h, caseId, actor, true));
  }

  public CaseViews.Detail transition(User actor, long caseId, CaseStore.TransitionRequest r) {
    require(actor, Action.TRANSITION, caseScope(caseId), "case " + caseId);
    try {
      write(
          h -> {
            String from = (String) cases.row(h, caseId).orElseThrow().get("state");
            cases.transition(h, caseId, actor, r);
            AuditLog.append(
                h,
                now(),
                actor.name(),
                "case.transition",
                "case " + caseId,
                from + " -> " + r.to().label() + (r.note() == null ? "" : ": " + r.note()));
            return null;
          });
    } catch (Problem p) {
      if (p.kind() == Problem.Kind.FORBIDDEN) {
        write(
            h ->
                AuditLog.append(
                    h,
                    now(),
                    actor.name(),
                    "denied",
                    "case " + caseId,
                    "transition to " + r.to().label() + " by role " + actor.role().label()));
      }
      throw p;
    }
    return caseDetail(actor, caseId);
  }

  public long addTask(User actor, long caseId, String title, String owner, Instant deadline) {
    require(actor, Action.MANAGE_TASKS, caseScope(caseId), "case " + caseId);
    return write(
        h -> {
          long id = cases.addTask(h, caseId, actor, title, owner, deadline);
          AuditLog.append(
              h, now(), actor.name(), "task.add", "case " + caseId, "task " + id + ": " + title);
          return id;
        });
  }

  public void completeTask(User actor, long caseId, long taskId) {
    require(actor, Action.MANAGE_TASKS, caseScope(caseId), "case " + caseId);
    write(
        h -> {
          cases.completeTask(h, caseId, taskId, actor);
          AuditLog.append(h, now(), actor.name(), "task.done", "case " + caseId, "task " + taskId);
          return null;
        });
  }

  public void unitReport(User actor, long caseId, String kind, String text) {
    require(actor, Action.SELF_REPORT, caseScope(caseId), "case " + caseId);
    write(
        h -> {
          cases.unitReport(h, caseId, actor, kind, text);
          AuditLog.append(h, now(), actor.name(), "case." + kind, "case " + caseId, text);
          return null;
        });
  }

  public List<CaseViews.Alert> alerts(User actor) {
    require(actor, Action.READ_CASES, "alerts");
    return jdbi.withHandle(h -> cases.openAlerts(h, actor));
  }

  public void acknowledgeAlert(User actor, long alertId) {
    require(actor, Action.ACKNOWLEDGE_ALERT, "alert " + alertId);
    // An alert belongs to its case's region: another region's officer may not acknowledge it.
    long caseId = jdbi.withHandle(h -> cases.caseOfAlert(h, alertId));
    require(actor, Action.ACKNOWLEDGE_ALERT, caseScope(caseId), "alert " + alertId);
    write(
        h -> {
          cases.acknowledge(h, alertId, actor);
          AuditLog.append(h, now(), actor.name(), "alert.acknowledge", "alert " + alertId, "");
          return null;
        });
  }

  /** Attaches a file to a case (an inspection's photos, a unit's report); returns its id. */
  public long attach(User actor, long caseId, String name, byte[] content) {
    require(actor, Action.ATTACH, caseScope(caseId), "case " + caseId);
    return write(
        h -> {
          long id = attachments.add(h, caseId, actor, name, content);
          AuditLog.append(
              h,
              now(),
              actor.name(),
              "case.attach",
              "case " + caseId,
              "attachment " + id + ": " + name);
          return id;
        });
  }

  public CaseAttachments.File attachment(User actor, long attachmentId) {
    long caseId = jdbi.withHandle(h -> attachments.caseOf(h, attachmentId));
    require(actor, Action.READ_CASES, caseScope(caseId), "attachment " + attachmentId);
    return jdbi.withHandle(h -> attachments.get(h, attachmentId));
  }

  // ------------------------------------------------------------ orders

  public CaseViews.OrderView issueOrder(User actor, long caseId, OrderStore.Request r) {
    require(actor, Action.ISSUE_ORDER, caseScope(caseId), "case " + caseId);
    return write(
        h -> {
          CaseViews.OrderView o = orders.issue(h, caseId, actor, r);
          AuditLog.append(
              h,
              now(),
              actor.name(),
              "order.issue",
              "case " + caseId,
              o.number()
                  + " "
                  + o.kind()
                  + (o.amountBest() == null
                      ? ""
                      : ": "
                          + o.amountLow()
                          + " / "
                          + o.amountBest()
                          + " / "
                          + o.amountHigh()
                          + " yuan"));
          return o;
        });
  }

  public CaseViews.OrderView executeOrder(User actor, long orderId, String note) {
    long caseId = jdbi.withHandle(h -> orders.caseOf(h, orderId));
    require(actor, Action.EXECUTE_ORDER, caseScope(caseId), "order " + orderId);
    try {
      return write(
          h -> {
            CaseViews.OrderView o = orders.execute(h, orderId, actor, note);
            AuditLog.append(
                h,
                now(),
                actor.name(),
                "order.execute",
                "order " + o.number(),
                note == null ? "" : note);
            return o;
          });
    } catch (Problem p) {
      // The kind of order decides who executes it (a summons the regional officer, others the grid
      // company):
      // a refusal on that ground is audited like every other.
      if (p.kind() == Problem.Kind.FORBIDDEN) {
        write(
            h ->
                AuditLog.append(
                    h,
                    now(),
                    actor.name(),
                    "denied",
                    "order " + orderId,
                    "execute_order by role " + actor.role().label()));
      }
      throw p;
    }
  }

  /** An order's document: {@code html} or {@code pdf}, {@code zh} or {@code en}. */
  public byte[] orderDocument(User actor, long orderId, String format, String lang) {
    long caseId = jdbi.withHandle(h -> orders.caseOf(h, orderId));
    require(actor, Action.READ_CASES, caseScope(caseId), "order " + orderId);
    return jdbi.withHandle(h -> orders.document(h, orderId, format, lang));
  }

  // ------------------------------------------------------------ tip-offs

  public String fileTipOff(TipOffs.Submission s, String client) {
    return write(
        h -> {
          Map.Entry<Long, String> r = tipoffs.file(h, s, client);
          AuditLog.append(
              h,
              now(),
              "public",
              "tipoff.file",
              "tipoff " + r.getKey(),
              "category "
                  + s.category().strip().toLowerCase(java.util.Locale.ROOT)
                  + ", from "
                  + client);
          return r.getValue();
        });
  }

  public Optional<Map<String, Object>> tipOffStatus(String code) {
    return jdbi.withHandle(h -> tipoffs.status(h, code));
  }

  public List<TipOffs.View> listTipOffs(User actor) {
    require(actor, Action.LIST_TIPOFFS, "tipoffs");
    boolean contact = Policy.may(actor, Action.READ_TIPOFF_CONTACT);
    return jdbi.withHandle(h -> tipoffs.list(h, contact));
  }

  /** The {@code n}th (from 1) file sent with a tip-off, for the roles that list tip-offs. */
  public TipOffs.File tipOffAttachment(User actor, long tipoffId, int n) {
    require(actor, Action.LIST_TIPOFFS, "tipoff " + tipoffId);
    return jdbi.withHandle(h -> tipoffs.attachment(h, tipoffId, n))
        .orElseThrow(() -> Problem.notFound("tip-off " + tipoffId + " has no attachment " + n));
  }

  /**
   * A case's id by its number ({@code MW-2027-000001}), for forms where officers type the number.
   */
  public Optional<Long> caseIdByNumber(User actor, String number) {
    require(actor, Action.READ_CASES, "cases");
    if (number == null || number.isBlank()) {
      return Optional.empty();
    }
    return jdbi.withHandle(
        h ->
            h.createQuery("select id from cases where number = :n")
                .bind("n", number.strip().toUpperCase(java.util.Locale.ROOT))
                .mapTo(Long.class)
                .findFirst());
  }

  /** {@code link} (to {@code caseId}), {@code open-case} or {@code reject} (with a reason). */
  /**
   * @param region for {@code open-case}: the GB/T 2260 code of the new case's region (a regional
   *     officer's own by default)
   */
  public TipOffs.View triageTipOff(
      User actor, long id, String action, Long caseId, String reason, String region) {
    require(actor, Action.TRIAGE_TIPOFF, "tipoff " + id);
    try {
      triage(actor, id, action, caseId, reason, region);
    } catch (Problem p) {
      // Linking to, or opening, a case outside the officer's region: refused, and the refusal
      // audited.
      if (p.kind() == Problem.Kind.FORBIDDEN) {
        write(
            h ->
                AuditLog.append(
                    h,
                    now(),
                    actor.name(),
                    "denied",
                    "tipoff " + id,
                    "triage_tipoff "
                        + action
                        + " by role "
                        + actor.role().label()
                        + ": "
                        + p.getMessage()));
      }
      throw p;
    }
    return jdbi.withHandle(
        h -> tipoffs.get(h, id, Policy.may(actor, Action.READ_TIPOFF_CONTACT)).orElseThrow());
  }

  private void triage(
      User actor, long id, String action, Long caseId, String reason, String region) {
    write(
        h -> {
          Long target = caseId;
          String status;
          switch (action == null ? "" : action) {
            case "link" -> {
              if (caseId == null) {
                throw Problem.invalid("case_id", "linking needs the case");
              }
              Policy.Scope scope = cases.scope(h, caseId);
              if (!Policy.may(actor, Action.TRIAGE_TIPOFF, scope)) {
                throw Problem.forbidden(
                    "case " + caseId + " is outside " + actor.name() + "'s region");
              }
              status = "linked";
              cases.event(
                  h,
                  caseId,
                  now(),
                  actor.name(),
                  "tipoff",
                  null,
                  null,
                  "tip-off " + id + " linked",
                  null);
            }
            case "open-case" -> {
              target = cases.openFromTipOff(h, id, actor, region);
              status = "case-opened";
            }
            case "reject" -> status = "rejected";
            default -> throw Problem.invalid("action", "one of link, open-case, reject");
          }
          tipoffs.triage(h, id, status, target, reason, actor.name());
          AuditLog.append(
              h,
              now(),
              actor.name(),
              "tipoff.triage",
              "tipoff " + id,
              status
                  + (target == null ? "" : " case " + target)
                  + (reason == null ? "" : ": " + reason));
          return null;
        });
  }

  // ------------------------------------------------------------ figures, exports, audit

  public Statistics.Stats stats(User actor) {
    require(actor, Action.READ_STATS, "stats");
    return jdbi.withHandle(
        h -> statistics.compute(h, registry.current().registry(), Policy.regionFilter(actor)));
  }

  /**
   * The dashboard: the figures of the viewer's region (a regional officer's, or the province), or
   * of a region below it ({@code region}: a GB/T 2260 code or a prefix of 2, 4 or 6 digits). A
   * region above the viewer's own shows the viewer's own; one beside it is refused (and audited).
   */
  public Dashboard.Figures dashboard(User actor, String region) {
    require(actor, Action.READ_STATS, "dashboard");
    String base = Policy.regionFilter(actor);
    String scope = base;
    if (region != null && !region.isBlank()) {
      String r = region.strip();
      if (!r.matches("(\\d{2}){1,3}")) {
        throw Problem.invalid(
            "region", "\"" + r + "\" is not a GB/T 2260 code or a prefix of 2, 4 or 6 digits");
      }
      String asked =
          r.length() == 6 && org.minewatch.governance.region.Regions.valid(r)
              ? org.minewatch.governance.region.Regions.prefix(r)
              : r;
      if (base == null || asked.startsWith(base)) {
        scope = asked;
      } else if (!base.startsWith(asked)) {
        deny(actor, Action.READ_STATS, "dashboard region " + r);
      }
    }
    String shown = scope;
    return jdbi.withHandle(h -> dashboard.compute(h, registry.current().registry(), base, shown));
  }

  /** A case list as a table, audited as an export. */
  public Exports.Table exportCases(User actor, CaseQuery q, String title) {
    require(actor, Action.EXPORT, "cases");
    CaseStore.Page page = listCases(actor, q);
    write(
        h ->
            AuditLog.append(
                h, now(), actor.name(), "export", title, page.cases().size() + " cases"));
    return Exports.cases(title, page.cases());
  }

  /** The weekly inventory the national notice asks for: owner, scale, hash rate, power, status. */
  public Exports.Table inventory(User actor) {
    require(actor, Action.EXPORT, "inventory");
    Exports.Table t =
        jdbi.withHandle(
            h -> Exports.inventory(h, Policy.regionFilter(actor), Policy.unitFilter(actor)));
    write(
        h ->
            AuditLog.append(
                h, now(), actor.name(), "export", "inventory", t.rows().size() + " rows"));
    return t;
  }

  public AuditLog.Verification verifyAudit(User actor) {
    require(actor, Action.READ_AUDIT, "audit");
    return AuditLog.verify(jdbi);
  }

  public List<AuditLog.Entry> auditEntries(User actor, int limit) {
    require(actor, Action.READ_AUDIT, "audit");
    return AuditLog.latest(jdbi, limit);
  }

  public TariffPolicies tariffPolicies() {
    return orders.policies();
  }
}
