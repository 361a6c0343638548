package org.minewatch.governance.order;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * The amount of a price order, with the arithmetic spelled out so the reader can check it. kWh and
 * amounts have two decimals (HALF_UP); each amount is the rounded kWh × {@code yuanPerKwh}, so the
 * figures on the document recompute exactly. When metered, low = best = high.
 *
 * @param start first day of the period (inclusive); for tariff-misuse without a known start, 89
 *     days before {@code end} and {@code startAssumed} is true; null when metered without a period
 * @param days days in the period, both ends inclusive; null when metered without a period
 * @param yuanPerKwh the charge per kWh: the surcharge, or 3 × (tariffDue − tariffApplied)
 * @param formulaZh the calculation with the numbers filled in, e.g. "12,000.00 kWh × 1.00 元/kWh =
 *     12,000.00 元"
 * @param notesZh what the reader must know about the figures (estimate, assumed period), may be
 *     empty
 */
public record PriceComputation(
    TariffPolicy policy,
    Basis basis,
    LocalDate start,
    LocalDate end,
    Integer days,
    boolean startAssumed,
    BigDecimal tariffApplied,
    BigDecimal tariffDue,
    BigDecimal yuanPerKwh,
    BigDecimal kwhLow,
    BigDecimal kwhBest,
    BigDecimal kwhHigh,
    BigDecimal amountLow,
    BigDecimal amountBest,
    BigDecimal amountHigh,
    String formulaZh,
    String formulaEn,
    List<String> notesZh,
    List<String> notesEn) {

  /** Where the kWh come from. */
  public enum Basis {
    METERED("metered"),
    ESTIMATED("estimated");

    private final String label;

    Basis(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public PriceComputation {
    notesZh = List.copyOf(notesZh);
    notesEn = List.copyOf(notesEn);
  }

  public String formula(String lang) {
    return "zh".equals(OrderMessages.of(lang).lang()) ? formulaZh : formulaEn;
  }

  public List<String> notes(String lang) {
    return "zh".equals(OrderMessages.of(lang).lang()) ? notesZh : notesEn;
  }
}
