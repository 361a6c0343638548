package org.minewatch.estimate;

import org.minewatch.model.Algorithm;

/**
 * The shares one session saw: how many, how much work they stand for, over how long.
 *
 * @param work the sum over shares of the hashes (or solutions) each share stands for at the
 *     difficulty in force when it was submitted
 * @param startNanos start of the observation window: the session's first message
 * @param endNanos end of the window: the flow's last packet
 * @param accepted whether the shares are the ones the pool accepted (its replies were visible) or
 *     only the ones submitted
 */
public record ShareSample(
    Algorithm algorithm,
    String worker,
    long shares,
    double work,
    long startNanos,
    long endNanos,
    boolean accepted) {

  public double seconds() {
    return (endNanos - startNanos) / 1e9;
  }
}
