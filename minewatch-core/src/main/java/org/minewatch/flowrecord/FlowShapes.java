package org.minewatch.flowrecord;

import java.util.Locale;
import org.minewatch.logs.LogAnalyzer;
import org.minewatch.model.Endpoint;
import org.minewatch.model.IpAddress;

/**
 * Judges TCP connections to addresses on no list by the shape their flow records give: what a
 * Stratum or XMRig session looks like without its payload. A miner keeps one connection to its pool
 * for hours; shares go up every few seconds to minutes and jobs come down every ten seconds to two
 * minutes, each message a few hundred bytes of JSON (in TLS records); the pool answers every share.
 * So, over at least two minutes: packets both ways at a low, steady rate; small packets; kilobytes,
 * not megabytes, a minute; neither side sending far more than the other. And more packets from the
 * client than from the server: every share is answered at once (the answer carries the server's
 * acknowledgement), while the client acknowledges each answer and each pushed job with a packet of
 * its own, so with S shares and J jobs the client sends about 2S + J packets and the server S + J.
 * Protocols where both sides speak unasked as often (chat, IMAP IDLE, publish-subscribe) have about
 * as many each way. All of these must hold. A flow record cannot show the content, so this is
 * {@code suspect} and never more: database sessions, chat and other long-lived request-and-answer
 * protocols can have the same shape (docs/evaluation.md measures how often), which is why a suspect
 * endpoint is one to confirm, by packets or by {@code probe}.
 *
 * <p>Records of one connection (both directions, and the successive records a long connection's
 * active timeout produces) are added up; a connection is judged once it meets the duration, as its
 * records come in, or at the end. The client is the side with the higher port (the ephemeral one).
 * Memory: at most {@link #MAX_CONNECTIONS} connections, the oldest dropped first. They are held in
 * one array of longs (open addressing, linear probing, and a ring of their order), since nearly
 * every record of a busy network is a connection of its own: no object per record or connection.
 */
final class FlowShapes {
  static final int MAX_CONNECTIONS = 1 << 16;
  static final double MIN_SECONDS = 120;
  static final long MIN_PACKETS_EACH_WAY = 10;
  static final double MIN_PACKETS_PER_MINUTE = 1;
  static final double MAX_PACKETS_PER_MINUTE = 200;

  /**
   * Bytes per packet (IP headers included): bare ACKs are 40–60, a share or a reply in TLS a few
   * hundred.
   */
  static final double MAX_CLIENT_PACKET_BYTES = 400;

  /** Jobs with a Bitcoin merkle branch or a RandomX blob run larger than shares. */
  static final double MAX_SERVER_PACKET_BYTES = 800;

  static final double MIN_BYTES_PER_MINUTE = 500;
  static final double MAX_BYTES_PER_MINUTE = 200_000;
  static final double MIN_SERVER_CLIENT_RATIO = 0.2;
  static final double MAX_SERVER_CLIENT_RATIO = 10;

  /**
   * Client packets over server packets: between (2S + J) / (S + J) with jobs dominating and with
   * shares.
   */
  static final double MIN_CLIENT_SERVER_PACKETS = 1.2;

  static final double MAX_CLIENT_SERVER_PACKETS = 2.5;

  /** Slots to start with; the table doubles up to twice {@link #MAX_CONNECTIONS}. */
  private static final int FIRST_SLOTS = 1 << 10;

  // One connection's slot: its key, then what its records add up to.
  private static final int CLIENT_HI = 0;
  private static final int CLIENT_LO = 1;
  private static final int SERVER_HI = 2;
  private static final int SERVER_LO = 3;

  /** Client port << 16 | server port, and the flags below. */
  private static final int META = 4;

  private static final int CLIENT_PACKETS = 5;
  private static final int CLIENT_BYTES = 6;
  private static final int SERVER_PACKETS = 7;
  private static final int SERVER_BYTES = 8;
  private static final int FIRST = 9;
  private static final int LAST = 10;

  /** Records (low 32 bits) and the slot's place in the ring (high 32). */
  private static final int RECORDS_AND_PLACE = 11;

  private static final int STRIDE = 12;
  private static final long USED = 1L << 32;
  private static final long DONE = 1L << 33;
  private static final long PORTS = 0xffff_ffffL;

  private final LogAnalyzer evidence;
  private long judged;

  private long[] table;
  private int slots;

  /** The slots in the order their connections came: a ring of {@code slots / 2} places. */
  private int[] order;

  private int oldest;
  private int size;

  FlowShapes(LogAnalyzer evidence) {
    this.evidence = evidence;
    reset(FIRST_SLOTS);
  }

  /** Connections reported as shaped like mining so far. */
  long judged() {
    return judged;
  }

