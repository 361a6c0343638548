package org.minewatch.governance.stats;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.minewatch.attribution.registry.Allocation;
import org.minewatch.attribution.registry.Unit;
import org.minewatch.attribution.registry.UnitCategory;
import org.minewatch.attribution.registry.UnitRegistry;
import org.minewatch.attribution.report.ReportData;
import org.minewatch.governance.store.Times;
import org.minewatch.model.IpAddress;

/**
 * The province at a glance: the report's figures (mining addresses, units, the institutional share,
 * energy per day, top units and operations, by category and coin: the numbers of {@code minewatch
 * report} and {@code GET /api/stats}), the case figures of {@link Statistics}, and what the
 * statistics do not give: mining addresses by region code (one level of the GB/T 2260 tree under
 * the region shown) and by algorithm, and twelve ISO weeks (Monday to Sunday, Beijing time) of new
 * mining addresses, units, cases opened and closed and the priority list's clearance.
 *
 * <p>Fast at 100,000 findings: the miners' findings are read as the few columns the figures need
 * (which ingest keeps merged: the strongest verdict, the earliest first sighting), never as their
 * stored JSON, and merged per host and counted by the report's own rules ({@code ReportBuilder}:
 * the stronger verdict's fields, the larger energy estimate, hosts in address order, units by the
 * registry as it is now; {@code DashboardTest} holds the two to the same numbers). What the report
 * adds on top, the assessment of every host (compromised, deliberate), is left out: it needs the
 * JSON, cost 0.4 s a page at 100,000 findings, and the dashboard does not show it. The case figures
 * are counted in SQL.
 */
public final class Dashboard {
  /** Weeks in the series, the current one last. */
  public static final int WEEKS = 12;

  /** Units and operations in the top lists, as in the report. */
  public static final int TOP = 10;

  private final Clock clock;
  private final Statistics statistics;

  public Dashboard(Clock clock, Statistics statistics) {
    this.clock = clock;
    this.statistics = statistics;
  }

  /**
   * A unit with its mining addresses and their energy per day (best estimate), as the report's top
   * units.
   */
  public record UnitRow(Unit unit, int hosts, double kwhBest) {}

  /**
   * A level of the region tree: a code prefix (2, 4 or 6 digits) and its name where the registry
   * gives one.
   */
  public record Place(String prefix, String code, String name) {}

  /**
   * One bar of the regions: {@code prefix} null for the addresses no unit with a region holds.
   *
   * @param leaf whether there is no level below (a county, or the region shown is one)
   */
  public record RegionCount(
      String prefix, String code, String name, int addresses, int units, boolean leaf) {}

  /**
   * One ISO week (Monday to Sunday, Beijing time). {@code listed} and {@code cleared} are the cases
   * put on the priority list that week and cleared by the next Friday; null for the current week,
   * whose list is not due yet.
   */
  public record Week(
      LocalDate monday,
      String label,
      int newAddresses,
      int addresses,
      int units,
      int casesOpened,
      int casesClosed,
      Integer listed,
      Integer cleared) {}

  /**
   * @param scope the region prefix shown, or null for all
   * @param trail the levels from the viewer's own region (or the whole province) down to the one
   *     shown
   * @param institutional mining addresses in government bodies, public institutions, universities
   *     and enterprises
   * @param regions one level below {@code scope}, most addresses first
   * @param byAlgorithm mining addresses by the algorithm they mine ({@code unknown} where no
   *     finding names it)
   */
  public record Figures(
      String scope,
      List<Place> trail,
      Instant asOf,
      int miningHosts,
      int units,
      double shareGovUnivEnterprise,
      int institutional,
      double[] kwhPerDay,
      double[] savedKwhPerDay,
      int openCases,
      int overdueCases,
      Statistics.Clearance clearance,
      Map<String, Integer> casesByState,
      Map<String, Integer> byCategory,
      Map<String, Integer> byCoin,
      Map<String, Integer> byAlgorithm,
      List<RegionCount> regions,
      List<UnitRow> topUnits,
      List<ReportData.OperationRow> topOperations,
      List<Week> weeks) {}

