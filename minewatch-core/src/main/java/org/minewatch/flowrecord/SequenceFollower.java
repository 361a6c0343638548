package org.minewatch.flowrecord;

/**
 * Follows one export stream's sequence numbers (32 bits, wrapping) and tells loss from what only
 * looks like it. A number ahead of the expected one by up to {@value #AT_ONCE_MESSAGES} messages'
 * worth (the largest message the stream has sent so far) is loss at once. A larger jump ahead is
 * loss only if the next message carries on from it and it is within {@value #PLAUSIBLE_MESSAGES}
 * messages' worth; carried on from but larger, or behind by more than the reorder window, it is a
 * reset (the exporter restarted or renumbered); not carried on from, it was a stray (a reordered,
 * duplicated or foreign message) and the stream keeps its old numbers. A message a little behind is
 * out of order, and if it falls in the gap just counted as loss, its records are taken off the
 * loss. Random numbers therefore count no loss at all, only out-of-order messages.
 */
final class SequenceFollower {
  private static final long MASK = 0xffff_ffffL;
  private static final long HALF = 1L << 31;
  static final long AT_ONCE_MESSAGES = 1_024;
  static final long PLAUSIBLE_MESSAGES = 1 << 20;

  /** What the followers of one unit (records, or export packets) have counted. */
  static final class Counts {
    long lost;
    long outOfOrder;
    long resets;
  }

  private long expected = -1;

  /**
   * The most one message has advanced the numbers (records per message, or 1): the scale of a gap.
   */
  private long largestAdvance = 1;

  private long pendingNext = -1;

  /** The loss the pending jump means if the stream carries on from it; -1 if it cannot be loss. */
  private long pendingLoss;

  /**
   * The gap last counted as loss, for late messages that fill it: its start, length and what is
   * still missing.
   */
  private long gapStart;

  private long gapLength;
  private long gapMissing;

  /**
   * Forgets the position: the next message cannot be checked (e.g. records of unknown length were
   * skipped).
   */
  void unknown() {
    expected = -1;
    pendingNext = -1;
    gapMissing = 0;
  }

  /** Takes a message numbered {@code sequence} that advances the numbers by {@code advance}. */
  void follow(long sequence, long advance, Counts counts) {
    long next = (sequence + advance) & MASK;
    if (expected < 0) {
      expected = next;
      return;
    }
    if (pendingNext >= 0) {
      if (sequence == pendingNext) { // the stream carries on from the jump
        if (pendingLoss >= 0) {
          lose(expected, pendingLoss, counts);
        } else {
          counts.resets++;
        }
        pendingNext = -1;
        carryOn(next, advance);
        return;
      }
      counts.outOfOrder++; // the jump was a stray: judge this message against the old numbers
      pendingNext = -1;
    }
    long ahead = (sequence - expected) & MASK;
    if (ahead == 0) {
      carryOn(next, advance);
    } else if (ahead < HALF) {
      if (ahead <= largestAdvance * AT_ONCE_MESSAGES) {
        lose(expected, ahead, counts);
        carryOn(next, advance);
      } else {
        pend(next, ahead <= largestAdvance * PLAUSIBLE_MESSAGES ? ahead : -1);
      }
    } else if (gapMissing > 0 && ((sequence - gapStart) & MASK) < gapLength) {
      long filled =
          Math.min(Math.min(advance, gapMissing), gapLength - ((sequence - gapStart) & MASK));
      counts.lost -= filled;
      gapMissing -= filled;
      counts.outOfOrder++;
    } else if (((expected - sequence) & MASK) <= largestAdvance * AT_ONCE_MESSAGES) {
      counts.outOfOrder++; // late or duplicated, outside the last gap
    } else {
      pend(next, -1);
    }
  }

  private void lose(long from, long length, Counts counts) {
    counts.lost += length;
    gapStart = from;
    gapLength = length;
    gapMissing = length;
  }

  private void carryOn(long next, long advance) {
    expected = next;
    largestAdvance = Math.max(largestAdvance, advance);
  }

  private void pend(long next, long loss) {
    pendingNext = next;
    pendingLoss = loss;
  }
}
