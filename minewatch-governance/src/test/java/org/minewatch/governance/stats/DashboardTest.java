package org.minewatch.governance.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.minewatch.attribution.report.ReportData;
import org.minewatch.governance.Findings;
import org.minewatch.governance.GovernanceTestBase;
import org.minewatch.governance.Problem;
import org.minewatch.governance.cases.CaseQuery;
import org.minewatch.governance.cases.CaseState;
import org.minewatch.governance.cases.CaseViews;
import org.minewatch.governance.user.Role;

/**
 * The dashboard's figures, exact, on a small province: six mining addresses of four units (two of
 * the university in Nanjing, the city commission of Wuxi, the residential subscriber of Suzhou, the
 * provincial research network) and one no unit holds, first seen across the twelve weeks shown;
 * five cases, one disposed in time for its week's list, one rejected late, one closed. The figures
 * are the statistics' own where both have them, and each links to the cases behind it.
 */
class DashboardTest extends GovernanceTestBase {
  /** Monday 16 February 2026 (ISO week 8), 10:00 in Beijing: the first findings arrive. */
  static final Instant T0 = Instant.parse("2026-02-16T02:00:00Z");

  /** Thursday of week 8. */
  static final Instant T1 = Instant.parse("2026-02-19T02:00:00Z");

  /** Monday 2 March 2026 (week 10), 11:00 in Beijing: the dashboard is read. */
  static final Instant T3 = Instant.parse("2026-03-02T03:00:00Z");

  static final String HOST1 = "10.20.1.15";
  static final String HOST2 = "10.20.1.16";
  static final String NETWORK = "10.30.0.5";
  static final String NOBODY = "172.31.5.5";
  static final String RESIDENTIAL = "192.168.40.9";
  static final String GOVERNMENT = "10.20.7.33";

  /** {@code line} first seen at {@code first} and last 90 s later. */
  static String seen(String line, String first) {
    return Findings.with(
        Findings.with(line, "first_seen", first),
        "last_seen",
        Instant.parse(first).plusSeconds(90).toString());
  }

  void province() {
    clock.set(T0);
    importDemoRegistry();
    List<String> lines = new ArrayList<>();
    lines.add(seen(Findings.UNIVERSITY, "2026-02-16T01:00:00Z"));
    // The same host again, by behaviour: a weaker finding without coin or algorithm, merged into
    // the first.
    lines.add(
        Findings.with(
            Findings.with(
                Findings.with(
                    Findings.with(
                        Findings.with(
                            Findings.with(
                                seen(Findings.UNIVERSITY, "2026-02-16T01:30:00Z"),
                                "protocol",
                                "mining-behaviour"),
                            "verdict",
                            "likely"),
                        "coin",
                        null),
                    "algorithm",
                    null),
                "kwh_per_day",
                null),
            "hashrate",
            null));
    lines.add(seen(Findings.GOVERNMENT, "2026-02-10T05:00:00Z"));
    lines.add(Findings.kwh(Findings.RESIDENTIAL, 0.5, 1, 2));
    // The research network (320000): Monday 15 December 2025, 00:00 in Beijing, the first of the
    // twelve weeks.
    lines.add(seen(Findings.host(Findings.UNIVERSITY, NETWORK), "2025-12-14T16:00:00Z"));
    // No unit holds 172.31.5.5; one second before the twelve weeks.
    lines.add(seen(Findings.host(Findings.GOVERNMENT, NOBODY), "2025-12-14T15:59:59Z"));
    // Pools and a Bitcoin node: not mining addresses.
    Findings.SCAN.stream().filter(l -> !l.contains("\"role\":\"miner\"")).forEach(lines::add);
    ingest(lines.toArray(String[]::new));
    walk(caseOf(RESIDENTIAL), CaseState.RECHECKED);

    clock.set(T1);
    walk(caseOf(HOST1), CaseState.DISPOSED);

    clock.set(T3);
    move(ADMIN, caseOf(RESIDENTIAL), CaseState.CLOSED);
    move(ADMIN, caseOf(GOVERNMENT), CaseState.REJECTED);
    // A second host of the university, first seen Monday 2 March at 00:30 in Beijing: joins the
    // disposed case.
    ingest(
        Findings.kwh(
            seen(Findings.host(Findings.UNIVERSITY, HOST2), "2026-03-01T16:30:00Z"), 1, 2, 4));
  }

