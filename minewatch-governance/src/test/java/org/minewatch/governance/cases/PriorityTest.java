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
  /** A score with its reasons in English, as the API and the exports show them. */
  record Text(int points, boolean onList, List<String> reasons) {}

  static Text english(Priority.Score s) {
    return new Text(s.points(), s.onList(), s.reasons().stream().map(Reasons::english).toList());
  }

  @Test
  void reasonsReadInChinese() {
    Priority.Score s =
        Priority.score(2000, 12, UnitCategory.UNIVERSITY, List.of("bitcoin"), "compromised");
    assertThat(s.reasons().stream().map(r -> Reasons.text(r, java.util.Locale.CHINESE)).toList())
        .containsExactly("规模化挖矿：日耗电 2000 千瓦时（最佳估计）", "国有或公共单位：高校及学校", "比特币挖矿", "主机被入侵挖矿");
  }

  @Test
  void bothLanguagesHaveTheSameCodes() throws java.io.IOException {
    assertThat(keys("priority_zh.properties")).isEqualTo(keys("priority.properties"));
  }

  private static List<String> keys(String file) throws java.io.IOException {
    java.util.Properties p = new java.util.Properties();
    try (var in = Reasons.class.getResourceAsStream(file)) {
      p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
    }
    return p.stringPropertyNames().stream().sorted().toList();
  }

  @Test
  void nothingOfTheThreePrioritiesScoresNothing() {
    assertThat(english(Priority.score(0, 1, null, List.of(), "undetermined")))
        .isEqualTo(new Text(0, false, List.of()));
    assertThat(english(Priority.score(99.9, 9, UnitCategory.ENTERPRISE, List.of("monero"), null)))
        .isEqualTo(new Text(0, false, List.of()));
  }

  @ParameterizedTest(name = "{0} kWh/day -> {1}")
  @CsvSource({
    "99.99, 0",
    "100, 20",
    "999.9, 20",
    "1000, 35",
    "9999.4, 35",
    "10000, 50",
    "250000, 50"
  })
  void scaleByEnergyPerDay(double kwh, int points) {
    Priority.Score s = Priority.score(kwh, 1, null, List.of(), null);
    assertThat(s.points()).isEqualTo(points);
    assertThat(s.onList()).isEqualTo(points > 0);
    assertThat(english(s).reasons())
        .isEqualTo(
            points == 0
                ? List.of()
                : List.of(
                    "industrial scale: "
                        + String.format(java.util.Locale.ROOT, "%.0f", kwh)
                        + " kWh/day (best estimate)"));
  }

  @Test
  void tenMiningHostsAreIndustrialScaleCountedOnceWithEnergy() {
    assertThat(english(Priority.score(50, 10, null, List.of(), null)))
        .isEqualTo(new Text(20, true, List.of("industrial scale: 10 mining hosts")));
    assertThat(Priority.score(50, 9, null, List.of(), null).points()).isZero();
    // Energy and hosts both at +20: one +20, told by the energy.
    assertThat(english(Priority.score(150, 12, null, List.of(), null)))
        .isEqualTo(new Text(20, true, List.of("industrial scale: 150 kWh/day (best estimate)")));
    // The larger of the two counts.
    assertThat(english(Priority.score(1500, 12, null, List.of(), null)))
        .isEqualTo(new Text(35, true, List.of("industrial scale: 1500 kWh/day (best estimate)")));
  }

  @ParameterizedTest
  @EnumSource(UnitCategory.class)
  void stateOwnedUnitsAndPublicBodiesAreAPriority(UnitCategory category) {
    boolean publicBody =
        List.of(
                UnitCategory.GOVERNMENT,
                UnitCategory.PUBLIC_INSTITUTION,
                UnitCategory.UNIVERSITY,
                UnitCategory.SOE)
            .contains(category);
    Priority.Score s = Priority.score(0, 1, category, List.of(), null);
    assertThat(english(s))
        .isEqualTo(
            publicBody
                ? new Text(30, true, List.of("state-owned or public body: " + category.label()))
                : new Text(0, false, List.of()));
  }

  @Test
  void bitcoinIsAPriority() {
    assertThat(english(Priority.score(0, 1, null, List.of("monero", "bitcoin"), null)))
        .isEqualTo(new Text(20, true, List.of("Bitcoin mining")));
    assertThat(Priority.score(0, 1, null, List.of("bitcoin-cash"), null).points()).isZero();
  }

  @Test
  void theAssessmentAddsPointsButIsNoPriorityByItself() {
    assertThat(english(Priority.score(0, 1, null, List.of(), "deliberate")))
        .isEqualTo(new Text(10, false, List.of("deliberate mining")));
    assertThat(english(Priority.score(0, 1, null, List.of(), "compromised")))
        .isEqualTo(new Text(5, false, List.of("compromised host")));
  }

  @Test
  void allThreePrioritiesAddUp() {
    assertThat(
            english(
                Priority.score(
                    2000, 12, UnitCategory.UNIVERSITY, List.of("bitcoin", "monero"), "deliberate")))
        .isEqualTo(
            new Text(
                35 + 30 + 20 + 10,
                true,
                List.of(
                    "industrial scale: 2000 kWh/day (best estimate)",
                    "state-owned or public body: university",
                    "Bitcoin mining",
                    "deliberate mining")));
  }
}
