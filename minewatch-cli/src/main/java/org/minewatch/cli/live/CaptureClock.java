package org.minewatch.cli.live;

import java.util.function.LongSupplier;

/**
 * The time on a live capture's clock, also while no packet comes: the newest packet's timestamp,
 * moved on by the time elapsed since it arrived beyond {@link #LAG_NANOS}, and never back. Packets
 * come in order, so none older than the newest is still to come; the lag is for newer ones still on
 * their way, so that a checkpoint is not judged before the packets of its last moments are in.
 * Packets' own timestamps set it, not the wall clock, so it follows whatever clock the capture
 * stamps with.
 */
public final class CaptureClock {
  /**
   * How long a packet may take from its timestamp to the engine: libpcap, under tcpdump, hands
   * packets over in batches at least once a second; the kernel's ring hands a block over at most
   * 100 ms after its first packet. Twice the longer.
   */
  public static final long LAG_NANOS = 2_000_000_000L;

  private final LongSupplier monotonic;
  private long newestNanos = Long.MIN_VALUE;
  private long arrivedAt;
  private long read = Long.MIN_VALUE;

  public CaptureClock() {
    this(System::nanoTime);
  }

  /** With {@code monotonic} for {@link System#nanoTime()}: for tests. */
  CaptureClock(LongSupplier monotonic) {
    this.monotonic = monotonic;
  }

  /**
   * How far before the time read a packet must be stamped to say that the host's clock was set back
   * (packets come in order, and the lag holds the clock within it of the newest).
   */
  static final long STEP_BACK_NANOS = 2 * LAG_NANOS;

  /**
   * A packet stamped {@code timestampNanos} has arrived. One stamped well before the time read says
   * that the host's clock was set back: the clock starts again from it, rather than run ahead of
   * every packet to come (which would end each flow as soon as it began).
   */
  public void packet(long timestampNanos) {
    long mono = monotonic.getAsLong(); // once: this runs for every packet
    if (newestNanos != Long.MIN_VALUE
        && timestampNanos < Math.max(read, moved(mono)) - STEP_BACK_NANOS) {
      read = timestampNanos;
      newestNanos = timestampNanos;
      arrivedAt = mono;
    } else if (timestampNanos >= newestNanos) {
      newestNanos = timestampNanos;
      arrivedAt = mono;
    }
  }

  /** The capture's time now; {@link Long#MIN_VALUE} before the first packet. */
  public long now() {
    if (newestNanos != Long.MIN_VALUE) {
      read = Math.max(read, moved(monotonic.getAsLong()));
    }
    return read;
  }

  /** The newest packet's time, moved on by the time since it arrived beyond the lag. */
  private long moved(long mono) {
    return newestNanos + Math.max(0, mono - arrivedAt - LAG_NANOS);
  }
}