  private static Map<String, Integer> counted(Map<String, Integer> m) {
    Map<String, Integer> out = new LinkedHashMap<>(m);
    out.values().removeIf(v -> v == 0);
    return out;
  }

  @Test
  void theProvinceAtAGlance() {
    province();

    Dashboard.Figures d = gov.dashboard(ADMIN, null);

    assertThat(d.scope()).isNull();
    assertThat(d.asOf()).isEqualTo(T3);
    assertThat(d.miningHosts()).isEqualTo(6);
    assertThat(d.units()).isEqualTo(4);
    assertThat(d.institutional()).isEqualTo(4);
    assertThat(d.shareGovUnivEnterprise()).isEqualTo(4 / 6.0);
    assertThat(d.kwhPerDay()).containsExactly(new double[] {1.67418, 3.8, 9.158}, within(1e-9));
    assertThat(d.savedKwhPerDay()).containsExactly(0.5, 1.0, 2.0);
    assertThat(d.openCases()).isEqualTo(3);
    // The two cases still detected (3 days) and the university's, disposed for more than 10 days.
    assertThat(d.overdueCases()).isEqualTo(3);
    assertThat(counted(d.casesByState()))
        .containsExactly(
            Map.entry("detected", 2),
            Map.entry("disposed", 1),
            Map.entry("closed", 1),
            Map.entry("rejected", 1));
    assertThat(counted(d.byCategory()))
        .containsOnly(
            Map.entry("university", 2),
            Map.entry("government", 1),
            Map.entry("public-institution", 1),
            Map.entry("residential", 1),
            Map.entry("unknown", 1));
    assertThat(d.byCoin())
        .containsExactly(Map.entry("monero", 3), Map.entry("unknown", 2), Map.entry("ethereum", 1));
    assertThat(d.byAlgorithm())
        .containsExactly(Map.entry("randomx", 3), Map.entry("sha256d", 2), Map.entry("ethash", 1));
    // Last week's list (23 February to 1 March) was empty.
    assertThat(d.clearance())
        .isEqualTo(
            new Statistics.Clearance(
                LocalDate.of(2026, 2, 23),
                LocalDate.of(2026, 3, 1),
                LocalDate.of(2026, 3, 6),
                0,
                0,
                1.0));

    assertThat(d.regions())
        .containsExactly(
            new Dashboard.RegionCount("32", "320000", "江苏省", 5, 4, false),
            new Dashboard.RegionCount(null, null, null, 1, 0, true));
    assertThat(d.trail()).containsExactly(new Dashboard.Place(null, null, null));

    assertThat(d.topUnits())
        .extracting(u -> u.unit().name(), Dashboard.UnitRow::hosts)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Findings.UNIVERSITY_NAME, 2),
            org.assertj.core.groups.Tuple.tuple(Findings.RESIDENTIAL_NAME, 1),
            org.assertj.core.groups.Tuple.tuple(
                "江苏省示例教育科研网 (Example Provincial Research Network)", 1),
            org.assertj.core.groups.Tuple.tuple(Findings.GOVERNMENT_NAME, 1));
    assertThat(d.topOperations())
        .extracting(
            ReportData.OperationRow::id,
            ReportData.OperationRow::hosts,
            ReportData.OperationRow::units)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("op-5a197b22", 3, 2),
            org.assertj.core.groups.Tuple.tuple("op-cdfe1257", 2, 2),
            org.assertj.core.groups.Tuple.tuple("op-c9755927", 1, 1));
  }

  @Test
  void twelveIsoWeeksInBeijingTime() {
    province();

    List<Dashboard.Week> weeks = gov.dashboard(ADMIN, null).weeks();

    assertThat(weeks)
        .extracting(Dashboard.Week::label)
        .containsExactly(
            "2025-W51",
            "2025-W52",
            "2026-W01",
            "2026-W02",
            "2026-W03",
            "2026-W04",
            "2026-W05",
            "2026-W06",
            "2026-W07",
            "2026-W08",
            "2026-W09",
            "2026-W10");
    assertThat(weeks.get(0).monday()).isEqualTo(LocalDate.of(2025, 12, 15));
    // The research network's host on the first week's first second; the residential one (2021) and
    // the
    // unattributed one (a second early) before it.
    assertThat(weeks)
        .extracting(Dashboard.Week::newAddresses)
        .containsExactly(1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1);
    assertThat(weeks)
        .extracting(Dashboard.Week::addresses)
        .containsExactly(3, 3, 3, 3, 3, 3, 3, 3, 4, 5, 5, 6);
    assertThat(weeks)
        .extracting(Dashboard.Week::units)
        .containsExactly(2, 2, 2, 2, 2, 2, 2, 2, 3, 4, 4, 4);
    assertThat(weeks)
        .extracting(Dashboard.Week::casesOpened)
        .containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0);
    assertThat(weeks)
        .extracting(Dashboard.Week::casesClosed)
        .containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    // Week 8's list: the university (disposed Thursday), the commission (rejected after Friday 27
    // February) and the
    // research network (still detected). The current week's list is not due yet.
    assertThat(weeks)
        .extracting(Dashboard.Week::listed)
        .containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, null);
    assertThat(weeks)
        .extracting(Dashboard.Week::cleared)
        .containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, null);
  }

  @Test
  void theSameNumbersAsTheStatistics() {
    province();

    for (var u : List.of(ADMIN, NANJING, SUZHOU, AUDITOR)) {
      Dashboard.Figures d = gov.dashboard(u, null);
      Statistics.Stats s = gov.stats(u);
      assertThat(d.miningHosts()).as(u.name()).isEqualTo(s.report().miningHosts());
      assertThat(d.units()).isEqualTo(s.report().units());
      assertThat(d.shareGovUnivEnterprise()).isEqualTo(s.report().shareGovUnivEnterprise());
      assertThat(d.kwhPerDay()).containsExactly(s.report().kwhPerDay());
      assertThat(d.byCategory()).containsExactlyEntriesOf(s.report().byCategory());
      assertThat(d.byCoin()).containsExactlyInAnyOrderEntriesOf(s.report().byCoin());
      assertThat(d.topUnits())
          .containsExactlyElementsOf(
              s.report().topUnits().stream()
                  .map(r -> new Dashboard.UnitRow(r.unit(), r.hosts(), r.kwhBest()))
                  .toList());
      assertThat(d.topOperations()).containsExactlyElementsOf(s.report().topOperations());
      assertThat(d.casesByState()).containsExactlyEntriesOf(s.casesByState());
      assertThat(d.openCases()).isEqualTo(s.openCases());
      assertThat(d.overdueCases()).isEqualTo(s.overdueCases());
      assertThat(d.savedKwhPerDay()).containsExactly(s.savedKwhPerDay());
      assertThat(d.clearance()).isEqualTo(s.clearance());
      assertThat(d.weeks().get(Dashboard.WEEKS - 1).addresses())
          .isEqualTo(s.report().miningHosts());
      assertThat(d.weeks().get(Dashboard.WEEKS - 1).units()).isEqualTo(s.report().units());
      assertThat(d.weeks().get(Dashboard.WEEKS - 2).listed()).isEqualTo(s.clearance().listed());
    }
  }

  @Test
  void drillingDownProvinceCityCounty() {
    province();

    Dashboard.Figures province = gov.dashboard(ADMIN, "32");
    assertThat(province.scope()).isEqualTo("32");
    assertThat(province.miningHosts()).isEqualTo(5);
    assertThat(province.regions())
        .containsExactly(
            new Dashboard.RegionCount("3201", "320100", "南京市", 2, 1, false),
            new Dashboard.RegionCount("3200", "320000", "江苏省", 1, 1, false),
            new Dashboard.RegionCount("3202", "320200", "无锡市", 1, 1, false),
            new Dashboard.RegionCount("3205", "320500", "苏州市", 1, 1, false));
    assertThat(province.trail())
        .containsExactly(
            new Dashboard.Place(null, null, null), new Dashboard.Place("32", "320000", "江苏省"));

    // A full code is its region: 320100 is Nanjing's city, 3201.
    Dashboard.Figures nanjing = gov.dashboard(ADMIN, "320100");
    assertThat(nanjing.scope()).isEqualTo("3201");
    assertThat(nanjing.miningHosts()).isEqualTo(2);
    assertThat(nanjing.units()).isEqualTo(1);
    assertThat(nanjing.shareGovUnivEnterprise()).isEqualTo(1.0);
    assertThat(nanjing.regions())
        .containsExactly(new Dashboard.RegionCount("320100", "320100", "南京市", 2, 1, true));
    assertThat(nanjing.trail())
        .extracting(Dashboard.Place::prefix)
        .containsExactly(null, "32", "3201");
    assertThat(counted(nanjing.casesByState())).containsExactly(Map.entry("disposed", 1));
    assertThat(nanjing.weeks())
        .extracting(Dashboard.Week::listed)
        .containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, null);

    assertThat(problem(() -> gov.dashboard(ADMIN, "32010")).field()).isEqualTo("region");
    assertThat(problem(() -> gov.dashboard(ADMIN, "abc")).kind()).isEqualTo(Problem.Kind.INVALID);
  }

  @Test
  void aRegionalOfficerSeesItsRegion() {
    province();

    Dashboard.Figures d = gov.dashboard(NANJING, null);
    assertThat(d.scope()).isEqualTo("3201");
    assertThat(d.miningHosts()).isEqualTo(2);
    assertThat(counted(d.byCategory())).containsOnly(Map.entry("university", 2));
    assertThat(d.byCoin()).containsExactly(Map.entry("monero", 2));
    assertThat(d.regions()).extracting(Dashboard.RegionCount::prefix).containsExactly("320100");
    assertThat(d.trail()).containsExactly(new Dashboard.Place("3201", "320100", "南京市"));
    assertThat(d.openCases()).isEqualTo(1);
    assertThat(d.weeks())
        .extracting(Dashboard.Week::casesOpened)
        .containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0);
    // Above its region: its own region; beside it: refused and audited.
    assertThat(gov.dashboard(NANJING, "32").scope()).isEqualTo("3201");
    long before = audit().size();
    assertThat(problem(() -> gov.dashboard(NANJING, "3202")).kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);
    assertThat(audit()).hasSize((int) before + 1);
    assertThat(lastAudit().action()).isEqualTo("denied");

    assertThat(problem(() -> gov.dashboard(user(Role.UNIT_CONTACT), null)).kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);
    assertThat(problem(() -> gov.dashboard(SENSOR, null)).kind()).isEqualTo(Problem.Kind.FORBIDDEN);
  }

  /** The ids of the cases a list with these filters gives, in order. */
  private List<Long> ids(
      String category, String coin, String region, String algorithm, String operation) {
    return gov
        .listCases(
            ADMIN,
            new CaseQuery(
                List.of(), region, null, null, category, coin, null, "number", 1, 50, algorithm,
                operation))
        .cases()
        .stream()
        .map(CaseViews.Summary::id)
        .sorted()
        .toList();
  }

  @Test
  void everyFigureHasItsCases() {
    province();
    long univ = caseOf(HOST1);
    long commission = caseOf(GOVERNMENT);
    long home = caseOf(RESIDENTIAL);
    long network = caseOf(NETWORK);
    long nobody = caseOf(NOBODY);

    assertThat(ids(null, null, null, "randomx", null)).containsExactly(univ, network);
    assertThat(ids(null, null, null, "sha256d", null)).containsExactly(commission, nobody);
    assertThat(ids(null, null, null, "RandomX", null)).containsExactly(univ, network);
    assertThat(ids(null, null, null, "unknown", null)).isEmpty();
    assertThat(ids(null, null, null, null, "op-cdfe1257")).containsExactly(commission, nobody);
    assertThat(ids(null, "unknown", null, null, null)).containsExactly(commission, nobody);
    assertThat(ids(null, "monero", null, null, null)).containsExactly(univ, network);
    assertThat(ids("unknown", null, null, null, null)).containsExactly(nobody);
    assertThat(ids(String.join(",", Dashboard.institutionalCategories()), null, null, null, null))
        .containsExactly(univ, commission, network);
    assertThat(ids(null, null, "none", null, null)).containsExactly(nobody);
    assertThat(ids(null, null, "3200", null, null)).containsExactly(network);
    assertThat(ids(null, null, "32", null, null)).containsExactly(univ, commission, home, network);
    assertThat(
            problem(
                    () ->
                        new CaseQuery(
                            List.of(), null, null, null, null, null, null, null, 1, 50, "x y",
                            null))
                .field())
        .isEqualTo("algorithm");
    assertThat(
            problem(
                    () ->
                        new CaseQuery(List.of(), null, null, null, "a;b", null, null, null, 1, 50))
                .field())
        .isEqualTo("category");
    assertThat(ids(null, null, null, null, null)).hasSize(5);
  }
}
