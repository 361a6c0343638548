package org.minewatch.governance.order;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * What a price order is computed from. Metered kWh, when given, win over the estimate.
 *
 * @param meteredKwh the consumption read from the meter for the period, or null
 * @param kwhPerDay the energy estimate {low, best, high} in kWh per day, or null when metered
 * @param start first day of use, both ends inclusive; null when unknown
 * @param end last day of use (or the day the mining was found)
 * @param tariffApplied for tariff-misuse: the tariff the account was billed at, yuan/kWh
 * @param tariffDue for tariff-misuse: the tariff that should have applied, yuan/kWh
 */
public record PriceInput(
    BigDecimal meteredKwh,
    double[] kwhPerDay,
    LocalDate start,
    LocalDate end,
    BigDecimal tariffApplied,
    BigDecimal tariffDue) {

  public PriceInput {
    kwhPerDay = kwhPerDay == null ? null : kwhPerDay.clone();
  }

  @Override
  public double[] kwhPerDay() {
    return kwhPerDay == null ? null : kwhPerDay.clone();
  }

  public static PriceInput metered(BigDecimal kwh, LocalDate start, LocalDate end) {
    return new PriceInput(kwh, null, start, end, null, null);
  }

  public static PriceInput estimated(
      double low, double best, double high, LocalDate start, LocalDate end) {
    return new PriceInput(null, new double[] {low, best, high}, start, end, null, null);
  }

  /** The same input with the two tariffs of a tariff-misuse case. */
  public PriceInput withTariffs(BigDecimal applied, BigDecimal due) {
    return new PriceInput(meteredKwh, kwhPerDay, start, end, applied, due);
  }
}
