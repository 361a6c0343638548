package org.minewatch.intel;

import java.util.LinkedHashMap;
import java.util.Map;
import org.minewatch.model.IpAddress;

/**
 * Which host name an address was resolved from in the traffic (DNS answers seen), so that a later
 * connection to that address can be named. Bounded: the least recently used entries go.
 *
 * <p>Safe to share between the worker threads of a parallel scan. There, an {@link InputOrder}
 * keeps the answer the same as a sequential scan's: a name is seen only by packets that come after
 * the answer in the input, and a reader first waits until every worker has passed the packets
 * before its own.
 */
public final class AddressNames {
  public static final int DEFAULT_CAPACITY = 1 << 16;

  /** Where the calling thread stands in the input; the scanner's workers provide it. */
  public interface InputOrder {
    /** The position in the input of what the calling thread is processing now. */
    long position();

    /**
     * Waits until every thread has processed everything before the calling thread's position, and
     * returns that position.
     */
    long awaitEarlier();
  }

  /** Names an address had, the latest first; no two adjacent the same. */
  private record Entry(String name, long position, Entry older) {}

  /** Names kept per address in a parallel scan, where answers arrive out of input order. */
  private static final int HISTORY = 8;

  private final Map<IpAddress, Entry> names;
  private final InputOrder order;

  /**
   * @param order where readers and writers stand in the input; null where one thread does all
   */
  public AddressNames(int capacity, InputOrder order) {
    this.order = order;
    this.names =
        new LinkedHashMap<>(1024, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<IpAddress, Entry> eldest) {
            return size() > capacity;
          }
        };
  }

  public AddressNames(int capacity) {
    this(capacity, null);
  }

  public AddressNames() {
    this(DEFAULT_CAPACITY);
  }

  public void put(IpAddress address, String name) {
    if (order == null) {
      synchronized (names) {
        names.put(address, new Entry(name, Long.MIN_VALUE, null));
      }
      return;
    }
    // Workers put in their own order: each answer takes its place in input order, so that a
    // reader sees the name that was current at its packet.
    long at = order.position();
    synchronized (names) {
      names.put(address, cut(insert(names.get(address), name, at), HISTORY));
    }
  }

  private static Entry insert(Entry e, String name, long at) {
    if (e == null || e.position() < at) {
      // Newer than e. The same name known from earlier: nothing new to say.
      return e != null && e.name().equals(name) ? e : new Entry(name, at, e);
    }
    Entry older = insert(e.older(), name, at);
    // The same name just below: it is known from earlier, and e repeats it.
    return older != null && older.name().equals(e.name())
        ? older
        : new Entry(e.name(), e.position(), older);
  }

  /** The chain's first {@code keep} entries (copied: puts are rare, the chains short). */
  private static Entry cut(Entry e, int keep) {
    if (e == null || keep == 0) {
      return null;
    }
    return new Entry(e.name(), e.position(), cut(e.older(), keep - 1));
  }

  /** The name the address was last resolved from before this point of the input, or null. */
  public String nameOf(IpAddress address) {
    // Waiting happens outside the lock: the threads waited for may have names to put.
    long at = order == null ? Long.MAX_VALUE : order.awaitEarlier();
    synchronized (names) {
      for (Entry e = names.get(address); e != null; e = e.older()) {
        if (e.position() < at) {
          return e.name();
        }
      }
      return null;
    }
  }

  public int size() {
    synchronized (names) {
      return names.size();
    }
  }
}