  /**
   * @param base the viewer's own region prefix (a regional officer's), or null for the whole
   *     province
   * @param scope the region prefix to show: {@code base} or a region below it
   */
  public Figures compute(Handle h, UnitRegistry registry, String base, String scope) {
    Instant now = clock.instant();

    // ---- mining hosts: the miners' findings by their columns, merged per host as the report
    // merges them. The
    // columns are those of the index findings_dashboard (V2), so the database reads the index, not
    // the rows with
    // their JSON; each host's findings come one after the other, in the order they were stored.
    List<Host> hosts = new ArrayList<>();
    Host[] last = {null};
    // H2 would first copy the whole result aside (to disk, past 40,000 rows); lazily, it hands rows
    // over as it reads.
    boolean h2 = h2(h);
    if (h2) {
      h.execute("set lazy_query_execution true");
    }
    try {
      h.createQuery(
              "select host, verdict, coin, algorithm, operation, kwh_low, kwh_best, kwh_high, first_seen, "
                  + "received_at from findings where role = 'miner' order by role, host, id")
          .setFetchSize(2000)
          .map(
              (rs, ctx) -> {
                Double best = Times.readDouble(rs, "kwh_best");
                return new Host(
                    rs.getString("host"),
                    rs.getString("verdict"),
                    rs.getString("coin"),
                    rs.getString("algorithm"),
                    rs.getString("operation"),
                    best == null
                        ? null
                        : new double[] {rs.getDouble("kwh_low"), best, rs.getDouble("kwh_high")},
                    Times.read(rs, "first_seen"),
                    Times.read(rs, "received_at"));
              })
          .forEach(
              r -> {
                if (last[0] != null && last[0].host.equals(r.host)) {
                  last[0].merge(r);
                } else {
                  hosts.add(r);
                  last[0] = r;
                }
              });
    } finally {
      if (h2) {
        h.execute("set lazy_query_execution false");
      }
    }
    // A host's unit by the registry as it is now (as the statistics count); a regional view keeps
    // its region's.
    List<Host> mining = new ArrayList<>(hosts.size());
    for (Host m : hosts) {
      if (!m.mining()) {
        continue;
      }
      m.address = IpAddress.parse(m.host);
      Allocation a = registry.lookup(m.address);
      m.unit = a == null ? null : a.unit();
      if (scope == null
          || m.unit != null
              && m.unit.regionCode() != null
              && m.unit.regionCode().startsWith(scope)) {
        mining.add(m);
      }
    }
    // In address order, as the report adds them up (sums of doubles depend on the order).
    mining.sort((x, y) -> x.address.compareTo(y.address));

    // ---- per host: coin, algorithm, energy, week first seen; the rest per unit (units by name, as
    // the report)
    List<Instant> weekStarts = weekStarts(now);
    int childLength = scope == null ? 2 : Math.min(6, scope.length() + 2);
    Map<String, Integer> byCoin = new TreeMap<>();
    Map<String, Integer> byAlgorithm = new TreeMap<>();
    Map<String, UnitSum> byUnit = new LinkedHashMap<>();
    Map<String, List<Host>> byOperation = new LinkedHashMap<>();
    int[] newAddresses = new int[WEEKS + 1];
    double[] kwh = new double[3];
    int noUnit = 0;
    for (Host m : mining) {
      byCoin.merge(m.coin == null ? "unknown" : m.coin, 1, Integer::sum);
      byAlgorithm.merge(m.algorithm == null ? "unknown" : m.algorithm, 1, Integer::sum);
      if (m.kwh != null) {
        for (int i = 0; i < 3; i++) {
          kwh[i] += m.kwh[i];
        }
      }
      Instant first = m.first != null ? m.first : m.received;
      newAddresses[bucket(weekStarts, first)]++;
      Unit u = m.unit;
      if (u == null) {
        noUnit++;
      } else {
        UnitSum us = byUnit.get(u.name());
        if (us == null) {
          String code = u.regionCode();
          us =
              new UnitSum(
                  u,
                  code == null || code.length() < childLength
                      ? null
                      : code.substring(0, childLength));
          byUnit.put(u.name(), us);
        }
        us.hosts++;
        us.kwhBest += m.kwh == null ? 0 : m.kwh[1];
        us.first = us.first == null || first.isBefore(us.first) ? first : us.first;
      }
      if (m.operation != null) {
        byOperation.computeIfAbsent(m.operation, k -> new ArrayList<>()).add(m);
      }
    }
    Map<String, Integer> byCategory = new LinkedHashMap<>();
    for (UnitCategory c : UnitCategory.values()) {
      byCategory.put(c.label(), 0);
    }
    Map<String, int[]> byRegion = new HashMap<>();
    int[] newUnits = new int[WEEKS + 1];
    int institutional = 0;
    for (UnitSum us : byUnit.values()) {
      UnitCategory category =
          us.unit.category() == null ? UnitCategory.UNKNOWN : us.unit.category();
      byCategory.merge(category.label(), us.hosts, Integer::sum);
      institutional += category.institutional() ? us.hosts : 0;
      int[] r = byRegion.computeIfAbsent(us.region, k -> new int[2]);
      r[0] += us.hosts;
      r[1]++;
      newUnits[bucket(weekStarts, us.first)]++;
    }
    if (noUnit > 0) {
      byCategory.merge(UnitCategory.UNKNOWN.label(), noUnit, Integer::sum);
      byRegion.computeIfAbsent(null, k -> new int[2])[0] += noUnit;
    }
    int n = mining.size();
    double share = n == 0 ? 0 : (double) institutional / n;

    List<UnitRow> topUnits = new ArrayList<>();
    byUnit.values().forEach(us -> topUnits.add(new UnitRow(us.unit, us.hosts, us.kwhBest)));
    topUnits.sort(
        Comparator.comparingInt(UnitRow::hosts)
            .reversed()
            .thenComparing(Comparator.comparingDouble(UnitRow::kwhBest).reversed())
            .thenComparing(r -> r.unit().name()));
    List<ReportData.OperationRow> topOperations = new ArrayList<>();
    byOperation.forEach(
        (id, list) -> {
          java.util.Set<String> us = new java.util.HashSet<>();
          double k = 0;
          for (Host m : list) {
            us.add(m.unit == null ? "?" + m.host : m.unit.name());
            k += m.kwh == null ? 0 : m.kwh[1];
          }
          Host first = list.get(0);
          topOperations.add(
              new ReportData.OperationRow(id, first.host, list.size(), us.size(), first.coin, k));
        });
    topOperations.sort(
        Comparator.comparingInt(ReportData.OperationRow::hosts)
            .reversed()
            .thenComparing(Comparator.comparingDouble(ReportData.OperationRow::kwhBest).reversed())
            .thenComparing(ReportData.OperationRow::id));
    // The account of each listed operation: its first host's wallet, else its login (merged as the
    // report merges them).
    List<ReportData.OperationRow> top = new ArrayList<>();
    for (ReportData.OperationRow o :
        topOperations.subList(0, Math.min(TOP, topOperations.size()))) {
      top.add(
          new ReportData.OperationRow(
              o.id(), account(h, o.account()), o.hosts(), o.units(), o.coin(), o.kwhBest()));
    }

    // ---- cases: the statistics' figures, and opened and closed per week
    Statistics.CaseFigures cases = statistics.cases(h, scope);
    int[] opened =
        perWeek(h, "select c.opened_at as t from cases c", "c.opened_at", weekStarts, scope);
    int[] closed =
        perWeek(
            h,
            "select e.at as t from case_events e join cases c on c.id = e.case_id where e.kind = "
                + "'transition' and e.to_state = 'closed'",
            "e.at",
            weekStarts,
            scope);
    LocalDate firstMonday = weekStarts.get(0).atZone(Statistics.ZONE).toLocalDate();
    List<Statistics.Clearance> clearances = statistics.clearances(h, scope, firstMonday, WEEKS - 1);

    List<Week> weeks = new ArrayList<>();
    int addresses = newAddresses[0];
    int unitCount = newUnits[0];
    for (int w = 0; w < WEEKS; w++) {
      addresses += newAddresses[w + 1];
      unitCount += newUnits[w + 1];
      LocalDate monday = firstMonday.plusWeeks(w);
      Statistics.Clearance c = w < WEEKS - 1 ? clearances.get(w) : null;
      weeks.add(
          new Week(
              monday,
              isoWeek(monday),
              newAddresses[w + 1],
              addresses,
              unitCount,
              opened[w + 1],
              closed[w + 1],
              c == null ? null : c.listed(),
              c == null ? null : c.cleared()));
    }

    // ---- regions, by the names the registry gives them
    Map<String, String> names = regionNames(h);
    List<RegionCount> regions = new ArrayList<>();
    byRegion.forEach(
        (prefix, count) -> {
          String code = prefix == null ? null : pad(prefix);
          regions.add(
              new RegionCount(
                  prefix,
                  code,
                  code == null ? null : names.get(code),
                  count[0],
                  count[1],
                  prefix == null || prefix.length() >= 6));
        });
    regions.sort(
        Comparator.comparingInt(RegionCount::addresses)
            .reversed()
            .thenComparing(r -> r.prefix() == null ? "~" : r.prefix()));
    List<Place> trail = new ArrayList<>();
    if (base == null) {
      trail.add(new Place(null, null, null));
    }
    if (scope != null) {
      for (int len = base == null ? 2 : base.length(); len <= scope.length(); len += 2) {
        String p = scope.substring(0, len);
        trail.add(new Place(p, pad(p), names.get(pad(p))));
      }
    }

    return new Figures(
        scope,
        trail,
        now,
        n,
        byUnit.size(),
        share,
        institutional,
        kwh,
        cases.savedKwhPerDay(),
        cases.openCases(),
        cases.overdueCases(),
        cases.clearance(),
        cases.casesByState(),
        byCategory,
        sortedByCount(byCoin),
        sortedByCount(byAlgorithm),
        List.copyOf(regions),
        List.copyOf(topUnits.subList(0, Math.min(TOP, topUnits.size()))),
        List.copyOf(top),
        List.copyOf(weeks));
  }

