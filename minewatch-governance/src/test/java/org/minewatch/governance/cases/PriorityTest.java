package org.minewatch.governance.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.minewatch.attribution.registry.UnitCategory;

/** The campaign's three priorities as points, exactly as documented in {@link Priority}. */
class PriorityTest {

  @Test
  void nothingOfTheThreePrioritiesScoresNothing() {
    assertThat(Priority.score(0, 1, null, List.of(), "undetermined"))
        .isEqualTo(new Priority.Score(0, false, List.of()));
    assertThat(Priority.score(99.9, 9, UnitCategory.ENTERPRISE, List.of("monero"), null))
        .isEqualTo(new Priority.Score(0, false, List.of()));
  }

  @ParameterizedTest(name = "{0} kWh/day -> {1}")
  @CsvSource({
      "99.99, 0",
      "100, 20",
      "999.9, 20",
      "1000, 35",
      "9999.4, 35",
      "10000, 50",
      "250000, 50"})
  void scaleByEnergyPerDay(double kwh, int points) {
    Priority.Score s = Priority.score(kwh, 1, null, List.of(), null);
    assertThat(s.points()).isEqualTo(points);
    assertThat(s.onList()).isEqualTo(points > 0);
    assertThat(s.reasons()).isEqualTo(points == 0 ? List.of()
        : List.of("industrial scale: " + String.format(java.util.Locale.ROOT, "%.0f", kwh) + " kWh/day (best estimate)"));
  }

  @Test
  void tenMiningHostsAreIndustrialScaleCountedOnceWithEnergy() {
    assertThat(Priority.score(50, 10, null, List.of(), null))
        .isEqualTo(new Priority.Score(20, true, List.of("industrial scale: 10 mining hosts")));
    assertThat(Priority.score(50, 9, null, List.of(), null).points()).isZero();
    // Energy and hosts both at +20: one +20, told by the energy.
    assertThat(Priority.score(150, 12, null, List.of(), null))
        .isEqualTo(new Priority.Score(20, true, List.of("industrial scale: 150 kWh/day (best estimate)")));
    // The larger of the two counts.
    assertThat(Priority.score(1500, 12, null, List.of(), null))
        .isEqualTo(new Priority.Score(35, true, List.of("industrial scale: 1500 kWh/day (best estimate)")));
  }

  @ParameterizedTest
  @EnumSource(UnitCategory.class)
  void stateOwnedUnitsAndPublicBodiesAreAPriority(UnitCategory category) {
    boolean publicBody = List.of(UnitCategory.GOVERNMENT, UnitCategory.PUBLIC_INSTITUTION, UnitCategory.UNIVERSITY,
        UnitCategory.SOE).contains(category);
    Priority.Score s = Priority.score(0, 1, category, List.of(), null);
    assertThat(s).isEqualTo(publicBody
        ? new Priority.Score(30, true, List.of("state-owned or public body: " + category.label()))
        : new Priority.Score(0, false, List.of()));
  }

  @Test
  void bitcoinIsAPriority() {
    assertThat(Priority.score(0, 1, null, List.of("monero", "bitcoin"), null))
        .isEqualTo(new Priority.Score(20, true, List.of("Bitcoin mining")));
    assertThat(Priority.score(0, 1, null, List.of("bitcoin-cash"), null).points()).isZero();
  }

  @Test
  void theAssessmentAddsPointsButIsNoPriorityByItself() {
    assertThat(Priority.score(0, 1, null, List.of(), "deliberate"))
        .isEqualTo(new Priority.Score(10, false, List.of("deliberate mining")));
    assertThat(Priority.score(0, 1, null, List.of(), "compromised"))
        .isEqualTo(new Priority.Score(5, false, List.of("compromised host")));
  }

  @Test
  void allThreePrioritiesAddUp() {
    assertThat(Priority.score(2000, 12, UnitCategory.UNIVERSITY, List.of("bitcoin", "monero"), "deliberate"))
        .isEqualTo(new Priority.Score(35 + 30 + 20 + 10, true, List.of("industrial scale: 2000 kWh/day (best estimate)",
            "state-owned or public body: university", "Bitcoin mining", "deliberate mining")));
  }
}
