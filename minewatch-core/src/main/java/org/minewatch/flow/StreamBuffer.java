package org.minewatch.flow;

import java.util.Arrays;

/**
 * The in-order bytes of one TCP direction that are not yet consumed, rebuilt from segments that may
 * arrive retransmitted, overlapping or out of order. Bounded: at most {@link #MAX_BYTES} buffered
 * and {@link #MAX_PENDING_BYTES} held out of order; past that the stream resynchronises at the
 * newest segment and counts a gap. Its arrays are reserved from a {@link StreamBudget} shared by
 * all flows; a segment the budget has no room for is dropped like a gap, and {@link #add} says so.
 */
public final class StreamBuffer {
  public static final int MAX_BYTES = 16 * 1024;
  static final int MAX_PENDING_BYTES = 16 * 1024;
  static final int MAX_PENDING_SEGMENTS = 16;

  /** Returned by {@link #add} when the budget refused room for (part of) the segment. */
  public static final int REFUSED = -1;

  /** Smallest buffer; most flows are ruled out after a first segment of a few hundred bytes. */
  private static final int INITIAL = 512;

  /** What the two arrays indexing held segments cost, charged to the budget with them. */
  static final int PENDING_INDEX_BYTES = 2 * (16 + 4 * MAX_PENDING_SEGMENTS);

  private final StreamBudget budget;
  private final Flow owner;
  private boolean refused;

  private byte[] data;
  private int length;
  private int nextSeq;
  private boolean seqKnown;

  /** Bytes consumed so far, plus bytes dropped at gaps: the offset of data[0] in the stream. */
  private long streamOffset;

  private int gaps;
  private int[] pendingSeq;
  private byte[][] pendingData;
  private int pendingCount;
  private int pendingBytes;

  /** A buffer outside any budget. */
  public StreamBuffer() {
    this(null, null);
  }

  /** A buffer whose arrays are reserved from {@code budget} on behalf of {@code owner}. */
  public StreamBuffer(StreamBudget budget, Flow owner) {
    this.budget = budget;
    this.owner = owner;
  }

  public byte[] data() {
    return data;
  }

  public int length() {
    return length;
  }

  public int gaps() {
    return gaps;
  }

  /** Total bytes this direction has delivered in order, consumed or not. */
  public long delivered() {
    return streamOffset + length;
  }

  /** Whether the buffer cannot take more bytes until some are consumed. */
  public boolean full() {
    return length >= MAX_BYTES;
  }

  /** The SYN's sequence number: the first data byte is the next one. */
  public void synchronize(int synSeq) {
    if (!seqKnown) {
      nextSeq = synSeq + 1;
      seqKnown = true;
    }
  }

  /** Bytes held and not yet consumed, in order or not. */
  public int buffered() {
    return length + pendingBytes;
  }

  /**
   * Adds a segment.
   *
   * @return the number of new in-order bytes made available (0 for duplicates and held segments),
   *     or {@link #REFUSED} when the budget had no room for some of it: those bytes were dropped as
   *     at a gap and counted
   */
  public int add(int seq, byte[] src, int offset, int len) {
    if (len <= 0) {
      return 0;
    }
    refused = false;
    int made = addSegment(seq, src, offset, len);
    return refused ? REFUSED : made;
  }

  private int addSegment(int seq, byte[] src, int offset, int len) {
    if (!seqKnown) {
      nextSeq = seq;
      seqKnown = true;
    }
    int before = length;
    int diff = seq - nextSeq; // wraps correctly around 2^32
    if (diff > 0) {
      hold(seq, src, offset, len);
      return length - before;
    }
    // As a long: a difference of exactly -2^31 (a flipped top bit) has no int negation.
    long skip = -(long) diff;
    if (skip >= len) {
      return 0; // retransmission of bytes already delivered
    }
    append(src, offset + (int) skip, len - (int) skip);
    drainPending();
    return length - before;
  }

  private void append(byte[] src, int offset, int len) {
    int room = MAX_BYTES - length;
    int take = Math.min(room, len);
    if (!ensure(length + take)) {
      refuse(len);
      nextSeq += len;
      gaps++;
      streamOffset += len;
      return;
    }
    System.arraycopy(src, offset, data, length, take);
    length += take;
    nextSeq += len;
    if (take < len) {
      // No room: the consumer is not keeping up; what does not fit is lost and counted.
      gaps++;
      streamOffset += len - take;
    }
  }