  private static boolean h2(Handle h) {
    try {
      return h.getConnection().getMetaData().getDatabaseProductName().equals("H2");
    } catch (java.sql.SQLException e) {
      return false;
    }
  }

  /** A host's wallet, else its login, from its miner findings merged as the report merges them. */
  private static String account(Handle h, String host) {
    String[] merged = null;
    for (String[] r :
        h.createQuery(
                "select verdict, wallet, login from findings where host = :h and role = 'miner' "
                    + "order by id")
            .bind("h", host)
            .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
            .list()) {
      if (merged == null) {
        merged = r;
      } else {
        boolean keep = VERDICTS.indexOf(merged[0]) <= VERDICTS.indexOf(r[0]);
        String[] s = keep ? merged : r;
        String[] w = keep ? r : merged;
        merged = new String[] {s[0], s[1] != null ? s[1] : w[1], s[2] != null ? s[2] : w[2]};
      }
    }
    return merged == null ? null : merged[1] != null ? merged[1] : merged[2];
  }

  /** The verdicts from the strongest, as the report ranks them when it merges a host's findings. */
  private static final List<String> VERDICTS = List.of("mining", "likely", "node", "suspect");

  /**
   * One host's findings merged: what the figures need of {@code ReportBuilder}'s merge, by the same
   * rules.
   */
  private static final class Host {
    final String host;
    String verdict;
    String coin;
    String algorithm;
    String operation;
    double[] kwh;
    Instant first;
    Instant received;
    IpAddress address;
    Unit unit;

