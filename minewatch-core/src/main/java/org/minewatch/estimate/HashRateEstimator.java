package org.minewatch.estimate;

import java.util.List;
import org.minewatch.model.Algorithm;

/**
 * Hash rate from shares: shares arrive as a Poisson process whose rate is the hash rate divided by
 * the work per share, so rate = Σ work / observed time, and the 90% interval is the exact Poisson
 * interval of the share count, scaled by the mean work per share. The observed time is the union of
 * the sessions' windows: sessions side by side (several rigs or workers) add their rates, sessions
 * one after another (a reconnect, a fail-over) share one rate. Samples of different algorithms
 * never add.
 */
public final class HashRateEstimator {
  /** Fewer shares than this give "too few shares", not a number. */
  public static final int MIN_SHARES = 5;

  public static final double CONFIDENCE = 0.90;

  private HashRateEstimator() {}

  /**
   * Estimates the rate behind samples of one algorithm.
   *
   * @throws IllegalArgumentException if the samples mix algorithms
   */
  public static HashRate estimate(Algorithm algorithm, List<ShareSample> samples) {
    long shares = 0;
    double work = 0;
    boolean allAccepted = true;
    for (ShareSample s : samples) {
      if (s.algorithm() != algorithm) {
        throw new IllegalArgumentException(
            "hash rates of " + s.algorithm() + " and " + algorithm + " do not add");
      }
      shares += s.shares();
      work += s.work();
      allAccepted &= s.accepted();
    }
    String method = allAccepted ? "shares" : "shares-submitted";
    double seconds = unionSeconds(samples);
    if (shares < MIN_SHARES || seconds <= 0 || work <= 0) {
      return new HashRate(
          algorithm, Double.NaN, algorithm.unit(), Double.NaN, Double.NaN, shares, method);
    }
    double rate = work / seconds;
    // The interval of the share count n, carried over to the rate: rate × limit(n) / n.
    double low = rate * Poisson.lower(shares, CONFIDENCE) / shares;
    double high = rate * Poisson.upper(shares, CONFIDENCE) / shares;
    return new HashRate(algorithm, rate, algorithm.unit(), low, high, shares, method);
  }

  /** Length of the union of the samples' windows. */
  static double unionSeconds(List<ShareSample> samples) {
    List<ShareSample> sorted =
        samples.stream()
            .sorted(java.util.Comparator.comparingLong(ShareSample::startNanos))
            .toList();
    long total = 0;
    long curStart = Long.MIN_VALUE;
    long curEnd = Long.MIN_VALUE;
    for (ShareSample s : sorted) {
      if (s.endNanos() <= s.startNanos()) {
        continue;
      }
      if (s.startNanos() > curEnd) {
        if (curEnd > curStart) {
          total += curEnd - curStart;
        }
        curStart = s.startNanos();
        curEnd = s.endNanos();
      } else {
        curEnd = Math.max(curEnd, s.endNanos());
      }
    }
    if (curEnd > curStart) {
      total += curEnd - curStart;
    }
    return total / 1e9;
  }
}
