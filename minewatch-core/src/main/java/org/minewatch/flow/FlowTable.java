package org.minewatch.flow;

import org.minewatch.decode.DecodedPacket;

/**
 * The bounded table of live flows, keyed by the 5-tuple in either direction. Open addressing with
 * linear probing over a power-of-two array, no allocation per packet; a flow is allocated only when
 * it starts. Flows end by idle timeout, shortly after a TCP close (FIN both ways or RST), by
 * eviction when the table is full, or at {@link #flush()}. Timeouts run on capture time, not
 * wall-clock time.
 *
 * <p>Eviction protects what was found: a full table pushes out an unclaimed flow of one packet (a
 * SYN flood's, a scan's) first, then another unclaimed flow, and a flow a detector has {@linkplain
 * #claim claimed} only when no unclaimed one is left; within each class a closed connection before
 * an open one, the least recently active first. Evicting a mining session would cut its share count
 * and split it into flows joined mid-way.
 */
public final class FlowTable {
  /** Why a flow left the table. */
  public enum EndReason {
    IDLE,
    CLOSED,
    EVICTED,
    FLUSHED
  }

  /** Told about every flow that leaves the table. */
  public interface EndListener {
    void flowEnded(Flow flow, EndReason reason);
  }

  public static final int DEFAULT_MAX_FLOWS = 1 << 18;
  public static final long DEFAULT_TCP_IDLE_NANOS = 600_000_000_000L;
  public static final long DEFAULT_UDP_IDLE_NANOS = 120_000_000_000L;
  public static final long CLOSE_LINGER_NANOS = 15_000_000_000L;

  private final int maxFlows;
  private final int maxCapacity;

  /** Slots, grown with the number of flows so that a small table stays in the CPU caches. */
  private Flow[] slots;

  /** Each slot's flow hash, beside the slots so that probing rarely touches a flow object. */
  private int[] hashes;

  private int mask;
  private static final int INITIAL_CAPACITY = 1 << 12;
  private final long tcpIdleNanos;
  private final long udpIdleNanos;
  private final EndListener listener;
  private final StreamBudget budget;

  // Every flow waits in one of six lists, each in order of last activity: open or closing, times
  // the eviction class (unclaimed with one packet, other unclaimed, claimed). Expiry looks at
  // each list's head; eviction takes the first head in class order.
  private static final int ONE_PACKET = 0;
  private static final int UNCLAIMED = 1;
  private static final int CLAIMED = 2;
  private static final int CLOSING = 3;
  private static final int LISTS = 6;
  private final Flow[] heads = new Flow[LISTS];
  private final Flow[] tails = new Flow[LISTS];

  private int size;
  private long nextId = 1;
  private long idStride = 1;
  private long tracked;
  private long created;
  private long evicted;
  private long evictedClaimed;
  private long expired;
  private long closed;
  private int peak;
  private boolean lastFromA;

  /** When the expiry lists are looked at; null where the caller calls {@link #expire} itself. */
  private ExpiryClock clock = new ExpiryClock();

  public FlowTable(int maxFlows, long tcpIdleNanos, long udpIdleNanos, EndListener listener) {
    this(maxFlows, tcpIdleNanos, udpIdleNanos, StreamBudget.unlimited(), listener);
  }

  /**
   * @param budget what the reassembly buffers of all flows may hold together
   */
  public FlowTable(
      int maxFlows,
      long tcpIdleNanos,
      long udpIdleNanos,
      StreamBudget budget,
      EndListener listener) {
    if (maxFlows < 1) {
      throw new IllegalArgumentException("maxFlows must be positive");
    }
    this.maxFlows = maxFlows;
    this.maxCapacity = Integer.highestOneBit(Math.max(2, maxFlows) * 2 - 1) << 1;
    int capacity = Math.min(maxCapacity, INITIAL_CAPACITY);
    this.slots = new Flow[capacity];
    this.hashes = new int[capacity];
    this.mask = capacity - 1;
    this.tcpIdleNanos = tcpIdleNanos;
    this.udpIdleNanos = udpIdleNanos;
    this.listener = listener;
    this.budget = budget;
  }

  public FlowTable(EndListener listener) {
    this(DEFAULT_MAX_FLOWS, DEFAULT_TCP_IDLE_NANOS, DEFAULT_UDP_IDLE_NANOS, listener);
  }