    Host(
        String host,
        String verdict,
        String coin,
        String algorithm,
        String operation,
        double[] kwh,
        Instant first,
        Instant received) {
      this.host = host;
      this.verdict = verdict;
      this.coin = coin;
      this.algorithm = algorithm;
      this.operation = operation;
      this.kwh = kwh;
      this.first = first;
      this.received = received;
    }

    /**
     * Merges a later finding: the stronger verdict's fields first (the earlier's on a tie), the
     * larger energy.
     */
    void merge(Host b) {
      boolean keep = VERDICTS.indexOf(verdict) <= VERDICTS.indexOf(b.verdict);
      Host s = keep ? this : b;
      Host w = keep ? b : this;
      String v = s.verdict;
      coin = or(s.coin, w.coin);
      algorithm = or(s.algorithm, w.algorithm);
      operation = or(s.operation, w.operation);
      verdict = v;
      kwh = kwh == null ? b.kwh : b.kwh == null ? kwh : kwh[1] >= b.kwh[1] ? kwh : b.kwh;
      first =
          first == null
              ? b.first
              : b.first == null ? first : first.isBefore(b.first) ? first : b.first;
      received = received.isBefore(b.received) ? received : b.received;
    }

    /** A mining address: a miner whose (merged) verdict is mining or likely. */
    boolean mining() {
      return "mining".equals(verdict) || "likely".equals(verdict);
    }

