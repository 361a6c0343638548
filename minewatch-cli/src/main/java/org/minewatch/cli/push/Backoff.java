package org.minewatch.cli.push;

import java.time.Duration;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off with jitter: the n-th delay in a row is drawn uniformly from the upper half
 * of {@code min(cap, initial × 2^n)}, so that many clients kept away by one outage do not all come
 * back at the same instant, and none retries sooner than half the nominal delay.
 */
public final class Backoff {
  private final long initialNanos;
  private final long capNanos;
  private final RandomGenerator random;
  private int attempt;

  public Backoff(Duration initial, Duration cap, RandomGenerator random) {
    if (initial.isNegative() || initial.isZero() || cap.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= cap");
    }
    this.initialNanos = initial.toNanos();
    this.capNanos = cap.toNanos();
    this.random = random;
  }

  /** 1 s doubling to a 60 s cap. */
  public static Backoff standard() {
    return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random());
  }

  /** The nominal (largest) delay of the next attempt, before jitter. */
  long nominalNanos() {
    long d = initialNanos;
    for (int i = 0; i < attempt && d < capNanos; i++) {
      d *= 2;
    }
    return Math.min(d, capNanos);
  }

  /** The next delay, in nanoseconds; each call doubles the nominal delay up to the cap. */
  public long nextNanos() {
    long nominal = nominalNanos();
    attempt++;
    long half = nominal / 2;
    return nominal - half + (half > 0 ? random.nextLong(half + 1) : 0);
  }

  /** After a success: the next outage starts again from the initial delay. */
  public void reset() {
    attempt = 0;
  }
}
