package org.minewatch.governance.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PriceCalculatorTest {
  private static final TariffPolicies POLICIES = TariffPolicies.builtIn();
  private static final TariffPolicy INNER_MONGOLIA = POLICIES.require("inner-mongolia-2022");
  private static final TariffPolicy SICHUAN = POLICIES.require("sichuan-2022");
  private static final TariffPolicy HAINAN = POLICIES.require("hainan-2021");
  private static final TariffPolicy MISUSE = POLICIES.require("tariff-misuse");
  private static final LocalDate JAN_1 = LocalDate.of(2026, 1, 1);
  private static final LocalDate JAN_31 = LocalDate.of(2026, 1, 31);

  @Test
  void meteredAtInnerMongolia() {
    // 12,345.6 kWh × 1.00 yuan/kWh = 12,345.60 yuan
    PriceComputation p =
        PriceCalculator.compute(
            INNER_MONGOLIA, PriceInput.metered(new BigDecimal("12345.6"), null, null));
    assertThat(p.basis()).isEqualTo(PriceComputation.Basis.METERED);
    assertThat(p.basis().label()).isEqualTo("metered");
    assertThat(p.days()).isNull();
    assertThat(p.kwhLow()).isEqualTo(new BigDecimal("12345.60"));
    assertThat(p.kwhBest()).isEqualTo(new BigDecimal("12345.60"));
    assertThat(p.kwhHigh()).isEqualTo(new BigDecimal("12345.60"));
    assertThat(p.amountLow()).isEqualTo(new BigDecimal("12345.60"));
    assertThat(p.amountBest()).isEqualTo(new BigDecimal("12345.60"));
    assertThat(p.amountHigh()).isEqualTo(new BigDecimal("12345.60"));
    assertThat(p.formulaZh()).isEqualTo("12,345.60 kWh × 1.00 元/kWh = 12,345.60 元");
    assertThat(p.formulaEn()).isEqualTo("12,345.60 kWh × 1.00 yuan/kWh = 12,345.60 yuan");
    assertThat(p.notesZh()).isEmpty();
  }

  @Test
  void meteredWithAPeriodCountsItsDaysInclusive() {
    PriceComputation p =
        PriceCalculator.compute(
            INNER_MONGOLIA, PriceInput.metered(new BigDecimal("12000"), JAN_1, JAN_31));
    assertThat(p.days()).isEqualTo(31);
    assertThat(p.amountBest()).isEqualTo(new BigDecimal("12000.00"));
    assertThat(p.formulaZh()).isEqualTo("12,000.00 kWh × 1.00 元/kWh = 12,000.00 元");
  }

  @Test
  void estimatedAtHainanOverAPeriod() {
    // 31 days: 100 × 31 = 3,100; 120.5 × 31 = 3,735.5; 150 × 31 = 4,650 kWh; × 0.80 yuan/kWh
    PriceComputation p =
        PriceCalculator.compute(HAINAN, PriceInput.estimated(100, 120.5, 150, JAN_1, JAN_31));
    assertThat(p.basis()).isEqualTo(PriceComputation.Basis.ESTIMATED);
    assertThat(p.days()).isEqualTo(31);
    assertThat(p.kwhLow()).isEqualTo(new BigDecimal("3100.00"));
    assertThat(p.kwhBest()).isEqualTo(new BigDecimal("3735.50"));
    assertThat(p.kwhHigh()).isEqualTo(new BigDecimal("4650.00"));
    assertThat(p.amountLow()).isEqualTo(new BigDecimal("2480.00"));
    assertThat(p.amountBest()).isEqualTo(new BigDecimal("2988.40"));
    assertThat(p.amountHigh()).isEqualTo(new BigDecimal("3720.00"));
    assertThat(p.formulaZh())
        .isEqualTo(
            "（低 / 最可能 / 高）100.00 / 120.50 / 150.00 kWh/天 × 31 天 = "
                + "3,100.00 / 3,735.50 / 4,650.00 kWh；× 0.80 元/kWh = 2,480.00 / 2,988.40 / 3,720.00 元");
    assertThat(p.formulaEn())
        .isEqualTo(
            "(low / best / high) 100.00 / 120.50 / 150.00 kWh/day × 31 days = "
                + "3,100.00 / 3,735.50 / 4,650.00 kWh; × 0.80 yuan/kWh = 2,480.00 / 2,988.40 / 3,720.00 yuan");
    assertThat(p.notesEn()).singleElement().asString().startsWith("The consumption is inferred");
  }

  @Test
  void sichuanChargesTheWholeAccount() {
    // 50,000 kWh on the account × 2.00 yuan/kWh = 100,000.00 yuan
    PriceComputation metered =
        PriceCalculator.compute(
            SICHUAN, PriceInput.metered(new BigDecimal("50000"), JAN_1, JAN_31));
    assertThat(metered.amountBest()).isEqualTo(new BigDecimal("100000.00"));
    assertThat(metered.formulaZh()).isEqualTo("50,000.00 kWh × 2.00 元/kWh = 100,000.00 元");
    assertThat(metered.notesZh()).isEmpty();

    // An estimate covers only the miners, so the document says the meter must be read.
    PriceComputation estimated =
        PriceCalculator.compute(SICHUAN, PriceInput.estimated(10, 10, 10, JAN_1, JAN_31));
    assertThat(estimated.amountBest()).isEqualTo(new BigDecimal("620.00"));
    assertThat(estimated.notesZh()).hasSize(2);
    assertThat(estimated.notesZh().get(1)).contains("户号的全部用电量");
    assertThat(estimated.notesEn().get(1)).contains("account's entire consumption");
  }

  @Test
  void tariffMisuseWithAStartDateIsThreeTimesTheDifference() {
    // 10 days; (0.6431 − 0.3598) × 3 = 0.8499 yuan/kWh
    // 2,000 kWh → 1,699.80; 2,400 kWh → 2,039.76; 3,000 kWh → 2,549.70 yuan
    PriceComputation p =
        PriceCalculator.compute(
            MISUSE,
            PriceInput.estimated(200, 240, 300, LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 10))
                .withTariffs(new BigDecimal("0.3598"), new BigDecimal("0.6431")));
    assertThat(p.days()).isEqualTo(10);
    assertThat(p.startAssumed()).isFalse();
    assertThat(p.yuanPerKwh()).isEqualByComparingTo("0.8499");
    assertThat(p.tariffApplied()).isEqualByComparingTo("0.3598");
    assertThat(p.tariffDue()).isEqualByComparingTo("0.6431");
    assertThat(p.kwhBest()).isEqualTo(new BigDecimal("2400.00"));
    assertThat(p.amountLow()).isEqualTo(new BigDecimal("1699.80"));
    assertThat(p.amountBest()).isEqualTo(new BigDecimal("2039.76"));
    assertThat(p.amountHigh()).isEqualTo(new BigDecimal("2549.70"));
    assertThat(p.formulaZh())
        .isEqualTo(
            "（低 / 最可能 / 高）200.00 / 240.00 / 300.00 kWh/天 × 10 天 = "
                + "2,000.00 / 2,400.00 / 3,000.00 kWh；× (0.6431 - 0.3598) 元/kWh × 3 = 1,699.80 / 2,039.76 / 2,549.70 元");
  }

  @Test
  void tariffMisuseWithoutAStartDateTakesNinetyDays() {
    // 2026-01-01 .. 2026-03-31 is 90 days; 100 kWh/day × 90 = 9,000 kWh; (0.80 − 0.50) × 3 = 0.90;
    // = 8,100.00
    PriceComputation p =
        PriceCalculator.compute(
            MISUSE,
            PriceInput.estimated(100, 100, 100, null, LocalDate.of(2026, 3, 31))
                .withTariffs(new BigDecimal("0.50"), new BigDecimal("0.80")));
    assertThat(p.startAssumed()).isTrue();
    assertThat(p.days()).isEqualTo(90);
    assertThat(p.start()).isEqualTo(JAN_1);
    assertThat(p.kwhBest()).isEqualTo(new BigDecimal("9000.00"));
    assertThat(p.amountBest()).isEqualTo(new BigDecimal("8100.00"));
    assertThat(p.notesZh())
        .contains("使用起讫日期难以确定，依《供电营业规则》实际使用时间按三个月计算，取 90 天：2026年1月1日至2026年3月31日。");
    assertThat(p.notesEn())
        .contains(
            "The start and end of the use cannot be determined, so under the Power Supply "
                + "Business Rules the period is three months, taken as 90 days: 1 January 2026 to 31 March 2026.");
  }

  @Test
  void tariffMisuseMetered() {
    // 12,000 kWh × (0.80 − 0.50) × 3 = 10,800.00
    PriceComputation p =
        PriceCalculator.compute(
            MISUSE,
            PriceInput.metered(new BigDecimal("12000"), null, null)
                .withTariffs(new BigDecimal("0.50"), new BigDecimal("0.80")));
    assertThat(p.amountBest()).isEqualTo(new BigDecimal("10800.00"));
    assertThat(p.formulaEn())
        .isEqualTo("12,000.00 kWh × (0.80 - 0.50) yuan/kWh × 3 = 10,800.00 yuan");
  }

  @Test
  void roundingIsHalfUpOnKwhThenOnTheAmount() {
    // 0.125 kWh → 0.13 (half-even would give 0.12); × 1.00 = 0.13
    PriceComputation kwh =
        PriceCalculator.compute(
            INNER_MONGOLIA, PriceInput.metered(new BigDecimal("0.125"), null, null));
    assertThat(kwh.kwhBest()).isEqualTo(new BigDecimal("0.13"));
    assertThat(kwh.amountBest()).isEqualTo(new BigDecimal("0.13"));
    // 333.335 kWh → 333.34; × 0.80 = 266.672 → 266.67
    PriceComputation down =
        PriceCalculator.compute(HAINAN, PriceInput.metered(new BigDecimal("333.335"), null, null));
    assertThat(down.amountBest()).isEqualTo(new BigDecimal("266.67"));
    // 0.30 kWh × (0.55 − 0.50) × 3 = 0.045 → 0.05 (half-even would give 0.04)
    PriceComputation half =
        PriceCalculator.compute(
            MISUSE,
            PriceInput.metered(new BigDecimal("0.3"), null, null)
                .withTariffs(new BigDecimal("0.50"), new BigDecimal("0.55")));
    assertThat(half.amountBest()).isEqualTo(new BigDecimal("0.05"));
  }

  @Test
  void invalidInputNamesTheField() {
    assertRefused(
        INNER_MONGOLIA,
        PriceInput.metered(new BigDecimal("-1"), null, null),
        "meteredKwh: must not be negative, got -1");
    assertRefused(
        HAINAN,
        PriceInput.estimated(1, 2, 3, JAN_31, JAN_1),
        "end: 2026-01-01 is before start 2026-01-31");
    assertRefused(
        HAINAN,
        PriceInput.estimated(3, 2, 1, JAN_1, JAN_31),
        "kwhPerDay: needs low <= best <= high, got 3.0, 2.0, 1.0");
    assertRefused(
        HAINAN,
        PriceInput.estimated(-1, 2, 3, JAN_1, JAN_31),
        "kwhPerDay: values must be finite and not negative, got -1.0");
    assertRefused(
        HAINAN,
        new PriceInput(null, new double[] {1, 2}, JAN_1, JAN_31, null, null),
        "kwhPerDay: needs three values {low, best, high}, got 2");
    assertRefused(
        HAINAN,
        new PriceInput(null, null, JAN_1, JAN_31, null, null),
        "kwhPerDay: give meteredKwh or the estimate {low, best, high} in kWh/day");
    assertRefused(
        HAINAN,
        PriceInput.estimated(1, 2, 3, null, JAN_31),
        "start: the start date of the mining is needed to estimate the consumption under hainan-2021 "
            + "(only tariff-misuse assumes three months)");
    assertRefused(
        HAINAN,
        PriceInput.estimated(1, 2, 3, JAN_1, null),
        "end: a period with a start needs an end date");
    assertRefused(
        MISUSE,
        PriceInput.estimated(1, 2, 3, null, null).withTariffs(BigDecimal.ZERO, BigDecimal.ONE),
        "end: an estimate needs the period's end date");
    assertRefused(
        MISUSE,
        PriceInput.metered(BigDecimal.TEN, null, null),
        "tariffApplied: tariff-misuse needs the tariff the account was billed at");
    assertRefused(
        MISUSE,
        PriceInput.metered(BigDecimal.TEN, null, null).withTariffs(BigDecimal.ONE, null),
        "tariffDue: tariff-misuse needs the tariff that should have applied");
    assertRefused(
        MISUSE,
        PriceInput.metered(BigDecimal.TEN, null, null)
            .withTariffs(new BigDecimal("0.8"), new BigDecimal("0.5")),
        "tariffDue: 0.5 must exceed tariffApplied 0.8, or there is no difference to charge");
  }

  private static void assertRefused(TariffPolicy policy, PriceInput input, String message) {
    assertThatThrownBy(() -> PriceCalculator.compute(policy, input))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
