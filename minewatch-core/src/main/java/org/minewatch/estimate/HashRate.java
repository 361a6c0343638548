package org.minewatch.estimate;

import org.minewatch.model.Algorithm;

/**
 * A hash-rate estimate with its 90% interval.
 *
 * @param value hashes (or solutions) per second; NaN when there are too few shares
 * @param unit "H/s" or "Sol/s"
 * @param shares the shares it rests on
 * @param method "shares" (estimated from accepted shares), "shares-submitted" (from submitted
 *     shares, the pool's replies not being visible) or "reported" (the miner's own figure)
 */
public record HashRate(
    Algorithm algorithm,
    double value,
    String unit,
    double low,
    double high,
    long shares,
    String method) {

  public boolean tooFewShares() {
    return Double.isNaN(value);
  }
}
