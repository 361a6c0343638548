package org.minewatch.probe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * At most one new probe connection per spacing, over every endpoint together, so a list of suspects
 * never turns into a burst of connections from the operator's network.
 */
public final class ProbeRateLimit {
  /** One new connection per second overall. */
  public static final Duration DEFAULT_SPACING = Duration.ofSeconds(1);

  /** Waits; a test passes one that moves its clock instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final Duration spacing;
  private final Clock clock;
  private final Sleeper sleeper;
  private Instant next;

  public ProbeRateLimit(Duration spacing, Clock clock, Sleeper sleeper) {
    if (spacing.isNegative()) {
      throw new IllegalArgumentException(
          "the spacing between probe connections cannot be negative: " + spacing);
    }
    this.spacing = spacing;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * Real time: sleeps the thread, timed by the monotonic clock (a wall clock stepped back an hour
   * would otherwise hold probing for that hour).
   */
  public ProbeRateLimit(Duration spacing) {
    this(spacing, MONOTONIC, d -> Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000)));
  }

  /** {@link System#nanoTime()} as a clock: only differences between its instants mean anything. */
  private static final Clock MONOTONIC =
      new Clock() {
        @Override
        public java.time.ZoneId getZone() {
          return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return Instant.ofEpochSecond(0, System.nanoTime());
        }
      };

  public Duration spacing() {
    return spacing;
  }

  /** Returns when a new connection may be opened, and counts it. */
  public synchronized void acquire() throws InterruptedException {
    Instant now = clock.instant();
    while (next != null && now.isBefore(next)) {
      sleeper.sleep(Duration.between(now, next));
      now = clock.instant();
    }
    next = now.plus(spacing);
  }
}