  /**
   * Numbers the flows created from now on {@code first}, {@code first + stride}, ...: tables that
   * work side by side on one input number their flows apart.
   */
  public void numberFlows(long first, long stride) {
    if (first < 1 || stride < 1) {
      throw new IllegalArgumentException("flow numbers start at 1 and rise");
    }
    this.nextId = first;
    this.idStride = stride;
  }

  /**
   * From now on {@link #track} leaves expiry to the caller, who calls {@link #expire} when its own
   * {@link ExpiryClock} says so.
   */
  public void expireOnlyWhenCalled() {
    clock = null;
  }

  /**
   * Where {@link #expire} ends a flow among others ending at the same call: closing flows first,
   * list by list, the least recently active first within a list. Tables that share an input can so
   * put the flows they expire together in one table's order.
   */
  public static long expiryRank(Flow f) {
    long rank = f.list >= CLOSING ? f.list - CLOSING : f.list + CLOSING;
    return rank << 56 | f.lastPosition;
  }

  /** Whether the packet given to the last {@link #track} call went from side A to side B. */
  public boolean lastFromA() {
    return lastFromA;
  }

  /** The budget of the flows' reassembly buffers. */
  public StreamBudget budget() {
    return budget;
  }

  public int size() {
    return size;
  }

  public int peak() {
    return peak;
  }

  public long created() {
    return created;
  }

  /** Flows pushed out because the table was full, claimed ones included. */
  public long evicted() {
    return evicted;
  }

  /** Claimed flows pushed out because the table was full and held no unclaimed flow. */
  public long evictedClaimed() {
    return evictedClaimed;
  }

  /** Flows ended by their idle timeout. */
  public long expired() {
    return expired;
  }

  /** Flows ended after a TCP close. */
  public long closed() {
    return closed;
  }

  /**
   * Finds or starts the flow of a TCP or UDP packet and updates its counters, orientation and close
   * state. Sets {@link #lastFromA()}.
   */
  public Flow track(DecodedPacket p) {
    return track(p, ++tracked);
  }

  /**
   * The same, for a packet at {@code position} of the input (rising): tables that share an input
   * end their flows at its end in the same order as one table would.
   */
  public Flow track(DecodedPacket p, long position) {
    long now = p.timestampNanos();
    tick(now);
    long sHi = p.srcHi();
    long sLo = p.srcLo();
    long dHi = p.dstHi();
    long dLo = p.dstLo();
    int sPort = p.srcPort();
    int dPort = p.dstPort();
    int proto = p.ipProtocol();
    int hash = hash(sHi, sLo, sPort, dHi, dLo, dPort, proto);
    int i = hash & mask;
    Flow f;
    while ((f = slots[i]) != null) {
      if (hashes[i] == hash && f.ipProtocol == proto) {
        if (f.aLo == sLo
            && f.aHi == sHi
            && f.aPort == sPort
            && f.bLo == dLo
            && f.bHi == dHi
            && f.bPort == dPort) {
          lastFromA = true;
          break;
        }
        if (f.aLo == dLo
            && f.aHi == dHi
            && f.aPort == dPort
            && f.bLo == sLo
            && f.bHi == sHi
            && f.bPort == sPort) {
          lastFromA = false;
          break;
        }
      }
      i = (i + 1) & mask;
    }
    if (f == null) {
      if (size == maxFlows) {
        Flow victim = victim();
        remove(victim);
        evicted++;
        if (victim.claimed) {
          evictedClaimed++;
        }
        listener.flowEnded(victim, EndReason.EVICTED);
        i = freeSlot(hash); // the removal may have shifted the probe chain
      }
      if (size * 2 >= slots.length && slots.length < maxCapacity) {
        grow();
        i = freeSlot(hash);
      }
      f = new Flow(nextId, sHi, sLo, sPort, dHi, dLo, dPort, proto, hash);
      nextId += idStride;
      f.firstNanos = now;
      f.budget = budget;
      orientNew(f, p);
      slots[i] = f;
      hashes[i] = hash;
      size++;
      created++;
      if (size > peak) {
        peak = size;
      }
      append(f, listOf(f, true));
      lastFromA = true;
    } else {
      moveToTail(f);
    }
    if (now > f.lastNanos) {
      f.lastNanos = now;
    }
    f.lastPosition = position;
    int wire = p.wireLength();
    if (lastFromA) {
      f.packetsAtoB++;
      f.bytesAtoB += wire;
    } else {
      f.packetsBtoA++;
      f.bytesBtoA += wire;
    }
    if (proto == 6
        && (p.tcpFlags() & (DecodedPacket.SYN | DecodedPacket.FIN | DecodedPacket.RST)) != 0) {
      tcpState(f, p); // only handshakes and closes change it
    }
    return f;
  }

