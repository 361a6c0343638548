package org.minewatch.governance.stats;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.minewatch.attribution.assess.Assessor;
import org.minewatch.attribution.registry.Allocation;
import org.minewatch.attribution.registry.UnitRegistry;
import org.minewatch.attribution.report.FindingsReader;
import org.minewatch.attribution.report.ReportBuilder;
import org.minewatch.attribution.report.ReportData;
import org.minewatch.governance.cases.CaseState;
import org.minewatch.governance.ingest.FindingParser;
import org.minewatch.governance.store.Times;

/**
 * The figures of {@code minewatch report} over the live database (computed by the same {@link
 * ReportBuilder} from the stored findings), and the case figures: states, overdue cases, energy per
 * day of closed cases (the saving), and the weekly clearance (清零) of the priority list.
 */
public final class Statistics {
  /** The campaign keeps Beijing time; weeks run Monday to Sunday. */
  public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  private final Clock clock;
  private final Assessor assessor;

  public Statistics(Clock clock, Assessor assessor) {
    this.clock = clock;
    this.assessor = assessor;
  }

  /**
   * Last week's priority list and how much of it was cleared by this week's Friday: a case is
   * cleared once it reached {@code disposed} or a later state, or was rejected.
   */
  public record Clearance(
      LocalDate weekStart,
      LocalDate weekEnd,
      LocalDate dueFriday,
      int listed,
      int cleared,
      double share) {}

  public record Stats(
      ReportData report,
      Map<String, Integer> casesByState,
      int openCases,
      int overdueCases,
      double[] savedKwhPerDay,
      Clearance clearance) {}

  /**
   * @param regionPrefix limit to hosts of units in this region (a regional officer), or null
   */
  public Stats compute(Handle h, UnitRegistry registry, String regionPrefix) {
    List<FindingsReader.Row> rows = new ArrayList<>();
    for (String body :
        h.createQuery("select body from findings order by id").mapTo(String.class).list()) {
      FindingParser.Parsed p = FindingParser.parse(body, 1);
      if (regionPrefix != null) {
        Allocation a = registry.lookup(p.host().host());
        if (a == null
            || a.unit().regionCode() == null
            || !a.unit().regionCode().startsWith(regionPrefix)) {
          continue;
        }
      }
      rows.add(new FindingsReader.Row(p.host(), null, null));
    }
    ReportData report = ReportBuilder.build(rows, registry, assessor);
    CaseFigures c = cases(h, regionPrefix);
    return new Stats(
        report,
        c.casesByState(),
        c.openCases(),
        c.overdueCases(),
        c.savedKwhPerDay(),
        c.clearance());
  }

  /**
   * The case figures of {@link Stats}: by state, open, overdue, the saving of closed cases, last
   * week's clearance.
   */
  public record CaseFigures(
      Map<String, Integer> casesByState,
      int openCases,
      int overdueCases,
      double[] savedKwhPerDay,
      Clearance clearance) {}

  /**
   * @param regionPrefix limit to cases of this region (a GB/T 2260 code prefix), or null
   */
  public CaseFigures cases(Handle h, String regionPrefix) {
    String scope = scope(regionPrefix);
    Map<String, Integer> byState = new LinkedHashMap<>();
    for (CaseState s : CaseState.values()) {
      byState.put(s.label(), 0);
    }
    h.createQuery("select state, count(*) from cases" + scope + " group by state")
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2)))
        .forEach(e -> byState.put(e.getKey(), e.getValue()));
    int open =
        byState.entrySet().stream()
            .filter(e -> CaseState.parse(e.getKey()).open())
            .mapToInt(Map.Entry::getValue)
            .sum();
    Instant now = clock.instant();
    int overdue =
        h.createQuery(
                "select count(*) from cases"
                    + (scope.isEmpty() ? " where" : scope + " and")
                    + " deadline < :now and state not in ('closed', 'rejected')")
            .bind("now", Times.bind(now))
            .mapTo(Integer.class)
            .one();
    double[] saved =
        h.createQuery(
                "select coalesce(sum(kwh_low), 0), coalesce(sum(kwh_best), 0), "
                    + "coalesce(sum(kwh_high), 0) from cases"
                    + (scope.isEmpty() ? " where" : scope + " and")
                    + " state = 'closed'")
            .map((rs, ctx) -> new double[] {rs.getDouble(1), rs.getDouble(2), rs.getDouble(3)})
            .one();
    LocalDate thisMonday =
        now.atZone(ZONE).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    return new CaseFigures(
        byState,
        open,
        overdue,
        saved,
        clearances(h, regionPrefix, thisMonday.minusWeeks(1), 1).get(0));
  }

  private static String scope(String regionPrefix) {
    return regionPrefix == null
        ? ""
        : " where region_code like '" + regionPrefix.replaceAll("[^0-9]", "") + "%'";
  }

  /**
   * The clearance of {@code weeks} consecutive weeks from the one starting on {@code firstMonday}:
   * for each, the cases put on the priority list that week and how many of them were cleared by the
   * next week's Friday (or by now, while that Friday is to come).
   */
  public List<Clearance> clearances(
      Handle h, String regionPrefix, LocalDate firstMonday, int weeks) {
    String scope = scope(regionPrefix);
    Instant now = clock.instant();
    Instant from = firstMonday.atStartOfDay(ZONE).toInstant();
    Instant to = firstMonday.plusWeeks(weeks).atStartOfDay(ZONE).toInstant();
    // Each case of the lists with the first time it reached disposed or a later state, or was
    // rejected.
    List<Instant[]> listed =
        h.createQuery(
                "select c.opened_at, (select min(e.at) from case_events e where e.case_id = c.id "
                    + "and e.kind = 'transition' and e.to_state in ('disposed', 'rectifying', 'rechecked', 'closed', 'rejected')) "
                    + "as cleared_at from cases c"
                    + (scope.isEmpty()
                        ? " where"
                        : scope.replace("region_code", "c.region_code") + " and")
                    + " c.priority_list = true and c.opened_at >= :from and c.opened_at < :to")
            .bind("from", Times.bind(from))
            .bind("to", Times.bind(to))
            .map(
                (rs, ctx) ->
                    new Instant[] {Times.read(rs, "opened_at"), Times.read(rs, "cleared_at")})
            .list();
    List<Clearance> out = new ArrayList<>();
    for (int w = 0; w < weeks; w++) {
      LocalDate monday = firstMonday.plusWeeks(w);
      LocalDate friday = monday.plusWeeks(1).plusDays(4);
      Instant start = monday.atStartOfDay(ZONE).toInstant();
      Instant end = monday.plusWeeks(1).atStartOfDay(ZONE).toInstant();
      Instant due = friday.plusDays(1).atStartOfDay(ZONE).toInstant();
      Instant asOf = now.isBefore(due) ? now : due;
      int n = 0;
      int cleared = 0;
      for (Instant[] c : listed) {
        if (!c[0].isBefore(start) && c[0].isBefore(end)) {
          n++;
          cleared += c[1] != null && !c[1].isAfter(asOf) ? 1 : 0;
        }
      }
      out.add(
          new Clearance(
              monday, monday.plusDays(6), friday, n, cleared, n == 0 ? 1.0 : (double) cleared / n));
    }
    return out;
  }
}