  void record(FlowView r) {
    if (r.protocol != 6) {
      return;
    }
    boolean sourceIsClient =
        r.sourcePort > r.destinationPort
            || r.sourcePort == r.destinationPort
                && IpAddress.format(r.sourceHi, r.sourceLo)
                        .compareTo(IpAddress.format(r.destinationHi, r.destinationLo))
                    < 0;
    long clientHi = sourceIsClient ? r.sourceHi : r.destinationHi;
    long clientLo = sourceIsClient ? r.sourceLo : r.destinationLo;
    long serverHi = sourceIsClient ? r.destinationHi : r.sourceHi;
    long serverLo = sourceIsClient ? r.destinationLo : r.sourceLo;
    long ports =
        sourceIsClient
            ? (long) r.sourcePort << 16 | r.destinationPort
            : (long) r.destinationPort << 16 | r.sourcePort;
    int slot = find(clientHi, clientLo, serverHi, serverLo, ports);
    if (slot < 0) {
      slot = add(~slot, clientHi, clientLo, serverHi, serverLo, ports);
    }
    long[] t = table;
    int at = slot * STRIDE;
    if ((t[at + META] & DONE) != 0) {
      return;
    }
    t[at + CLIENT_PACKETS] += sourceIsClient ? r.packets : r.reversePackets;
    t[at + CLIENT_BYTES] += sourceIsClient ? r.bytes : r.reverseBytes;
    t[at + SERVER_PACKETS] += sourceIsClient ? r.reversePackets : r.packets;
    t[at + SERVER_BYTES] += sourceIsClient ? r.reverseBytes : r.bytes;
    t[at + FIRST] = Math.min(t[at + FIRST], r.firstNanos);
    t[at + LAST] = Math.max(t[at + LAST], r.lastNanos);
    t[at + RECORDS_AND_PLACE]++;
    judge(at, false);
  }

  /** Judges what has not been judged yet: the end of the input. */
  void finish() {
    for (int i = 0; i < size; i++) {
      judge(order[(oldest + i) & (order.length - 1)] * STRIDE, true);
    }
    reset(FIRST_SLOTS);
  }

  private void reset(int slotCount) {
    slots = slotCount;
    table = new long[slotCount * STRIDE];
    order = new int[slotCount / 2];
    oldest = 0;
    size = 0;
  }

  private static int hash(long clientHi, long clientLo, long serverHi, long serverLo, long ports) {
    long h = clientHi * 0x9E37_79B9_7F4A_7C15L;
    h = (h ^ clientLo) * 0xC2B2_AE3D_27D4_EB4FL;
    h = (h ^ serverHi) * 0x1656_67B1_9E37_79F9L;
    h = (h ^ serverLo) * 0x9E37_79B9_7F4A_7C15L;
    h = (h ^ ports) * 0xC2B2_AE3D_27D4_EB4FL;
    return (int) (h ^ h >>> 29 ^ h >>> 47);
  }

  /** The slot holding the connection, or {@code ~slot} of the free slot where it would go. */
  private int find(long clientHi, long clientLo, long serverHi, long serverLo, long ports) {
    long[] t = table;
    int mask = slots - 1;
    int i = hash(clientHi, clientLo, serverHi, serverLo, ports) & mask;
    while (true) {
      int at = i * STRIDE;
      long meta = t[at + META];
      if ((meta & USED) == 0) {
        return ~i;
      }
      if ((meta & PORTS) == ports
          && t[at + CLIENT_LO] == clientLo
          && t[at + SERVER_LO] == serverLo
          && t[at + CLIENT_HI] == clientHi
          && t[at + SERVER_HI] == serverHi) {
        return i;
      }
      i = (i + 1) & mask;
    }
  }

  /** Adds a connection at the free {@code slot}, making room first; returns its slot. */
  private int add(
      int slot, long clientHi, long clientLo, long serverHi, long serverLo, long ports) {
    if (size == order.length) {
      if (slots < 2 * MAX_CONNECTIONS) {
        grow();
      } else {
        remove(order[oldest]); // the oldest connection is dropped, judged or not
        oldest = (oldest + 1) & (order.length - 1);
        size--;
      }
      slot = ~find(clientHi, clientLo, serverHi, serverLo, ports);
    }
    long[] t = table;
    int at = slot * STRIDE;
    int place = (oldest + size) & (order.length - 1);
    t[at + CLIENT_HI] = clientHi;
    t[at + CLIENT_LO] = clientLo;
    t[at + SERVER_HI] = serverHi;
    t[at + SERVER_LO] = serverLo;
    t[at + META] = ports | USED;
    t[at + CLIENT_PACKETS] = 0;
    t[at + CLIENT_BYTES] = 0;
    t[at + SERVER_PACKETS] = 0;
    t[at + SERVER_BYTES] = 0;
    t[at + FIRST] = Long.MAX_VALUE;
    t[at + LAST] = Long.MIN_VALUE;
    t[at + RECORDS_AND_PLACE] = (long) place << 32;
    order[place] = slot;
    size++;
    return slot;
  }

