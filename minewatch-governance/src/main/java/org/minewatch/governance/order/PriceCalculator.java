package org.minewatch.governance.order;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Computes the amount of a punitive electricity-price order from a policy and the case's figures.
 */
public final class PriceCalculator {
  /** Tariff misuse: the difference itself plus twice the difference as the penalty. */
  public static final BigDecimal MISUSE_MULTIPLE = BigDecimal.valueOf(3);

  /** Tariff misuse with an undeterminable start: "three months", taken as 90 days. */
  public static final int MISUSE_DEFAULT_DAYS = 90;

  private PriceCalculator() {}

  /**
   * @throws IllegalArgumentException whose message starts with the offending field of {@link
   *     PriceInput} (meteredKwh, kwhPerDay, start, end, tariffApplied, tariffDue)
   */
  public static PriceComputation compute(TariffPolicy policy, PriceInput input) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(input, "input");
    boolean misuse = policy.kind() == PolicyKind.TARIFF_MISUSE;
    boolean metered = input.meteredKwh() != null;
    if (metered && input.meteredKwh().signum() < 0) {
      throw new IllegalArgumentException(
          "meteredKwh: must not be negative, got " + input.meteredKwh());
    }
    double[] perDay = metered ? null : checkEstimate(input.kwhPerDay());
    BigDecimal rate = misuse ? misuseRate(input) : policy.yuanPerKwh();

    LocalDate end = input.end();
    LocalDate start = input.start();
    boolean startAssumed = false;
    if (start != null && end == null) {
      throw new IllegalArgumentException("end: a period with a start needs an end date");
    }
    if (end != null && start == null) {
      if (misuse) {
        start = end.minusDays(MISUSE_DEFAULT_DAYS - 1L);
        startAssumed = true;
      } else if (!metered) {
        throw new IllegalArgumentException(
            "start: the start date of the mining is needed to estimate the "
                + "consumption under "
                + policy.id()
                + " (only tariff-misuse assumes three months)");
      }
    }
    if (end == null && !metered) {
      throw new IllegalArgumentException("end: an estimate needs the period's end date");
    }
    if (start != null && end.isBefore(start)) {
      throw new IllegalArgumentException("end: " + end + " is before start " + start);
    }
    Integer days = start == null ? null : Math.toIntExact(ChronoUnit.DAYS.between(start, end) + 1);

    BigDecimal[] kwh = new BigDecimal[3];
    for (int i = 0; i < 3; i++) {
      kwh[i] =
          round(
              metered
                  ? input.meteredKwh()
                  : BigDecimal.valueOf(perDay[i]).multiply(BigDecimal.valueOf(days)));
    }
    BigDecimal[] amount = new BigDecimal[3];
    for (int i = 0; i < 3; i++) {
      amount[i] = round(kwh[i].multiply(rate));
    }

