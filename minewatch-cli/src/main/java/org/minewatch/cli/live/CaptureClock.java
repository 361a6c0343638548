package org.minewatch.cli.live;

import java.util.function.LongSupplier;

/**
 * The time on a live capture's clock, also while no packet comes: the newest packet's timestamp,
 * moved on by the time elapsed since it arrived beyond {@link #LAG_NANOS}. Packets come in order,
 * so none older than the newest is still to come; the lag is for those newer ones still on their
 * way (a packet ring hands a block over up to 100 ms after its first packet, tcpdump a moment after
 * each one), so that a checkpoint is not judged before its last second's packets are in. Packets'
 * own timestamps set it, not the wall clock, so it follows whatever clock the capture stamps with.
 */
public final class CaptureClock {
  /** How far behind the newest packet's time, moved on, the clock reads. */
  public static final long LAG_NANOS = 1_000_000_000L;

  private final LongSupplier monotonic;
  private long newestNanos = Long.MIN_VALUE;
  private long arrivedAt;

  public CaptureClock() {
    this(System::nanoTime);
  }

  /** With {@code monotonic} for {@link System#nanoTime()}: for tests. */
  CaptureClock(LongSupplier monotonic) {
    this.monotonic = monotonic;
  }

  /** A packet stamped {@code timestampNanos} has arrived. */
  public void packet(long timestampNanos) {
    if (timestampNanos >= newestNanos) {
      newestNanos = timestampNanos;
      arrivedAt = monotonic.getAsLong();
    }
  }

  /** The capture's time now; {@link Long#MIN_VALUE} before the first packet. */
  public long now() {
    if (newestNanos == Long.MIN_VALUE) {
      return Long.MIN_VALUE;
    }
    return newestNanos + Math.max(0, monotonic.getAsLong() - arrivedAt - LAG_NANOS);
  }
}
