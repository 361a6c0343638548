package org.minewatch.estimate;

/**
 * Exact (Garwood) confidence limits for the mean of a Poisson count, through the chi-square
 * quantiles: lower = χ²(α/2; 2n)/2, upper = χ²(1−α/2; 2n+2)/2. The quantiles are found by bisection
 * on the regularized lower incomplete gamma function.
 */
public final class Poisson {
  private Poisson() {}

  /**
   * Lower limit of the two-sided interval at {@code confidence} (e.g. 0.90) for {@code n} events.
   */
  public static double lower(long n, double confidence) {
    if (n == 0) {
      return 0;
    }
    return gammaQuantile(n, (1 - confidence) / 2);
  }

  /** Upper limit of the two-sided interval at {@code confidence} for {@code n} events. */
  public static double upper(long n, double confidence) {
    return gammaQuantile(n + 1, 1 - (1 - confidence) / 2);
  }

  /** The x with P(a, x) = p: χ²(p; 2a)/2. */
  static double gammaQuantile(double a, double p) {
    double lo = 0;
    double hi = Math.max(1, a);
    while (regularizedGammaP(a, hi) < p) {
      hi *= 2;
    }
    for (int i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
      double mid = (lo + hi) / 2;
      if (regularizedGammaP(a, mid) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  /** P(a, x) = γ(a, x) / Γ(a): series below a + 1, continued fraction (Lentz) above. */
  static double regularizedGammaP(double a, double x) {
    if (x <= 0) {
      return 0;
    }
    double lnPrefix = a * Math.log(x) - x - logGamma(a);
    if (x < a + 1) {
      double term = 1 / a;
      double sum = term;
      for (int k = 1; k < 10_000; k++) {
        term *= x / (a + k);
        sum += term;
        if (Math.abs(term) < Math.abs(sum) * 1e-15) {
          break;
        }
      }
      return Math.min(1, sum * Math.exp(lnPrefix));
    }
    double tiny = 1e-300;
    double b = x + 1 - a;
    double c = 1 / tiny;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < 10_000; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (Math.abs(d) < tiny) {
        d = tiny;
      }
      c = b + an / c;
      if (Math.abs(c) < tiny) {
        c = tiny;
      }
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < 1e-15) {
        break;
      }
    }
    return Math.max(0, 1 - Math.exp(lnPrefix) * h);
  }

  /** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9). */
  static double logGamma(double x) {
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    double[] c = {
      0.99999999999980993,
      676.5203681218851,
      -1259.1392167224028,
      771.32342877765313,
      -176.61502916214059,
      12.507343278686905,
      -0.13857109526572012,
      9.9843695780195716e-6,
      1.5056327351493116e-7
    };
    x -= 1;
    double s = c[0];
    for (int i = 1; i < 9; i++) {
      s += c[i] / (x + i);
    }
    double t = x + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
  }
}