  private static void orientNew(Flow f, DecodedPacket p) {
    if (p.ipProtocol() == 6 && (p.tcpFlags() & DecodedPacket.SYN) != 0) {
      // SYN: the sender is the client; SYN+ACK: the sender is the server.
      f.clientIsB = (p.tcpFlags() & DecodedPacket.ACK) != 0;
      f.orientationFromHandshake = true;
      return;
    }
    // No handshake seen: a privileged port against an unprivileged one marks the server;
    // otherwise the sender of the first packet is taken for the client.
    boolean srcLow = p.srcPort() < 1024;
    boolean dstLow = p.dstPort() < 1024;
    f.clientIsB = srcLow && !dstLow;
  }

  private void tcpState(Flow f, DecodedPacket p) {
    int flags = p.tcpFlags();
    if ((flags & DecodedPacket.SYN) != 0) {
      f.synchronize(lastFromA, p.seq());
      if (!f.orientationFromHandshake) {
        f.clientIsB = lastFromA == ((flags & DecodedPacket.ACK) != 0);
        f.orientationFromHandshake = true;
      }
    }
    if ((flags & DecodedPacket.RST) != 0) {
      f.reset = true;
    }
    if ((flags & DecodedPacket.FIN) != 0) {
      if (lastFromA) {
        f.finA = true;
      } else {
        f.finB = true;
      }
    }
    if (!f.closing && (f.reset || (f.finA && f.finB))) {
      unlink(f);
      f.closing = true;
      append(f, listOf(f, f.packets() == 1));
    }
  }

  /**
   * Marks a flow that a detector has claimed (a session follows it, or its shape was judged to be
   * mining): from now on it is evicted only when no unclaimed flow is left. It takes its place in
   * its new list by its last packet (its position in the input, the order the lists keep, as expiry
   * and eviction read them from the least recently active): the tail for the flow of the packet
   * just tracked, further in for one claimed after a silence (judged on a live capture's clock).
   */
  public void claim(Flow f) {
    if (f.claimed) {
      return;
    }
    f.claimed = true;
    if (f.prev == null && heads[f.list] != f) {
      return; // no longer in the table
    }
    unlink(f);
    int list = listOf(f, false);
    Flow before = tails[list];
    while (before != null && before.lastPosition > f.lastPosition) {
      before = before.prev;
    }
    if (before == tails[list]) {
      append(f, list);
      return;
    }
    // Between "before" (null: the head) and the flow after it, which exists.
    Flow after = before == null ? heads[list] : before.next;
    f.list = (byte) list;
    f.prev = before;
    f.next = after;
    after.prev = f;
    if (before == null) {
      heads[list] = f;
    } else {
      before.next = f;
    }
  }

  /**
   * Capture time has reached {@code now}: ends the flows whose timeout has passed, once a second of
   * capture time at most. Each packet calls it; so does a live capture's clock on a quiet link.
   */
  public void tick(long now) {
    if (clock != null && clock.due(now)) {
      expire(now);
    }
  }

  /** The list a flow belongs in; {@code onePacket} when the flow has carried only one packet. */
  private static int listOf(Flow f, boolean onePacket) {
    int kind = f.claimed ? CLAIMED : onePacket ? ONE_PACKET : UNCLAIMED;
    return f.closing ? CLOSING + kind : kind;
  }

  /**
   * The flow a full table gives up: the first head in class order, a closed one before an open one.
   */
  private Flow victim() {
    for (int kind = ONE_PACKET; kind <= CLAIMED; kind++) {
      if (heads[CLOSING + kind] != null) {
        return heads[CLOSING + kind];
      }
      if (heads[kind] != null) {
        return heads[kind];
      }
    }
    throw new IllegalStateException("a full table holds no flow");
  }