  /** Twice the slots, the connections moved over in their order. */
  private void grow() {
    long[] old = table;
    int[] oldOrder = order;
    int oldOldest = oldest;
    int count = size;
    reset(slots * 2);
    for (int i = 0; i < count; i++) {
      int from = oldOrder[(oldOldest + i) & (oldOrder.length - 1)] * STRIDE;
      int slot =
          ~find(
              old[from + CLIENT_HI],
              old[from + CLIENT_LO],
              old[from + SERVER_HI],
              old[from + SERVER_LO],
              old[from + META] & PORTS);
      int to = slot * STRIDE;
      System.arraycopy(old, from, table, to, STRIDE);
      table[to + RECORDS_AND_PLACE] = (long) i << 32 | (old[from + RECORDS_AND_PLACE] & PORTS);
      order[i] = slot;
    }
    size = count;
  }

  /** Empties a slot, moving later ones of its probe run back (no tombstones). */
  private void remove(int slot) {
    long[] t = table;
    int mask = slots - 1;
    int i = slot;
    int j = slot;
    while (true) {
      j = (j + 1) & mask;
      int at = j * STRIDE;
      if ((t[at + META] & USED) == 0) {
        break;
      }
      int home =
          hash(
                  t[at + CLIENT_HI],
                  t[at + CLIENT_LO],
                  t[at + SERVER_HI],
                  t[at + SERVER_LO],
                  t[at + META] & PORTS)
              & mask;
      boolean staysPut = i <= j ? i < home && home <= j : i < home || home <= j;
      if (staysPut) {
        continue;
      }
      System.arraycopy(t, at, t, i * STRIDE, STRIDE);
      order[(int) (t[at + RECORDS_AND_PLACE] >>> 32)] = i;
      i = j;
    }
    t[i * STRIDE + META] = 0;
  }

  private void judge(int at, boolean end) {
    long[] t = table;
    long firstNanos = t[at + FIRST];
    long lastNanos = t[at + LAST];
    double seconds = (lastNanos - firstNanos) / 1e9;
    if ((t[at + META] & DONE) != 0 || seconds < MIN_SECONDS) {
      return;
    }
    long clientPackets = t[at + CLIENT_PACKETS];
    long clientBytes = t[at + CLIENT_BYTES];
    long serverPackets = t[at + SERVER_PACKETS];
    long serverBytes = t[at + SERVER_BYTES];
    int records = (int) t[at + RECORDS_AND_PLACE];
    // Only once both directions have had time to arrive (exporters send each direction as its own
    // record).
    if (!end && (clientPackets == 0 || serverPackets == 0)) {
      return;
    }
    double minutes = seconds / 60;
    double clientRate = clientPackets / minutes;
    double serverRate = serverPackets / minutes;
    double clientSize = clientPackets == 0 ? 0 : (double) clientBytes / clientPackets;
    double serverSize = serverPackets == 0 ? 0 : (double) serverBytes / serverPackets;
    double perMinute = (clientBytes + serverBytes) / minutes;
    double ratio = clientBytes == 0 ? Double.POSITIVE_INFINITY : (double) serverBytes / clientBytes;
    double packetRatio =
        serverPackets == 0 ? Double.POSITIVE_INFINITY : (double) clientPackets / serverPackets;
    boolean shaped =
        clientPackets >= MIN_PACKETS_EACH_WAY
            && serverPackets >= MIN_PACKETS_EACH_WAY
            && clientRate >= MIN_PACKETS_PER_MINUTE
            && clientRate <= MAX_PACKETS_PER_MINUTE
            && serverRate >= MIN_PACKETS_PER_MINUTE
            && serverRate <= MAX_PACKETS_PER_MINUTE
            && clientSize <= MAX_CLIENT_PACKET_BYTES
            && serverSize <= MAX_SERVER_PACKET_BYTES
            && perMinute >= MIN_BYTES_PER_MINUTE
            && perMinute <= MAX_BYTES_PER_MINUTE
            && ratio >= MIN_SERVER_CLIENT_RATIO
            && ratio <= MAX_SERVER_CLIENT_RATIO
            && packetRatio >= MIN_CLIENT_SERVER_PACKETS
            && packetRatio <= MAX_CLIENT_SERVER_PACKETS;
    if (!shaped) {
      return; // judged again as more records of a long connection come in
    }
    t[at + META] |= DONE;
    judged++;
    long ports = t[at + META] & PORTS;
    evidence.shapedLikeMining(
        new Endpoint(new IpAddress(t[at + CLIENT_HI], t[at + CLIENT_LO]), (int) (ports >>> 16)),
        new Endpoint(new IpAddress(t[at + SERVER_HI], t[at + SERVER_LO]), (int) (ports & 0xffff)),
        firstNanos,
        lastNanos,
        clientBytes + serverBytes,
        String.format(
            Locale.ROOT,
            "flow records shaped like a mining session, to an address on no list: %.1f min "
                + "in %d record%s; client %d packets of %.0f bytes on average (%.1f a minute), server %d of %.0f (%.1f a "
                + "minute; %.2f client packets per server packet), %.1f KB a minute, server/client bytes %.2f; a pool's "
                + "address to confirm (packets or probe)",
            minutes,
            records,
            records == 1 ? "" : "s",
            clientPackets,
            clientSize,
            clientRate,
            serverPackets,
            serverSize,
            serverRate,
            packetRatio,
            perMinute / 1000,
            ratio));
  }
}
