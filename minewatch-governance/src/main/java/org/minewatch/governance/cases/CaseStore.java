package org.minewatch.governance.cases;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.minewatch.attribution.MiningHost;
import org.minewatch.attribution.assess.Assessment;
import org.minewatch.attribution.assess.Assessor;
import org.minewatch.attribution.assess.Reason;
import org.minewatch.attribution.registry.Allocation;
import org.minewatch.attribution.registry.Unit;
import org.minewatch.attribution.registry.UnitCategory;
import org.minewatch.governance.Problem;
import org.minewatch.governance.Settings;
import org.minewatch.governance.access.Policy;
import org.minewatch.governance.audit.AuditLog;
import org.minewatch.governance.ingest.FindingParser;
import org.minewatch.governance.registry.RegistryStore;
import org.minewatch.governance.store.Times;
import org.minewatch.governance.user.User;
import org.minewatch.model.IpAddress;

/**
 * Cases in the database: findings folded into them on ingest, lists and pages, transitions by the
 * lifecycle table, tasks, reports of the unit, alerts. Every method runs in the caller's
 * transaction.
 */
public final class CaseStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Integer> STRENGTH =
      Map.of("mining", 3, "likely", 2, "node", 1, "suspect", 0);

  private final Clock clock;
  private final Settings settings;
  private final RegistryStore registry;
  private final Assessor assessor;

  public CaseStore(Clock clock, Settings settings, RegistryStore registry, Assessor assessor) {
    this.clock = clock;
    this.settings = settings;
    this.registry = registry;
    this.assessor = assessor;
  }

  /** What one ingest request did. */
  public record IngestResult(
      int received, int created, int updated, int unchanged, int casesOpened, int casesReopened) {}

  // ---------------------------------------------------------------- ingest

  public IngestResult ingest(Handle h, List<FindingParser.Parsed> findings, String actor) {
    Instant now = clock.instant();
    int created = 0;
    int updated = 0;
    int unchanged = 0;
    int[] opened = {0};
    int[] reopened = {0};
    Set<Long> touched = new LinkedHashSet<>();
    for (FindingParser.Parsed p : findings) {
      MiningHost m = p.host();
      Optional<Map<String, Object>> old =
          h.createQuery("select * from findings where finding_key = :k")
              .bind("k", p.key())
              .mapToMap()
              .findFirst();
      long id;
      boolean fresh;
      Instant lastSeen = m.lastSeen();
      if (old.isEmpty()) {
        id = insertFinding(h, p, now);
        created++;
        fresh = true;
      } else {
        Map<String, Object> o = old.get();
        id = ((Number) o.get("id")).longValue();
        String oldVerdict = (String) o.get("verdict");
        boolean stronger = STRENGTH.get(m.verdict()) > STRENGTH.get(oldVerdict);
        Instant oldLast = instant(o.get("last_seen"));
        Instant oldFirst = instant(o.get("first_seen"));
        boolean later = lastSeen != null && (oldLast == null || lastSeen.isAfter(oldLast));
        boolean earlier =
            m.firstSeen() != null && (oldFirst == null || m.firstSeen().isBefore(oldFirst));
        boolean newRate = m.hashrate() != null && !m.hashrate().equals(o.get("hashrate"));
        boolean newKwh =
            m.kwhPerDay() != null && !Double.valueOf(m.kwhPerDay()[1]).equals(o.get("kwh_best"));
        fresh = later;
        if (!stronger && !later && !earlier && !newRate && !newKwh) {
          unchanged++;
          continue;
        }
        boolean weaker = STRENGTH.get(m.verdict()) < STRENGTH.get(oldVerdict);
        h.createUpdate(
                "update findings set verdict = :v, coin = coalesce(:coin, coin), algorithm = coalesce(:alg, algorithm), "
                    + "pool_name = coalesce(:pool, pool_name), wallet = coalesce(:wallet, wallet), login = coalesce(:login, login), "
                    + "worker = coalesce(:worker, worker), operation = coalesce(:op, operation), agent = coalesce(:agent, agent), "
                    + "hashrate = coalesce(:rate, hashrate), hashrate_unit = coalesce(:rateUnit, hashrate_unit), "
                    + "kwh_low = coalesce(:kl, kwh_low), kwh_best = coalesce(:kb, kwh_best), kwh_high = coalesce(:kh, kwh_high), "
                    + "first_seen = :first, last_seen = :last, body = :body, updated_at = :now where id = :id")
            .bind("v", weaker ? oldVerdict : m.verdict())
            .bind("coin", m.coin())
            .bind("alg", m.algorithm())
            .bind("pool", m.poolName())
            .bind("wallet", m.wallet())
            .bind("login", m.login())
            .bind("worker", m.worker())
            .bind("op", m.operation())
            .bind("agent", m.agent())
            .bind("rate", m.hashrate())
            .bind("rateUnit", m.hashrateUnit())
            .bind("kl", m.kwhPerDay() == null ? null : m.kwhPerDay()[0])
            .bind("kb", m.kwhPerDay() == null ? null : m.kwhPerDay()[1])
            .bind("kh", m.kwhPerDay() == null ? null : m.kwhPerDay()[2])
            .bind("first", Times.bind(earlier ? m.firstSeen() : oldFirst))
            .bind("last", Times.bind(later ? lastSeen : oldLast))
            .bind("body", weaker ? (String) o.get("body") : p.body())
            .bind("now", Times.bind(now))
            .bind("id", id)
            .execute();
        updated++;
        m = weaker ? null : m;
      }
      boolean mining = p.host().miner() && (p.host().mining());
      Long caseId = fold(h, p.host(), id, mining, fresh, actor, now, opened, reopened);
      if (caseId != null) {
        touched.add(caseId);
      }
    }
    for (long c : touched) {
      refresh(h, c, now);
    }
    return new IngestResult(findings.size(), created, updated, unchanged, opened[0], reopened[0]);
  }

  private long insertFinding(Handle h, FindingParser.Parsed p, Instant now) {
    MiningHost m = p.host();
    return h.createUpdate(
            "insert into findings (finding_key, host, role, source, protocol, verdict, coin, algorithm, "
                + "pool_name, wallet, login, worker, operation, agent, hashrate, hashrate_unit, kwh_low, kwh_best, kwh_high, "
                + "first_seen, last_seen, body, received_at, updated_at) values (:k, :host, :role, :src, :proto, :v, :coin, "
                + ":alg, :pool, :wallet, :login, :worker, :op, :agent, :rate, :rateUnit, :kl, :kb, :kh, :first, :last, :body, "
                + ":now, :now)")
        .bind("k", p.key())
        .bind("host", m.host().toString())
        .bind("role", m.role())
        .bind("src", p.source())
        .bind("proto", m.protocol())
        .bind("v", m.verdict())
        .bind("coin", m.coin())
        .bind("alg", m.algorithm())
        .bind("pool", m.poolName())
        .bind("wallet", m.wallet())
        .bind("login", m.login())
        .bind("worker", m.worker())
        .bind("op", m.operation())
        .bind("agent", m.agent())
        .bind("rate", m.hashrate())
        .bind("rateUnit", m.hashrateUnit())
        .bind("kl", m.kwhPerDay() == null ? null : m.kwhPerDay()[0])
        .bind("kb", m.kwhPerDay() == null ? null : m.kwhPerDay()[1])
        .bind("kh", m.kwhPerDay() == null ? null : m.kwhPerDay()[2])
        .bind("first", Times.bind(m.firstSeen()))
        .bind("last", Times.bind(m.lastSeen()))
        .bind("body", p.body())
        .bind("now", Times.bind(now))
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  /**
   * Puts a finding into its host's case. Mining opens a case (one open case per unit, or per
   * address no unit holds); fresh mining from a host of a case under rectification, re-check or
   * closed reopens it and raises an alert. Other findings join the host's case if it has one.
   */
  private Long fold(
      Handle h,
      MiningHost m,
      long findingId,
      boolean mining,
      boolean fresh,
      String actor,
      Instant now,
      int[] opened,
      int[] reopened) {
    String host = m.host().toString();
    Optional<Long> existing =
        h.createQuery(
                "select c.id "
                    + "from cases c join case_hosts ch on ch.case_id = c.id where ch.host = :h and c.state <> 'rejected' "
                    + "order by c.id desc limit 1")
            .bind("h", host)
            .mapTo(Long.class)
            .findFirst();
    // A case rejected as a false positive keeps the mining it was rejected for: only mining seen
    // after the
    // rejection opens a new case, not the old finding sent again with a new estimate or verdict.
    Optional<Long> rejected =
        existing.isPresent() || !mining
            ? Optional.empty()
            : h.createQuery(
                    "select c.id from cases c join case_hosts ch on ch.case_id = c.id where ch.host = :h "
                        + "and c.state = 'rejected' and c.state_since >= :seen order by c.id desc limit 1")
                .bind("h", host)
                .bind("seen", Times.bind(m.lastSeen() != null ? m.lastSeen() : now))
                .mapTo(Long.class)
                .findFirst();
    Long caseId;
    if (existing.isPresent()) {
      caseId = existing.get();
      reopenOnMining(h, caseId, m, mining, fresh, now, reopened);
    } else if (rejected.isPresent()) {
      caseId = rejected.get();
    } else if (mining) {
      RegistryStore.Current reg = registry.current();
      Allocation a = reg.registry().lookup(m.host());
      Unit unit = a == null ? null : a.unit();
      Long unitId = unit == null ? null : reg.unitIds().get(RegistryStore.key(unit));
      Optional<Long> open =
          unitId != null
              ? h.createQuery(
                      "select id from cases where unit_id = :u and state not in ('closed', 'rejected') "
                          + "order by id limit 1")
                  .bind("u", unitId)
                  .mapTo(Long.class)
                  .findFirst()
              : h.createQuery(
                      "select id from cases where unit_id is null and host = :h and state not in ('closed', 'rejected') "
                          + "order by id limit 1")
                  .bind("h", host)
                  .mapTo(Long.class)
                  .findFirst();
      boolean joined = open.isPresent();
      if (joined) {
        caseId = open.get();
      } else {
        caseId = create(h, unitId, unit, host, now);
        AuditLog.append(
            h,
            now,
            actor,
            "case.open",
            "case " + caseId,
            "mining from "
                + host
                + (unit == null ? " (no unit holds this address)" : " of " + unit.name()));
        opened[0]++;
      }
      h.createUpdate("insert into case_hosts (case_id, host, added_at) values (:c, :h, :now)")
          .bind("c", caseId)
          .bind("h", host)
          .bind("now", Times.bind(now))
          .execute();
      event(h, caseId, now, actor, "host", null, null, "mining host " + host + " added", null);
      if (joined) {
        // A new mining host of a unit whose case is under rectification or re-check is fresh mining
        // of that case.
        reopenOnMining(h, caseId, m, mining, fresh, now, reopened);
      }
    } else {
      return null;
    }
    h.createUpdate("update findings set case_id = :c where id = :f")
        .bind("c", caseId)
        .bind("f", findingId)
        .execute();
    return caseId;
  }

  /**
   * Reopens a case in rectifying, rechecked or closed, with an alert, when {@code m} is mining seen
   * after it got there.
   */
  private void reopenOnMining(
      Handle h,
      long caseId,
      MiningHost m,
      boolean mining,
      boolean fresh,
      Instant now,
      int[] reopened) {
    Map<String, Object> c =
        h.createQuery("select state, state_since, last_mining_at from cases where id = :c")
            .bind("c", caseId)
            .mapToMap()
            .one();
    CaseState state = CaseState.parse((String) c.get("state"));
    Instant since = instant(c.get("state_since"));
    Instant lastMining = instant(c.get("last_mining_at"));
    Instant seen = m.lastSeen() != null ? m.lastSeen() : now;
    if (mining
        && fresh
        && state.reopensOnMining()
        && seen.isAfter(since)
        && (lastMining == null || seen.isAfter(lastMining))) {
      String why =
          "mining from "
              + m.host()
              + " seen at "
              + seen
              + " ("
              + m.protocol()
              + ", "
              + m.verdict()
              + ") after the case entered "
              + state.label()
              + " at "
              + since;
      move(h, caseId, state, CaseState.REOPENED, "system", why, null, now);
      h.createUpdate(
              "insert into alerts (case_id, at, kind, message) values (:c, :at, 'reopened', :m)")
          .bind("c", caseId)
          .bind("at", Times.bind(now))
          .bind("m", why)
          .execute();
      AuditLog.append(h, now, "system", "case.reopen", "case " + caseId, why);
      reopened[0]++;
    }
  }

  private long create(Handle h, Long unitId, Unit unit, String host, Instant now) {
    long n =
        h.createQuery("select next_value from counters where name = 'case'")
            .mapTo(Long.class)
            .one();
    h.createUpdate("update counters set next_value = :n where name = 'case'")
        .bind("n", n + 1)
        .execute();
    String number = "MW-" + now.atOffset(ZoneOffset.UTC).getYear() + "-" + String.format("%06d", n);
    Duration d = settings.deadline(CaseState.DETECTED);
    return h.createUpdate(
            "insert into cases (number, unit_id, host, region_code, state, priority, priority_list, "
                + "priority_reasons, opened_at, state_since, deadline, updated_at) values (:num, :u, :h, :rc, 'detected', 0, "
                + "false, '', :now, :now, :dl, :now)")
        .bind("num", number)
        .bind("u", unitId)
        .bind("h", unit == null ? host : null)
        .bind("rc", unit == null ? null : unit.regionCode())
        .bind("now", Times.bind(now))
        .bind("dl", Times.bind(d == null ? null : now.plus(d)))
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  /**
   * Opens a case from a tip-off: no address is known yet, so it has neither unit nor host; its
   * region is the one given (for a regional officer, its own by default).
   */
  public long openFromTipOff(Handle h, long tipoffId, User actor, String regionCode) {
    String region = regionCode != null ? regionCode : actor.regionCode();
    if (region != null && !org.minewatch.governance.region.Regions.valid(region)) {
      throw Problem.invalid("region", "a 6-digit GB/T 2260 code");
    }
    if (actor.regionCode() != null
        && !org.minewatch.governance.region.Regions.within(region, actor.regionCode())) {
      throw Problem.forbidden("region " + region + " is outside " + actor.name() + "'s region");
    }
    Instant now = clock.instant();
    long id = create(h, null, null, null, now);
    h.createUpdate("update cases set region_code = :rc where id = :c")
        .bind("rc", region)
        .bind("c", id)
        .execute();
    event(h, id, now, actor.name(), "tipoff", null, null, "opened from tip-off " + tipoffId, null);
    AuditLog.append(h, now, actor.name(), "case.open", "case " + id, "from tip-off " + tipoffId);
    return id;
  }

  /**
   * Recomputes a case's figures from its findings: energy, coins, last mining, assessment,
   * priority, links.
   */
  void refresh(Handle h, long caseId, Instant now) {
    List<MiningHost> hosts = new ArrayList<>();
    List<String[]> assessments = new ArrayList<>();
    for (String body :
        h.createQuery("select body from findings where case_id = :c order by id")
            .bind("c", caseId)
            .mapTo(String.class)
            .list()) {
      FindingParser.Parsed p = FindingParser.parse(body, 1);
      if (p.host().mining()) {
        hosts.add(p.host());
        if (p.assessment() != null) {
          assessments.add(new String[] {p.assessment(), String.join("\n", p.assessmentReasons())});
        }
      }
    }
    Map<IpAddress, double[]> perHost = new LinkedHashMap<>();
    Set<String> coins = new TreeSet<>();
    Instant lastMining = null;
    for (MiningHost m : hosts) {
      if (m.kwhPerDay() != null) {
        perHost.merge(m.host(), m.kwhPerDay(), (a, b) -> a[1] >= b[1] ? a : b);
      }
      if (m.coin() != null) {
        coins.add(m.coin());
      }
      if (m.lastSeen() != null && (lastMining == null || m.lastSeen().isAfter(lastMining))) {
        lastMining = m.lastSeen();
      }
    }
    double[] kwh = null;
    for (double[] k : perHost.values()) {
      kwh = kwh == null ? k.clone() : new double[] {kwh[0] + k[0], kwh[1] + k[1], kwh[2] + k[2]};
    }
    Map<String, Object> c =
        h.createQuery(
                "select c.*, u.category as unit_category, u.code as unit_code, "
                    + "u.name as unit_name, u.region_code as unit_region_code, u.region as unit_region, u.address as unit_address "
                    + "from cases c left join units u on u.id = c.unit_id where c.id = :c")
            .bind("c", caseId)
            .mapToMap()
            .one();
    UnitCategory category =
        c.get("unit_category") == null ? null : UnitCategory.parse((String) c.get("unit_category"));
    Unit unit =
        c.get("unit_name") == null
            ? null
            : new Unit(
                (String) c.get("unit_name"),
                (String) c.get("unit_code"),
                category,
                (String) c.get("unit_region_code"),
                (String) c.get("unit_region"),
                (String) c.get("unit_address"),
                null);
    Map<IpAddress, Assessment> judged =
        hosts.isEmpty() ? Map.of() : assessor.assess(hosts, ip -> unit);
    String kind = "undetermined";
    List<Reason> reasons = new ArrayList<>();
    for (String wanted : List.of("deliberate", "compromised")) {
      for (Assessment a : judged.values()) {
        if (a.kind().label().equals(wanted) && kind.equals("undetermined")) {
          kind = wanted;
          reasons.addAll(a.details());
        }
      }
      for (String[] a : assessments) {
        if (a[0].equals(wanted) && kind.equals("undetermined")) {
          kind = wanted;
          reasons.addAll(Reasons.decode(a[1]));
        }
      }
    }
    int hostCount =
        h.createQuery("select count(*) from case_hosts where case_id = :c")
            .bind("c", caseId)
            .mapTo(Integer.class)
            .one();
    Priority.Score score =
        Priority.score(kwh == null ? 0 : kwh[1], hostCount, category, List.copyOf(coins), kind);
    Instant known = instant(c.get("last_mining_at"));
    if (known != null && (lastMining == null || known.isAfter(lastMining))) {
      lastMining = known;
    }
    h.createUpdate(
            "update cases set kwh_low = :kl, kwh_best = :kb, kwh_high = :kh, coins = :coins, last_mining_at = :lm, "
                + "assessment = :a, assessment_reasons = :ar, priority = :p, priority_list = :pl, priority_reasons = :pr, "
                + "updated_at = :now where id = :c")
        .bind("kl", kwh == null ? null : kwh[0])
        .bind("kb", kwh == null ? null : kwh[1])
        .bind("kh", kwh == null ? null : kwh[2])
        .bind("coins", String.join(",", coins))
        .bind("lm", Times.bind(lastMining))
        .bind("a", kind)
        .bind("ar", Reasons.encode(reasons))
        .bind("p", score.points())
        .bind("pl", score.onList())
        .bind("pr", Reasons.encode(score.reasons()))
        .bind("now", Times.bind(now))
        .bind("c", caseId)
        .execute();
    link(h, caseId);
  }

  /**
   * Links this case to cases of other units that share a wallet or an operation (wallet, or account
   * at pools).
   */
  private void link(Handle h, long caseId) {
    for (String kind : List.of("wallet", "operation")) {
      List<Map<String, Object>> rows =
          h.createQuery(
                  "select distinct o.case_id, f."
                      + kind
                      + " as v from findings f "
                      + "join findings o on o."
                      + kind
                      + " = f."
                      + kind
                      + " where f.case_id = :c and o.case_id is not null "
                      + "and o.case_id <> :c and f."
                      + kind
                      + " is not null")
              .bind("c", caseId)
              .mapToMap()
              .list();
      for (Map<String, Object> r : rows) {
        long other = ((Number) r.get("case_id")).longValue();
        long a = Math.min(caseId, other);
        long b = Math.max(caseId, other);
        String v = (String) r.get("v");
        int present =
            h.createQuery(
                    "select count(*) from case_links where case_a = :a and case_b = :b and kind = :k "
                        + "and link_value = :v")
                .bind("a", a)
                .bind("b", b)
                .bind("k", kind)
                .bind("v", v)
                .mapTo(Integer.class)
                .one();
        if (present == 0) {
          h.createUpdate(
                  "insert into case_links (case_a, case_b, kind, link_value) values (:a, :b, :k, :v)")
              .bind("a", a)
              .bind("b", b)
              .bind("k", kind)
              .bind("v", v)
              .execute();
        }
      }
    }
  }

  // ---------------------------------------------------------------- reading

  private static final String SUMMARY =
      "select c.*, u.name as unit_name, u.code as unit_code, u.category as unit_category, "
          + "u.region as unit_region, u.address as unit_address, u.contact as unit_contact, "
          + "(select count(*) from case_hosts ch where ch.case_id = c.id) as host_count "
          + "from cases c left join units u on u.id = c.unit_id";

  /** A page of cases the user may see, and how many match in all. */
  public record Page(List<CaseViews.Summary> cases, long total, int page, int size) {}

  public Page list(Handle h, User viewer, CaseQuery q) {
    StringBuilder where = new StringBuilder(" where 1 = 1");
    Map<String, Object> binds = new HashMap<>();
    String regionScope = Policy.regionFilter(viewer);
    if (regionScope != null) {
      where.append(" and c.region_code like :scope");
      binds.put("scope", regionScope + "%");
    }
    String unitScope = Policy.unitFilter(viewer);
    if (unitScope != null) {
      where.append(" and u.code = :unitScope");
      binds.put("unitScope", unitScope);
    }
    if (!q.states().isEmpty()) {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < q.states().size(); i++) {
        names.add(":st" + i);
        binds.put("st" + i, q.states().get(i).label());
      }
      where.append(" and c.state in (").append(String.join(", ", names)).append(')');
    }
    if ("none".equals(q.region())) {
      where.append(" and c.region_code is null");
    } else if (q.region() != null) {
      where.append(" and c.region_code like :region");
      binds.put(
          "region",
          org.minewatch.governance.region.Regions.valid(q.region())
              ? org.minewatch.governance.region.Regions.prefix(q.region()) + "%"
              : q.region() + "%");
    }
    if ("list".equals(q.priority())) {
      where.append(" and c.priority_list = true");
    }
    if (q.unit() != null) {
      where.append(" and (u.code = :unit or u.name = :unit)");
      binds.put("unit", q.unit());
    }
    if (q.category() != null) {
      // One category or several; "unknown" also holds the cases of addresses no unit holds.
      List<String> names = new ArrayList<>();
      String[] cats = q.category().split(",");
      for (int i = 0; i < cats.length; i++) {
        names.add(":cat" + i);
        binds.put("cat" + i, cats[i]);
      }
      where
          .append(" and (u.category in (")
          .append(String.join(", ", names))
          .append(')')
          .append(List.of(cats).contains(CaseQuery.UNKNOWN) ? " or c.unit_id is null)" : ")");
    }
    // The mining hosts of a case as the dashboard counts them: a host's findings merged, so a coin
    // or algorithm is
    // unknown when none of the host's findings names it.
    String miningFinding =
        "select f.case_id from findings f where f.role = 'miner' and f.verdict in ('mining', 'likely')";
    String unknownOf =
        "select f.case_id from findings f where f.role = 'miner' group by f.case_id, f.host having "
            + "max(case when f.verdict in ('mining', 'likely') then 1 else 0 end) = 1 and max(f.";
    if (CaseQuery.UNKNOWN.equals(q.coin())) {
      where.append(" and c.id in (" + unknownOf + "coin) is null)");
    } else if (q.coin() != null) {
      where.append(" and (',' || c.coins || ',') like :coin");
      binds.put("coin", "%," + q.coin() + ",%");
    }
    if (CaseQuery.UNKNOWN.equals(q.algorithm())) {
      where.append(" and c.id in (" + unknownOf + "algorithm) is null)");
    } else if (q.algorithm() != null) {
      where.append(" and c.id in (" + miningFinding + " and f.algorithm = :alg)");
      binds.put("alg", q.algorithm());
    }
    if (q.operation() != null) {
      where.append(" and c.id in (select f.case_id from findings f where f.operation = :op)");
      binds.put("op", q.operation());
    }
    if (q.overdue() != null) {
      where.append(
          q.overdue()
              ? " and c.deadline < :now and c.state not in ('closed', 'rejected')"
              : " and (c.deadline is null or c.deadline >= :now or c.state in ('closed', 'rejected'))");
      binds.put("now", Times.bind(clock.instant()));
    }
    String order =
        switch (q.sort()) {
          case "opened" -> "c.opened_at desc, c.id desc";
          case "deadline" -> "c.deadline, c.id";
          case "state" -> "c.state, c.id";
          case "number" -> "c.number";
          default -> "c.priority desc, c.opened_at, c.id";
        };
    Query count =
        h.createQuery("select count(*) from cases c left join units u on u.id = c.unit_id" + where);
    binds.forEach(count::bind);
    long total = count.mapTo(Long.class).one();
    Query page =
        h.createQuery(SUMMARY + where + " order by " + order + " limit :limit offset :offset");
    binds.forEach(page::bind);
    page.bind("limit", q.size()).bind("offset", (long) (q.page() - 1) * q.size());
    return new Page(page.map((rs, ctx) -> summary(rs)).list(), total, q.page(), q.size());
  }

  public Optional<Map<String, Object>> row(Handle h, long caseId) {
    return h.createQuery(
            "select c.*, u.code as unit_code from cases c left join units u on u.id = c.unit_id "
                + "where c.id = :c")
        .bind("c", caseId)
        .mapToMap()
        .findFirst();
  }

  /** Where a case lies, for the policy. */
  public Policy.Scope scope(Handle h, long caseId) {
    Map<String, Object> c = row(h, caseId).orElseThrow(() -> Problem.notFound("no case " + caseId));
    return new Policy.Scope((String) c.get("region_code"), (String) c.get("unit_code"));
  }

  public CaseViews.Detail detail(Handle h, long caseId, User viewer, boolean withAttachments) {
    CaseViews.Summary s =
        h.createQuery(SUMMARY + " where c.id = :c")
            .bind("c", caseId)
            .map((rs, ctx) -> summary(rs))
            .findFirst()
            .orElseThrow(() -> Problem.notFound("no case " + caseId));
    Map<String, Object> extra =
        h.createQuery(
                "select c.assessment_reasons, u.address, u.contact from cases c "
                    + "left join units u on u.id = c.unit_id where c.id = :c")
            .bind("c", caseId)
            .mapToMap()
            .one();
    List<String> hosts =
        h.createQuery("select host from case_hosts where case_id = :c order by host")
            .bind("c", caseId)
            .mapTo(String.class)
            .list();
    List<CaseViews.FindingView> findings =
        h.createQuery("select * from findings where case_id = :c order by host, id")
            .bind("c", caseId)
            .map(
                (rs, ctx) ->
                    new CaseViews.FindingView(
                        rs.getLong("id"),
                        rs.getString("host"),
                        rs.getString("role"),
                        rs.getString("verdict"),
                        rs.getString("source"),
                        rs.getString("protocol"),
                        rs.getString("coin"),
                        rs.getString("algorithm"),
                        rs.getString("pool_name"),
                        rs.getString("wallet"),
                        rs.getString("login"),
                        rs.getString("operation"),
                        Times.readDouble(rs, "hashrate"),
                        rs.getString("hashrate_unit"),
                        kwh(rs, "kwh_"),
                        Times.read(rs, "first_seen"),
                        Times.read(rs, "last_seen"),
                        FindingParser.parse(rs.getString("body"), 1).evidence()))
            .list();
    List<CaseViews.Event> history =
        h.createQuery("select * from case_events where case_id = :c order by id")
            .bind("c", caseId)
            .map(
                (rs, ctx) ->
                    new CaseViews.Event(
                        rs.getLong("id"),
                        Times.read(rs, "at"),
                        rs.getString("actor"),
                        rs.getString("kind"),
                        rs.getString("from_state"),
                        rs.getString("to_state"),
                        rs.getString("note"),
                        rs.getString("data")))
            .list();
    List<CaseViews.Link> links =
        h.createQuery(
                "select l.kind, l.link_value, o.id, o.number, u.name from case_links l "
                    + "join cases o on o.id = case when l.case_a = :c then l.case_b else l.case_a end "
                    + "left join units u on u.id = o.unit_id where l.case_a = :c or l.case_b = :c order by o.id, l.kind")
            .bind("c", caseId)
            .map(
                (rs, ctx) ->
                    new CaseViews.Link(
                        rs.getLong(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(1),
                        rs.getString(2)))
            .list();
    List<CaseViews.Task> tasks =
        h.createQuery("select * from tasks where case_id = :c order by id")
            .bind("c", caseId)
            .map(
                (rs, ctx) ->
                    new CaseViews.Task(
                        rs.getLong("id"),
                        rs.getString("title"),
                        rs.getString("owner"),
                        Times.read(rs, "deadline"),
                        Times.read(rs, "created_at"),
                        rs.getString("created_by"),
                        Times.read(rs, "done_at"),
                        rs.getString("done_by")))
            .list();
    List<CaseViews.OrderView> orders =
        h.createQuery("select * from orders where case_id = :c order by id")
            .bind("c", caseId)
            .map((rs, ctx) -> order(rs))
            .list();
    List<CaseViews.Alert> alerts =
        h.createQuery("select * from alerts where case_id = :c order by id")
            .bind("c", caseId)
            .map((rs, ctx) -> alert(rs))
            .list();
    List<CaseViews.Attachment> attachments =
        !withAttachments
            ? List.of()
            : h.createQuery(
                    "select id, name, content_type, size_bytes, sha256, added_at, added_by from attachments "
                        + "where case_id = :c order by id")
                .bind("c", caseId)
                .map(
                    (rs, ctx) ->
                        new CaseViews.Attachment(
                            rs.getLong("id"),
                            rs.getString("name"),
                            rs.getString("content_type"),
                            rs.getLong("size_bytes"),
                            rs.getString("sha256"),
                            Times.read(rs, "added_at"),
                            rs.getString("added_by")))
                .list();
    List<String> next =
        Lifecycle.next(CaseState.parse(s.state()), viewer.role()).stream()
            .filter(
                t ->
                    Policy.may(
                        viewer,
                        org.minewatch.governance.access.Action.TRANSITION,
                        scope(h, caseId)))
            .map(CaseState::label)
            .toList();
    String reasons = (String) extra.get("assessment_reasons");
    return new CaseViews.Detail(
        s,
        (String) extra.get("address"),
        (String) extra.get("contact"),
        Reasons.decode(reasons),
        hosts,
        findings,
        history,
        links,
        tasks,
        orders,
        alerts,
        attachments,
        next);
  }

  public List<CaseViews.Alert> openAlerts(Handle h, User viewer) {
    StringBuilder sql =
        new StringBuilder(
            "select a.* from alerts a join cases c on c.id = a.case_id "
                + "left join units u on u.id = c.unit_id where a.acknowledged_at is null");
    String region = Policy.regionFilter(viewer);
    if (region != null) {
      sql.append(" and c.region_code like :scope");
    }
    // A unit contact sees its own unit's alerts only, as it sees its own unit's cases only.
    String unit = Policy.unitFilter(viewer);
    if (unit != null) {
      sql.append(" and u.code = :unit");
    }
    Query q = h.createQuery(sql.append(" order by a.id").toString());
    if (region != null) {
      q.bind("scope", region + "%");
    }
    if (unit != null) {
      q.bind("unit", unit);
    }
    return q.map((rs, ctx) -> alert(rs)).list();
  }

  /** The case an alert is about. */
  public long caseOfAlert(Handle h, long alertId) {
    return h.createQuery("select case_id from alerts where id = :a")
        .bind("a", alertId)
        .mapTo(Long.class)
        .findFirst()
        .orElseThrow(() -> Problem.notFound("no alert " + alertId));
  }

  // ---------------------------------------------------------------- changes

  /** What a transition carries besides its target. */
  public record TransitionRequest(
      CaseState to, String note, Map<String, Object> inspection, Integer deadlineDays) {}

  public void transition(Handle h, long caseId, User actor, TransitionRequest r) {
    Map<String, Object> c = row(h, caseId).orElseThrow(() -> Problem.notFound("no case " + caseId));
    CaseState from = CaseState.parse((String) c.get("state"));
    Lifecycle.Transition t =
        Lifecycle.find(from, r.to())
            .orElseThrow(
                () ->
                    Problem.conflict(
                        "a case in "
                            + from.label()
                            + " cannot move to "
                            + r.to().label()
                            + "; from "
                            + from.label()
                            + " it may move to "
                            + String.join(
                                ", ",
                                Lifecycle.table().stream()
                                    .filter(x -> x.from() == from)
                                    .map(x -> x.to().label())
                                    .toList())));
    if (!t.roles().contains(actor.role())) {
      throw Problem.forbidden(
          "role "
              + actor.role().label()
              + " may not move a case from "
              + from.label()
              + " to "
              + r.to().label());
    }
    String note = r.note() == null || r.note().isBlank() ? null : r.note().strip();
    String data = null;
    Instant now = clock.instant();
    Instant deadline = null;
    switch (t.requirement()) {
      case NOTE -> {
        if (note == null) {
          throw Problem.invalid("note", "moving to " + r.to().label() + " needs a note saying why");
        }
      }
      case INSPECTION -> data = inspection(r.inspection());
      case DEADLINE -> {
        int days = r.deadlineDays() == null ? settings.rectificationDays() : r.deadlineDays();
        if (days < 1 || days > 365) {
          throw Problem.invalid("deadline_days", "must be 1 to 365");
        }
        deadline = now.plus(Duration.ofDays(days));
      }
      case QUIET_DAYS -> {
        Instant last = instant(c.get("last_mining_at"));
        Instant since = instant(c.get("state_since"));
        Instant quietFrom = last == null || since.isAfter(last) ? since : last;
        Instant allowed = quietFrom.plus(Duration.ofDays(settings.quietDays()));
        if (now.isBefore(allowed)) {
          throw Problem.conflict(
              "a case closes only after "
                  + settings.quietDays()
                  + " days of monitoring with no "
                  + "mining from its hosts: quiet since "
                  + quietFrom
                  + ", so not before "
                  + allowed);
        }
      }
      case NONE -> {}
    }
    move(h, caseId, from, r.to(), actor.name(), note, data, now);
    if (deadline != null) {
      h.createUpdate("update cases set deadline = :d where id = :c")
          .bind("d", Times.bind(deadline))
          .bind("c", caseId)
          .execute();
    }
    if (r.to() == CaseState.REOPENED) {
      h.createUpdate(
              "insert into alerts (case_id, at, kind, message) values (:c, :at, 'reopened', :m)")
          .bind("c", caseId)
          .bind("at", Times.bind(now))
          .bind("m", "reopened by " + actor.name() + ": " + note)
          .execute();
    }
  }

  private void move(
      Handle h,
      long caseId,
      CaseState from,
      CaseState to,
      String actor,
      String note,
      String data,
      Instant now) {
    Duration d = settings.deadline(to);
    int n =
        h.createUpdate(
                "update cases set state = :to, state_since = :now, deadline = :dl, closed_at = :closed, "
                    + "updated_at = :now where id = :c and state = :from")
            .bind("to", to.label())
            .bind("now", Times.bind(now))
            .bind("dl", Times.bind(d == null ? null : now.plus(d)))
            .bind("closed", Times.bind(to == CaseState.CLOSED ? now : null))
            .bind("c", caseId)
            .bind("from", from.label())
            .execute();
    if (n != 1) {
      throw Problem.conflict("case " + caseId + " changed state meanwhile; reload it");
    }
    event(h, caseId, now, actor, "transition", from.label(), to.label(), note, data);
  }

  private static String inspection(Map<String, Object> in) {
    if (in == null) {
      throw Problem.invalid(
          "inspection",
          "moving to inspected needs the inspection record: devices, mining "
              + "(deliberate or compromised), notes");
    }
    Object devices = in.get("devices");
    if (!(devices instanceof Number n)
        || n.doubleValue() < 0
        || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw Problem.invalid("inspection.devices", "the number of mining devices found, 0 or more");
    }
    Object mining = in.get("mining");
    if (!"deliberate".equals(mining) && !"compromised".equals(mining) && !"none".equals(mining)) {
      throw Problem.invalid("inspection.mining", "one of deliberate, compromised, none");
    }
    Object notes = in.get("notes");
    if (!(notes instanceof String s) || s.isBlank()) {
      throw Problem.invalid("inspection.notes", "what the inspection found, in words");
    }
    try {
      Map<String, Object> clean = new LinkedHashMap<>();
      clean.put("devices", ((Number) devices).longValue());
      clean.put("mining", mining);
      clean.put("notes", notes);
      return JSON.writeValueAsString(clean);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public void event(
      Handle h,
      long caseId,
      Instant at,
      String actor,
      String kind,
      String from,
      String to,
      String note,
      String data) {
    h.createUpdate(
            "insert into case_events (case_id, at, actor, kind, from_state, to_state, note, data) "
                + "values (:c, :at, :actor, :kind, :from, :to, :note, :data)")
        .bind("c", caseId)
        .bind("at", Times.bind(at))
        .bind("actor", actor)
        .bind("kind", kind)
        .bind("from", from)
        .bind("to", to)
        .bind("note", note)
        .bind("data", data)
        .execute();
  }

  public long addTask(
      Handle h, long caseId, User actor, String title, String owner, Instant deadline) {
    if (title == null || title.isBlank() || title.length() > 500) {
      throw Problem.invalid("title", "1 to 500 characters");
    }
    if (owner == null || owner.isBlank() || owner.length() > 100) {
      throw Problem.invalid("owner", "the user name of who does it");
    }
    Instant now = clock.instant();
    long id =
        h.createUpdate(
                "insert into tasks (case_id, title, owner, deadline, created_at, created_by) "
                    + "values (:c, :t, :o, :d, :now, :by)")
            .bind("c", caseId)
            .bind("t", title.strip())
            .bind("o", owner.strip())
            .bind("d", Times.bind(deadline))
            .bind("now", Times.bind(now))
            .bind("by", actor.name())
            .executeAndReturnGeneratedKeys("id")
            .mapTo(Long.class)
            .one();
    event(
        h,
        caseId,
        now,
        actor.name(),
        "task",
        null,
        null,
        "task "
            + id
            + ": "
            + title.strip()
            + " (owner "
            + owner
            + (deadline == null ? "" : ", due " + deadline)
            + ")",
        null);
    return id;
  }

  public void completeTask(Handle h, long caseId, long taskId, User actor) {
    int n =
        h.createUpdate(
                "update tasks set done_at = :now, done_by = :by where id = :t and case_id = :c and done_at is null")
            .bind("now", Times.bind(clock.instant()))
            .bind("by", actor.name())
            .bind("t", taskId)
            .bind("c", caseId)
            .execute();
    if (n == 0) {
      throw Problem.notFound("no open task " + taskId + " in case " + caseId);
    }
    event(
        h,
        caseId,
        clock.instant(),
        actor.name(),
        "task",
        null,
        null,
        "task " + taskId + " done",
        null);
  }

  /** A unit's own report: self-inspection (自查自纠) or rectification. */
  public void unitReport(Handle h, long caseId, User actor, String kind, String text) {
    if (!kind.equals("self-inspection") && !kind.equals("rectification")) {
      throw Problem.invalid("kind", "one of self-inspection, rectification");
    }
    if (text == null || text.isBlank() || text.length() > 10_000) {
      throw Problem.invalid("text", "1 to 10,000 characters");
    }
    event(h, caseId, clock.instant(), actor.name(), kind, null, null, text.strip(), null);
  }

  public void acknowledge(Handle h, long alertId, User actor) {
    int n =
        h.createUpdate(
                "update alerts set acknowledged_at = :now, acknowledged_by = :by where id = :a "
                    + "and acknowledged_at is null")
            .bind("now", Times.bind(clock.instant()))
            .bind("by", actor.name())
            .bind("a", alertId)
            .execute();
    if (n == 0) {
      throw Problem.notFound("no unacknowledged alert " + alertId);
    }
  }

  // ---------------------------------------------------------------- rows

  private CaseViews.Summary summary(ResultSet rs) throws SQLException {
    Instant deadline = Times.read(rs, "deadline");
    String state = rs.getString("state");
    String reasons = rs.getString("priority_reasons");
    String coins = rs.getString("coins");
    return new CaseViews.Summary(
        rs.getLong("id"),
        rs.getString("number"),
        state,
        rs.getInt("priority"),
        rs.getBoolean("priority_list"),
        Reasons.decode(reasons),
        rs.getString("unit_name"),
        rs.getString("unit_code"),
        rs.getString("unit_category"),
        rs.getString("region_code"),
        rs.getString("unit_region"),
        rs.getString("host"),
        rs.getInt("host_count"),
        kwh(rs, "kwh_"),
        coins == null || coins.isEmpty() ? List.of() : List.of(coins.split(",")),
        rs.getString("assessment"),
        Times.read(rs, "opened_at"),
        Times.read(rs, "state_since"),
        deadline,
        deadline != null && CaseState.parse(state).open() && deadline.isBefore(clock.instant()),
        Times.read(rs, "last_mining_at"));
  }

  static double[] kwh(ResultSet rs, String prefix) throws SQLException {
    Double best = Times.readDouble(rs, prefix + "best");
    return best == null
        ? null
        : new double[] {rs.getDouble(prefix + "low"), best, rs.getDouble(prefix + "high")};
  }

  static CaseViews.OrderView order(ResultSet rs) throws SQLException {
    return new CaseViews.OrderView(
        rs.getLong("id"),
        rs.getString("number"),
        rs.getString("kind"),
        Times.read(rs, "issued_at"),
        rs.getString("issued_by"),
        rs.getBigDecimal("amount_low"),
        rs.getBigDecimal("amount_best"),
        rs.getBigDecimal("amount_high"),
        rs.getString("state"),
        Times.read(rs, "executed_at"),
        rs.getString("executed_by"));
  }

  private static CaseViews.Alert alert(ResultSet rs) throws SQLException {
    return new CaseViews.Alert(
        rs.getLong("id"),
        rs.getLong("case_id"),
        Times.read(rs, "at"),
        rs.getString("kind"),
        rs.getString("message"),
        Times.read(rs, "acknowledged_at"),
        rs.getString("acknowledged_by"));
  }

  static Instant instant(Object o) {
    if (o == null) {
      return null;
    }
    if (o instanceof java.time.OffsetDateTime t) {
      return t.toInstant();
    }
    if (o instanceof java.sql.Timestamp t) {
      return t.toInstant();
    }
    if (o instanceof java.time.Instant t) {
      return t;
    }
    throw new IllegalStateException("not a time: " + o.getClass());
  }
}