  /** Doubles the slot arrays and places every flow again; at most log2(max / initial) times. */
  private void grow() {
    Flow[] oldSlots = slots;
    int[] oldHashes = hashes;
    slots = new Flow[oldSlots.length * 2];
    hashes = new int[oldSlots.length * 2];
    mask = slots.length - 1;
    for (int k = 0; k < oldSlots.length; k++) {
      if (oldSlots[k] != null) {
        int j = freeSlot(oldHashes[k]);
        slots[j] = oldSlots[k];
        hashes[j] = oldHashes[k];
      }
    }
  }

  /** The first empty slot of the probe chain of {@code hash}. */
  private int freeSlot(int hash) {
    int i = hash & mask;
    while (slots[i] != null) {
      i = (i + 1) & mask;
    }
    return i;
  }

  /** Ends the flows whose timeout has passed at capture time {@code now}. */
  public void expire(long now) {
    for (int list = CLOSING; list < LISTS; list++) {
      Flow f;
      while ((f = heads[list]) != null && now - f.lastNanos > CLOSE_LINGER_NANOS) {
        remove(f);
        closed++;
        listener.flowEnded(f, EndReason.CLOSED);
      }
    }
    for (int list = 0; list < CLOSING; list++) {
      Flow f;
      while ((f = heads[list]) != null
          && now - f.lastNanos > (f.ipProtocol == 6 ? tcpIdleNanos : udpIdleNanos)) {
        remove(f);
        expired++;
        listener.flowEnded(f, EndReason.IDLE);
      }
    }
  }

  /** Ends every flow, the least recently active first: the end of the input. */
  public void flush() {
    while (size > 0) {
      Flow oldest = null;
      for (Flow head : heads) {
        if (head != null && (oldest == null || head.lastPosition < oldest.lastPosition)) {
          oldest = head;
        }
      }
      remove(oldest);
      listener.flowEnded(oldest, EndReason.FLUSHED);
    }
  }

  private void remove(Flow f) {
    unlink(f);
    int i = f.hash & mask;
    while (slots[i] != f) {
      i = (i + 1) & mask;
    }
    // Backward-shift deletion keeps every probe chain unbroken without tombstones.
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      Flow g = slots[j];
      if (g == null) {
        break;
      }
      int k = hashes[j] & mask;
      boolean between = i <= j ? (i < k && k <= j) : (i < k || k <= j);
      if (between) {
        continue;
      }
      slots[i] = g;
      hashes[i] = hashes[j];
      i = j;
    }
    slots[i] = null;
    size--;
  }

  private void append(Flow f, int list) {
    f.list = (byte) list;
    f.prev = tails[list];
    f.next = null;
    if (tails[list] == null) {
      heads[list] = f;
    } else {
      tails[list].next = f;
    }
    tails[list] = f;
  }

  private void unlink(Flow f) {
    int list = f.list;
    if (f.prev != null) {
      f.prev.next = f.next;
    } else {
      heads[list] = f.next;
    }
    if (f.next != null) {
      f.next.prev = f.prev;
    } else {
      tails[list] = f.prev;
    }
    f.prev = null;
    f.next = null;
  }

  /** A packet of a known flow: to the tail of its list, which is no longer the one-packet list. */
  private void moveToTail(Flow f) {
    int list = listOf(f, false);
    if (f.list == list && tails[list] == f) {
      return;
    }
    unlink(f);
    append(f, list);
  }

  static int hash(long sHi, long sLo, int sPort, long dHi, long dLo, int dPort, int proto) {
    // Symmetric in the two endpoints so that both directions find the same slot: the two are put
    // in one order and the pair is mixed once (this runs for every packet; three mixes, one per
    // endpoint and one for the pair, were 5% of a scan's time).
    // The port goes above an IPv4-mapped address's bits (::ffff:a.b.c.d fills the low 48), so
    // that no two IPv4 endpoints sum to the same value.
    long a = sHi * 31 + sLo + ((long) sPort << 48);
    long b = dHi * 31 + dLo + ((long) dPort << 48);
    long h = mix(Math.min(a, b) * 0x9e3779b97f4a7c15L + Math.max(a, b) + proto);
    return (int) (h ^ (h >>> 32));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