    private static String or(String a, String b) {
      return a != null ? a : b;
    }
  }

  /**
   * A unit's mining addresses: how many, their energy (best), the first seen; and its region one
   * level down.
   */
  private static final class UnitSum {
    final Unit unit;
    final String region;
    int hosts;
    double kwhBest;
    Instant first;

    UnitSum(Unit unit, String region) {
      this.unit = unit;
      this.region = region;
    }
  }

  /** The categories the headline share counts. */
  public static List<String> institutionalCategories() {
    List<String> out = new ArrayList<>();
    for (UnitCategory c : UnitCategory.values()) {
      if (c.institutional()) {
        out.add(c.label());
      }
    }
    return out;
  }

  /** A prefix as the 6-digit code of its region: {@code 3201} → {@code 320100}. */
  public static String pad(String prefix) {
    return (prefix + "000000").substring(0, 6);
  }

  /** {@code 2026-W09}: the ISO week-based year and week of a Monday. */
  public static String isoWeek(LocalDate monday) {
    return String.format(
        java.util.Locale.ROOT,
        "%d-W%02d",
        monday.get(IsoFields.WEEK_BASED_YEAR),
        monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }

  /**
   * The Mondays (Beijing time) of the {@link #WEEKS} weeks ending with the current one, and the
   * Monday after.
   */
  static List<Instant> weekStarts(Instant now) {
    LocalDate thisMonday =
        now.atZone(Statistics.ZONE)
            .toLocalDate()
            .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    List<Instant> out = new ArrayList<>();
    for (int w = WEEKS - 1; w >= -1; w--) {
      out.add(thisMonday.minusWeeks(w).atStartOfDay(Statistics.ZONE).toInstant());
    }
    return out;
  }

  /**
   * 0: before the first week; 1..WEEKS: the week; a time after the current week counts in the
   * current week.
   */
  private static int bucket(List<Instant> starts, Instant t) {
    if (t == null || t.isBefore(starts.get(0))) {
      return 0;
    }
    for (int w = 1; w < starts.size() - 1; w++) {
      if (t.isBefore(starts.get(w))) {
        return w;
      }
    }
    return WEEKS;
  }

  /**
   * Rows of {@code select} counted per week in one pass of SQL: index 0 before the weeks, 1..WEEKS
   * the weeks.
   */
  private static int[] perWeek(
      Handle h, String select, String column, List<Instant> starts, String scope) {
    StringBuilder sql = new StringBuilder("select ");
    for (int w = 0; w < WEEKS; w++) {
      sql.append(w == 0 ? "" : ", ")
          .append("sum(case when t >= :b")
          .append(w)
          .append(" and t < :b")
          .append(w + 1)
          .append(" then 1 else 0 end) as w")
          .append(w);
    }
    String where = select.contains(" where ") ? " and " : " where ";
    sql.append(" from (")
        .append(select)
        .append(where)
        .append(column)
        .append(" >= :b0 and ")
        .append(column)
        .append(" < :b")
        .append(WEEKS)
        .append(scope == null ? "" : " and c.region_code like :scope")
        .append(") x");
    Query q = h.createQuery(sql.toString());
    for (int w = 0; w <= WEEKS; w++) {
      q.bind("b" + w, Times.bind(starts.get(w)));
    }
    if (scope != null) {
      q.bind("scope", scope + "%");
    }
    int[] out = new int[WEEKS + 1];
    q.map(
            (rs, ctx) -> {
              for (int w = 0; w < WEEKS; w++) {
                out[w + 1] = rs.getInt("w" + w);
              }
              return null;
            })
        .findFirst();
    return out;
  }

  /** Region names by code, as the units' registry entries give them. */
  private static Map<String, String> regionNames(Handle h) {
    Map<String, String> names = new HashMap<>();
    h.createQuery(
            "select region_code, min(region) as region from units where region_code is not null and region is "
                + "not null group by region_code")
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
        .forEach(e -> names.put(e.getKey(), e.getValue()));
    return names;
  }

  private static Map<String, Integer> sortedByCount(Map<String, Integer> m) {
    Map<String, Integer> out = new LinkedHashMap<>();
    m.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .sorted(
            Map.Entry.<String, Integer>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }
}
