package org.minewatch.scan;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.minewatch.intel.AddressNames;

/**
 * How far each worker of a parallel scan has come: worker {@code w} at position {@code s} has
 * processed all of its packets before the {@code s}-th packet of the input. A reader of shared
 * state waits until every other worker has come as far as itself, so it sees what a sequential scan
 * would have seen at that packet. No cycle of waits can form: a worker waits only for workers
 * behind it, and they never wait for one ahead.
 */
final class WorkerPositions implements AddressNames.InputOrder {
  /** Longs between two workers' slots: each slot on its own cache line. */
  private static final int PAD = 16;

  private static final int SPINS = 200;

  private final AtomicLongArray positions;
  private final int workers;
  private final ThreadLocal<Slot> worker = new ThreadLocal<>();

  /** A worker's own: which it is, and the last packet before its current one that could write. */
  static final class Slot {
    final int index;
    long lastWriter = -1;

    Slot(int index) {
      this.index = index;
    }
  }

  /** Position of the thread that dispatches, for what it does between packets (logs, flows). */
  private volatile long dispatched;

  WorkerPositions(int workers) {
    this.workers = workers;
    this.positions = new AtomicLongArray(workers * PAD);
  }

  /** Makes the calling thread worker {@code w}; the slot it returns is that thread's alone. */
  Slot enter(int w) {
    Slot slot = new Slot(w);
    worker.set(slot);
    return slot;
  }

  /**
   * Worker {@code w} has processed all of its packets before {@code position}, and the last packet
   * before that one that could add a name was at {@code lastWriter} (-1: none).
   */
  void advance(Slot w, long position, long lastWriter) {
    positions.lazySet(w.index * PAD, position);
    w.lastWriter = lastWriter;
  }

  /** Worker {@code w} has processed all of its packets before {@code position}. */
  void advance(int w, long position) {
    positions.lazySet(w * PAD, position);
  }

  /** The dispatcher has handed out every packet before {@code position}. */
  void dispatched(long position) {
    dispatched = position;
  }

  @Override
  public long position() {
    Slot w = worker.get();
    // The dispatcher's own writes (from logs read between captures) come just before the next
    // packet.
    return w == null ? dispatched - 1 : positions.get(w.index * PAD);
  }

  @Override
  public long awaitEarlier() {
    Slot self = worker.get();
    if (self == null) {
      // The dispatcher reads only once every packet given out has been analysed.
      return dispatched;
    }
    long at = positions.get(self.index * PAD);
    long need = self.lastWriter;
    for (int w = 0; need >= 0 && w < workers; w++) {
      int spins = 0;
      while (w != self.index && positions.get(w * PAD) <= need) {
        if (++spins < SPINS) {
          Thread.onSpinWait();
        } else {
          LockSupport.parkNanos(20_000L);
        }
      }
    }
    return at;
  }
}
