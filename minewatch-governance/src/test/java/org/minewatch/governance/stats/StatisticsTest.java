package org.minewatch.governance.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.minewatch.governance.GovernanceTestBase;
import org.minewatch.governance.Problem;
import org.minewatch.governance.cases.CaseState;
import org.minewatch.governance.user.Role;

/** The report's figures over the live database, the case figures and the weekly clearance (清零). */
class StatisticsTest extends GovernanceTestBase {

  private static Map<String, Integer> states(int... counts) {
    Map<String, Integer> m = new LinkedHashMap<>();
    CaseState[] all = CaseState.values();
    for (int i = 0; i < all.length; i++) {
      m.put(all[i].label(), counts[i]);
    }
    return m;
  }

  /** The entries of a figure that count something. */
  private static Map<String, Integer> counted(Map<String, Integer> m) {
    Map<String, Integer> out = new LinkedHashMap<>(m);
    out.values().removeIf(v -> v == 0);
    return out;
  }

  @Test
  void figuresAfterIngest() {
    sampleCases();

    Statistics.Stats s = gov.stats(ADMIN);

    assertThat(s.report().miningHosts()).isEqualTo(3);
    assertThat(s.report().units()).isEqualTo(3);
    assertThat(counted(s.report().byCategory()))
        .containsOnly(
            Map.entry("university", 1), Map.entry("government", 1), Map.entry("residential", 1));
    assertThat(counted(s.report().byCoin()))
        .containsOnly(Map.entry("monero", 1), Map.entry("ethereum", 1), Map.entry("unknown", 1));
    assertThat(s.report().compromised()).isEqualTo(1);
    assertThat(s.report().deliberate()).isEqualTo(1);
    assertThat(s.report().undetermined()).isEqualTo(1);
    assertThat(s.report().kwhPerDay()).containsExactly(0.08709, 0.4, 1.579);
    // detected, dispatched, ownership-verified, inspected, disposed, rectifying, rechecked, closed,
    // rejected, reopened
    assertThat(s.casesByState()).containsExactlyEntriesOf(states(3, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    assertThat(s.openCases()).isEqualTo(3);
    assertThat(s.overdueCases()).isZero();
    assertThat(s.savedKwhPerDay()).containsExactly(0, 0, 0);
  }

  @Test
  void aClosedCaseSavesItsEnergy() {
    sampleCases();
    walk(caseOf("10.20.1.15"), CaseState.CLOSED);

    Statistics.Stats s = gov.stats(AUDITOR);

    assertThat(s.casesByState()).containsExactlyEntriesOf(states(2, 0, 0, 0, 0, 0, 0, 1, 0, 0));
    assertThat(s.openCases()).isEqualTo(2);
    // Closing took 14 quiet days: the two untouched cases are past their 3 days in detected.
    assertThat(s.overdueCases()).isEqualTo(2);
    assertThat(s.savedKwhPerDay()).containsExactly(0.08709, 0.4, 1.579);
  }

  @Test
  void aRegionalOfficerSeesItsRegionsFigures() {
    sampleCases();

    Statistics.Stats s = gov.stats(NANJING);

    assertThat(s.report().miningHosts()).isEqualTo(1);
    assertThat(counted(s.report().byCategory())).containsOnly(Map.entry("university", 1));
    assertThat(s.casesByState()).containsExactlyEntriesOf(states(1, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    assertThat(counted(gov.stats(SUZHOU).report().byCoin())).containsOnly(Map.entry("ethereum", 1));
    assertThat(problem(() -> gov.stats(user(Role.UNIT_CONTACT))).kind())
        .isEqualTo(Problem.Kind.FORBIDDEN);
    assertThat(problem(() -> gov.stats(SENSOR)).kind()).isEqualTo(Problem.Kind.FORBIDDEN);
  }

  @Test
  void lastWeeksPriorityListIsClearedByFriday() {
    sampleCases();
    // This week's list (opened Monday 2 March) is not last week's.
    assertThat(gov.stats(ADMIN).clearance())
        .isEqualTo(
            new Statistics.Clearance(
                LocalDate.of(2026, 2, 23),
                LocalDate.of(2026, 3, 1),
                LocalDate.of(2026, 3, 6),
                0,
                0,
                1.0));
    clock.advance(Duration.ofDays(1));
    move(NANJING, caseOf("10.20.1.15"), CaseState.REJECTED);

    // Next Monday: last week's list holds the university and the government unit; one is cleared.
    clock.set(Instant.parse("2026-03-09T02:00:00Z"));
    assertThat(gov.stats(ADMIN).clearance())
        .isEqualTo(
            new Statistics.Clearance(
                LocalDate.of(2026, 3, 2),
                LocalDate.of(2026, 3, 8),
                LocalDate.of(2026, 3, 13),
                2,
                1,
                0.5));

    // Disposed on Saturday is too late for Friday.
    clock.set(Instant.parse("2026-03-14T02:00:00Z"));
    walk(caseOf("10.20.7.33"), CaseState.DISPOSED);
    assertThat(gov.stats(ADMIN).clearance())
        .isEqualTo(
            new Statistics.Clearance(
                LocalDate.of(2026, 3, 2),
                LocalDate.of(2026, 3, 8),
                LocalDate.of(2026, 3, 13),
                2,
                1,
                0.5));
    // Nanjing's officer counts its own region's list only.
    assertThat(gov.stats(NANJING).clearance())
        .extracting(Statistics.Clearance::listed, Statistics.Clearance::cleared)
        .containsExactly(1, 1);
  }

  @Test
  void aCaseDisposedByFridayCounts() {
    sampleCases();
    // Friday 6 March, 23:00 in Beijing: still in time.
    clock.set(Instant.parse("2026-03-06T15:00:00Z"));
    walk(caseOf("10.20.7.33"), CaseState.DISPOSED);
    clock.set(Instant.parse("2026-03-10T02:00:00Z"));
    assertThat(gov.stats(ADMIN).clearance())
        .extracting(
            Statistics.Clearance::listed,
            Statistics.Clearance::cleared,
            Statistics.Clearance::share)
        .containsExactly(2, 1, 0.5);
  }
}