    Texts zh =
        texts(
            OrderMessages.of("zh"),
            policy,
            metered,
            misuse,
            perDay,
            days,
            start,
            end,
            startAssumed,
            input,
            rate,
            kwh,
            amount);
    Texts en =
        texts(
            OrderMessages.of("en"),
            policy,
            metered,
            misuse,
            perDay,
            days,
            start,
            end,
            startAssumed,
            input,
            rate,
            kwh,
            amount);
    return new PriceComputation(
        policy,
        metered ? PriceComputation.Basis.METERED : PriceComputation.Basis.ESTIMATED,
        start,
        end,
        days,
        startAssumed,
        misuse ? input.tariffApplied() : null,
        misuse ? input.tariffDue() : null,
        rate,
        kwh[0],
        kwh[1],
        kwh[2],
        amount[0],
        amount[1],
        amount[2],
        zh.formula,
        en.formula,
        zh.notes,
        en.notes);
  }

  private static double[] checkEstimate(double[] v) {
    if (v == null) {
      throw new IllegalArgumentException(
          "kwhPerDay: give meteredKwh or the estimate {low, best, high} in kWh/day");
    }
    if (v.length != 3) {
      throw new IllegalArgumentException(
          "kwhPerDay: needs three values {low, best, high}, got " + v.length);
    }
    for (double d : v) {
      if (!Double.isFinite(d) || d < 0) {
        throw new IllegalArgumentException(
            "kwhPerDay: values must be finite and not negative, got " + d);
      }
    }
    if (!(v[0] <= v[1] && v[1] <= v[2])) {
      throw new IllegalArgumentException(
          "kwhPerDay: needs low <= best <= high, got " + v[0] + ", " + v[1] + ", " + v[2]);
    }
    return v;
  }

  private static BigDecimal misuseRate(PriceInput in) {
    if (in.tariffApplied() == null) {
      throw new IllegalArgumentException(
          "tariffApplied: tariff-misuse needs the tariff the account was billed at");
    }
    if (in.tariffDue() == null) {
      throw new IllegalArgumentException(
          "tariffDue: tariff-misuse needs the tariff that should have applied");
    }
    if (in.tariffApplied().signum() < 0) {
      throw new IllegalArgumentException(
          "tariffApplied: must not be negative, got " + in.tariffApplied());
    }
    if (in.tariffDue().compareTo(in.tariffApplied()) <= 0) {
      throw new IllegalArgumentException(
          "tariffDue: "
              + in.tariffDue()
              + " must exceed tariffApplied "
              + in.tariffApplied()
              + ", or there is no difference to charge");
    }
    return in.tariffDue().subtract(in.tariffApplied()).multiply(MISUSE_MULTIPLE);
  }

  private static BigDecimal round(BigDecimal v) {
    return v.setScale(2, RoundingMode.HALF_UP);
  }

  private record Texts(String formula, List<String> notes) {}

  private static Texts texts(
      OrderMessages m,
      TariffPolicy policy,
      boolean metered,
      boolean misuse,
      double[] perDay,
      Integer days,
      LocalDate start,
      LocalDate end,
      boolean startAssumed,
      PriceInput in,
      BigDecimal rate,
      BigDecimal[] kwh,
      BigDecimal[] amount) {
    String key =
        "formula." + (misuse ? "misuse" : "surcharge") + "." + (metered ? "metered" : "estimated");
    String formula =
        m.fill(
            key,
            "kpd",
            metered
                ? ""
                : triple(
                    OrderMessages.number(perDay[0]),
                    OrderMessages.number(perDay[1]),
                    OrderMessages.number(perDay[2])),
            "days",
            days == null ? "" : days.toString(),
            "kwh",
            metered ? OrderMessages.number(kwh[0]) : triple(kwh[0], kwh[1], kwh[2]),
            "amount",
            metered ? OrderMessages.number(amount[0]) : triple(amount[0], amount[1], amount[2]),
            "rate",
            OrderMessages.rate(rate),
            "due",
            misuse ? OrderMessages.rate(in.tariffDue()) : "",
            "applied",
            misuse ? OrderMessages.rate(in.tariffApplied()) : "",
            "multiple",
            MISUSE_MULTIPLE.toString());
    List<String> notes = new ArrayList<>();
    if (!metered) {
      notes.add(m.get("note.estimated"));
      if (policy.kind() == PolicyKind.WHOLE_ACCOUNT_SURCHARGE) {
        notes.add(m.get("note.wholeAccountEstimated"));
      }
    }
    if (startAssumed) {
      notes.add(
          m.fill(
              "note.startAssumed",
              "days",
              Integer.toString(MISUSE_DEFAULT_DAYS),
              "start",
              m.date(start),
              "end",
              m.date(end)));
    }
    return new Texts(formula, notes);
  }

  private static String triple(BigDecimal a, BigDecimal b, BigDecimal c) {
    return triple(OrderMessages.number(a), OrderMessages.number(b), OrderMessages.number(c));
  }

  private static String triple(String a, String b, String c) {
    return a + " / " + b + " / " + c;
  }
}
