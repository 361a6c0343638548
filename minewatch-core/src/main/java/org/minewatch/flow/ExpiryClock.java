package org.minewatch.flow;

/**
 * When a flow table looks for flows whose timeout has passed: once a second of capture time, and
 * again whenever capture time jumps back (the next file of a set). A parallel scan's dispatcher
 * keeps the one clock for all its workers' tables, so that flows end at the same packets as in one
 * table.
 */
public final class ExpiryClock {
  private static final long CHECK_NANOS = 1_000_000_000L;

  private long next = Long.MIN_VALUE;

  /** Whether the tables should expire flows at capture time {@code now}, before its packet. */
  public boolean due(long now) {
    if (now >= next || now < next - 2 * CHECK_NANOS) {
      next = now + CHECK_NANOS;
      return true;
    }
    return false;
  }
}