  /** Makes room for {@code capacity} bytes; false when the budget refuses the growth. */
  private boolean ensure(int capacity) {
    if (data == null) {
      int size = Math.max(INITIAL, Integer.highestOneBit(Math.max(1, capacity - 1)) << 1);
      if (!reserve(size)) {
        return false;
      }
      data = budget == null ? new byte[size] : budget.array(size);
    } else if (capacity > data.length) {
      int size = Math.min(MAX_BYTES, Math.max(capacity, data.length * 2));
      if (!reserve(size - data.length)) {
        return false;
      }
      if (budget == null) {
        data = Arrays.copyOf(data, size);
      } else {
        byte[] grown = budget.array(size);
        System.arraycopy(data, 0, grown, 0, length);
        budget.recycle(data);
        data = grown;
      }
    }
    return true;
  }

  private boolean reserve(int bytes) {
    return budget == null || budget.reserve(owner, bytes);
  }

  private void free(int bytes) {
    if (budget != null) {
      budget.free(bytes);
    }
  }

  private void refuse(int bytes) {
    refused = true;
    if (budget != null) {
      budget.refused(bytes);
    }
  }

  private void hold(int seq, byte[] src, int offset, int len) {
    if (pendingSeq == null) {
      if (!reserve(PENDING_INDEX_BYTES)) {
        refuse(len); // not held: the hole it leaves is resolved like any other
        return;
      }
      pendingSeq = new int[MAX_PENDING_SEGMENTS];
      pendingData = new byte[MAX_PENDING_SEGMENTS][];
    }
    for (int i = 0; i < pendingCount; i++) {
      if (pendingSeq[i] == seq && pendingData[i].length >= len) {
        return; // the same out-of-order segment again
      }
    }
    if (pendingCount == MAX_PENDING_SEGMENTS || pendingBytes + len > MAX_PENDING_BYTES) {
      // The hole is not being filled: give it up, drop what was held and resume at this segment.
      gaps++;
      streamOffset += (seq - nextSeq) & 0xffff_ffffL;
      nextSeq = seq;
      for (int i = 0; i < pendingCount; i++) {
        pendingData[i] = null;
      }
      pendingCount = 0;
      free(pendingBytes);
      pendingBytes = 0;
      append(src, offset, len);
      return;
    }
    if (!reserve(len)) {
      refuse(len);
      return;
    }
    byte[] copy = new byte[len];
    System.arraycopy(src, offset, copy, 0, len);
    pendingSeq[pendingCount] = seq;
    pendingData[pendingCount] = copy;
    pendingCount++;
    pendingBytes += len;
  }

  private void drainPending() {
    boolean progress = true;
    while (pendingCount > 0 && progress) {
      progress = false;
      for (int i = 0; i < pendingCount; i++) {
        int diff = pendingSeq[i] - nextSeq;
        if (diff <= 0) {
          byte[] seg = pendingData[i];
          removePending(i);
          long skip = -(long) diff;
          if (skip < seg.length) {
            append(seg, (int) skip, seg.length - (int) skip);
          }
          progress = true;
          break;
        }
      }
    }
  }

  private void removePending(int i) {
    free(pendingData[i].length);
    pendingBytes -= pendingData[i].length;
    pendingCount--;
    pendingSeq[i] = pendingSeq[pendingCount];
    pendingData[i] = pendingData[pendingCount];
    pendingData[pendingCount] = null;
  }

  /** Drops the first {@code n} bytes, which the consumer has used. */
  public void consume(int n) {
    n = Math.min(n, length);
    if (n <= 0) {
      return; // nothing buffered (or released): no array to move
    }
    System.arraycopy(data, n, data, 0, length - n);
    length -= n;
    streamOffset += n;
  }

  /**
   * Frees the buffers and gives their bytes back to the budget; the stream is no longer inspected.
   */
  public void release() {
    free(
        (data == null ? 0 : data.length)
            + pendingBytes
            + (pendingSeq == null ? 0 : PENDING_INDEX_BYTES));
    streamOffset += length;
    length = 0;
    if (data != null && budget != null) {
      budget.recycle(data);
    }
    data = null;
    pendingSeq = null;
    pendingData = null;
    pendingCount = 0;
    pendingBytes = 0;
  }
}
