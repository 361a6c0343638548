package org.minewatch.flow;

/**
 * The bytes that the reassembly buffers of all flows may hold together: each {@link StreamBuffer}
 * reserves before it allocates or grows an array and gives the bytes back when released.
 *
 * <p>When a reservation does not fit, flows that no detector has claimed give up their buffers, the
 * one that first took budget first (never the flow asking): their inspection ends (they only count
 * from then on), which is what a flood of undecided payload costs. Claimed flows are never released
 * to make room, so a mining session keeps its buffers while others are being inspected. A
 * reservation that still does not fit is refused: the segment is dropped. Both are counted as
 * payload not inspected; memory stays bounded and the scan goes on.
 *
 * <p>Released arrays of the power-of-two sizes a buffer starts or grows at are kept for reuse, at
 * most {@link #POOLED_PER_SIZE} of each size (about 1 MiB in all), so that the many flows inspected
 * for a segment or two do not each allocate; they count against the budget only while in use.
 */
public final class StreamBudget {
  /** 64 MiB: with 262,144 flows (about 50 MB) a scan stays far below 1 GiB of resident memory. */
  public static final long DEFAULT_BYTES = 64L << 20;

  /**
   * Released arrays of each size kept for reuse: with six sizes (512 bytes to 16 KiB) at most about
   * 1 MiB outside the budget, which counts only the arrays in use.
   */
  static final int POOLED_PER_SIZE = 32;

  private static final int SMALLEST_SHIFT = 9; // 512 bytes
  private static final int SIZES = 6; // 512 bytes to 16 KiB

  private final long limit;
  private long reserved;
  private long peak;
  private long bytesNotInspected;
  private long flowsCut;
  // Flows being inspected that hold budget, in order of their first reservation.
  private Flow head;
  private Flow tail;
  // Most flows take a buffer for a few segments and give it back: reused arrays are still in the
  // CPU's caches, where a new one is fresh memory to clear.
  private final byte[][][] pool = new byte[SIZES][POOLED_PER_SIZE][];
  private final int[] pooled = new int[SIZES];

  public StreamBudget(long limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("a buffer budget cannot be negative");
    }
    this.limit = limit;
  }

  /** No limit: buffers are only bounded per flow. */
  public static StreamBudget unlimited() {
    return new StreamBudget(Long.MAX_VALUE);
  }

  public long limit() {
    return limit;
  }

  /** Bytes reserved now. */
  public long reserved() {
    return reserved;
  }

  /** The most bytes reserved at once. */
  public long peak() {
    return peak;
  }

  /**
   * Payload dropped to stay within the budget: unconsumed bytes of released buffers and refused
   * segments.
   */
  public long bytesNotInspected() {
    return bytesNotInspected;
  }

  /** Flows whose inspection ended because their buffers were released for the budget. */
  public long flowsCut() {
    return flowsCut;
  }

  /**
   * Reserves bytes for a buffer of {@code owner}, releasing the oldest unclaimed buffers of other
   * flows if that makes room.
   *
   * @return false when no room could be made: nothing is reserved
   */
  boolean reserve(Flow owner, int bytes) {
    if (reserved + bytes > limit) {
      Flow f = head;
      while (f != null && reserved + bytes > limit) {
        Flow next = f.budgetNext;
        if (f.claimed) {
          unlist(f); // claimed since it took budget: it keeps its buffers
        } else if (f != owner) {
          cut(f);
        }
        f = next;
      }
      if (reserved + bytes > limit) {
        return false;
      }
    }
    reserved += bytes;
    if (reserved > peak) {
      peak = reserved;
    }
    if (owner != null && !owner.claimed && !listed(owner)) {
      append(owner);
    }
    return true;
  }

  /**
   * An array of {@code size} bytes for a buffer, reserved already: a released one where the pool
   * has one (its old bytes are not cleared: a buffer reads only what it wrote).
   */
  byte[] array(int size) {
    int k = sizeIndex(size);
    if (k >= 0 && pooled[k] > 0) {
      int n = --pooled[k];
      byte[] a = pool[k][n];
      pool[k][n] = null;
      return a;
    }
    return new byte[size];
  }

  /** Takes back the array of a released or grown buffer, whose bytes were freed already. */
  void recycle(byte[] array) {
    int k = sizeIndex(array.length);
    if (k >= 0 && pooled[k] < POOLED_PER_SIZE) {
      pool[k][pooled[k]++] = array;
    }
  }

  /** Bytes of released arrays kept for reuse. */
  long pooledBytes() {
    long bytes = 0;
    for (int k = 0; k < SIZES; k++) {
      bytes += (long) pooled[k] << (SMALLEST_SHIFT + k);
    }
    return bytes;
  }

  /** The pool of arrays of {@code size} bytes, or -1 where that size is not pooled. */
  private static int sizeIndex(int size) {
    int k = Integer.numberOfTrailingZeros(size) - SMALLEST_SHIFT;
    return Integer.bitCount(size) == 1 && k >= 0 && k < SIZES ? k : -1;
  }

  void free(int bytes) {
    reserved -= bytes;
  }

  /** Counts the bytes of a segment that could not be buffered. */
  void refused(int bytes) {
    bytesNotInspected += bytes;
  }

  /**
   * Ends the inspection of a flow to give its buffers back: what they held is counted as not
   * inspected, and the flow only counts from now on.
   */
  public void cut(Flow f) {
    bytesNotInspected += f.bufferedBytes();
    flowsCut++;
    f.stage(Flow.Stage.COUNTING);
    f.releaseStreams();
  }

  /** Called when a flow's buffers are released, for whatever reason. */
  void released(Flow f) {
    if (listed(f)) {
      unlist(f);
    }
  }

  private boolean listed(Flow f) {
    return f.budgetPrev != null || head == f;
  }

  private void append(Flow f) {
    f.budgetPrev = tail;
    f.budgetNext = null;
    if (tail == null) {
      head = f;
    } else {
      tail.budgetNext = f;
    }
    tail = f;
  }

  private void unlist(Flow f) {
    if (f.budgetPrev != null) {
      f.budgetPrev.budgetNext = f.budgetNext;
    } else {
      head = f.budgetNext;
    }
    if (f.budgetNext != null) {
      f.budgetNext.budgetPrev = f.budgetPrev;
    } else {
      tail = f.budgetPrev;
    }
    f.budgetPrev = null;
    f.budgetNext = null;
  }
}
