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
 * Memory: at most {@link #MAX_CONNECTIONS} connections, the oldest dropped first (judged as it
 * goes, with what it has). They are held in one array of longs (open addressing, linear probing,
 * and a ring of their order), since nearly every record of a busy network is a connection of its
 * own: no object per record or connection.
 *
 * <p>With a short active timeout (an exporter's first record of the connection shorter than {@link
 * #MIN_SECONDS}) a long connection comes as a sequence of records, and one more thing can be seen:
 * the size of the server's messages record by record. A pool sends two kinds, answers to shares
 * (tens of bytes of JSON) and jobs (hundreds: a blob or a block header, a target, ids), and pushes
 * a job on its own clock at least every two minutes while shares come at random (a Poisson
 * process), so the server's mean bytes per packet changes from record to record with the mix. A
 * server that only acknowledges (MQTT PUBACK or PINGRESP, a RELP {@code rsp}) sends messages of one
 * size, record after record. So when at least {@link #MIN_SIZED_RECORDS} server records, spanning
 * at least {@link #MIN_SIZED_SECONDS}, have means within {@link #MAX_SERVER_SIZE_SPREAD} of each
 * other, the connection is not shaped like mining (the server's first record, with the handshake,
 * and its latest, perhaps cut by the timeout or the close, are left out). Such a connection is
 * judged once enough records have come, at its close (the other side's record after one side's FIN
 * or RST) or at the end of the input; with fewer records, as a whole.
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

  /** Server records (besides its first and its latest) needed to judge their sizes. */
  static final int MIN_SIZED_RECORDS = 4;

  /** Their span: longer than a pool's longest job interval, so that a job falls in it. */
  static final double MIN_SIZED_SECONDS = 120;

  /**
   * Largest over smallest mean server packet size of messages of one size: counters in a message (a
   * sequence number gaining a digit) move it by a byte or two; one job more or fewer in a record
   * moves a pool's by far more.
   */
  static final double MAX_SERVER_SIZE_SPREAD = 1.03;

  /** Fixed point of the sizes kept: 1/1024 byte. */
  private static final int SIZE_SHIFT = 10;

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

  /** Server records so far. */
  private static final int SERVER_RECORDS = 12;

  /**
   * How long the server's first record lasted: shorter than the judging time means a short active
   * timeout.
   */
  private static final int FIRST_SERVER_RECORD_NANOS = 13;

  /** The latest server record, held back until the next: its mean packet size, first and last. */
  private static final int PENDING_SIZE = 14;

  private static final int PENDING_FIRST = 15;
  private static final int PENDING_LAST = 16;

  /** Smallest and largest mean packet size of the server records between its first and latest. */
  private static final int MIN_SIZE = 17;

  private static final int MAX_SIZE = 18;

  /** When those records began and ended. */
  private static final int SIZED_FIRST = 19;

  private static final int SIZED_LAST = 20;

  private static final int STRIDE = 21;
  private static final long USED = 1L << 32;
  private static final long DONE = 1L << 33;
  private static final long PORTS = 0xffff_ffffL;
  private static final long CLIENT_CLOSED = 1L << 34;
  private static final long SERVER_CLOSED = 1L << 35;
  private static final int FIN = 0x01;
  private static final int RST = 0x04;

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
    long serverPackets = sourceIsClient ? r.reversePackets : r.packets;
    if (serverPackets > 0) {
      sizeServerRecord(
          t,
          at,
          (sourceIsClient ? r.reverseBytes : r.bytes),
          serverPackets,
          r.firstNanos,
          r.lastNanos);
    }
    // The close: once one side's record has FIN or RST, the other side's next record is its last
    // (exporters send a connection's two directions one after the other), or one biflow record.
    boolean ends = (r.tcpFlags & (FIN | RST)) != 0;
    long otherClosed = sourceIsClient ? SERVER_CLOSED : CLIENT_CLOSED;
    boolean closing = ends && r.reversePackets > 0 || (t[at + META] & otherClosed) != 0;
    if (ends) {
      t[at + META] |= sourceIsClient ? CLIENT_CLOSED : SERVER_CLOSED;
    }
    judge(at, false, closing);
  }

  /** Takes in one server record's mean packet size, the one before it now no longer the latest. */
  private static void sizeServerRecord(
      long[] t, int at, long bytes, long packets, long firstNanos, long lastNanos) {
    long n = t[at + SERVER_RECORDS]++;
    if (n == 0) {
      t[at + FIRST_SERVER_RECORD_NANOS] = lastNanos - firstNanos;
    } else {
      if (n >= 2) {
        long size = t[at + PENDING_SIZE];
        t[at + MIN_SIZE] = Math.min(t[at + MIN_SIZE], size);
        t[at + MAX_SIZE] = Math.max(t[at + MAX_SIZE], size);
        t[at + SIZED_FIRST] = Math.min(t[at + SIZED_FIRST], t[at + PENDING_FIRST]);
        t[at + SIZED_LAST] = Math.max(t[at + SIZED_LAST], t[at + PENDING_LAST]);
      }
      t[at + PENDING_SIZE] = (bytes << SIZE_SHIFT) / packets;
      t[at + PENDING_FIRST] = firstNanos;
      t[at + PENDING_LAST] = lastNanos;
    }
  }

  /** Judges what has not been judged yet: the end of the input. */
  void finish() {
    for (int i = 0; i < size; i++) {
      judge(order[(oldest + i) & (order.length - 1)] * STRIDE, true, true);
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
        // The oldest connection is dropped: judged first with what it has, as at its close (one
        // waiting for more short-timeout records would otherwise never be).
        judge(order[oldest] * STRIDE, false, true);
        remove(order[oldest]);
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
    t[at + SERVER_RECORDS] = 0;
    t[at + FIRST_SERVER_RECORD_NANOS] = 0;
    t[at + MIN_SIZE] = Long.MAX_VALUE;
    t[at + MAX_SIZE] = Long.MIN_VALUE;
    t[at + SIZED_FIRST] = Long.MAX_VALUE;
    t[at + SIZED_LAST] = Long.MIN_VALUE;
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

  /**
   * Judges a connection: at the {@code end} of the input, or as a record comes in, {@code closing}
   * if it is the connection's last (no more records to wait for).
   */
  private void judge(int at, boolean end, boolean closing) {
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
    long sized = Math.max(0, t[at + SERVER_RECORDS] - 2);
    double sizedSeconds = (t[at + SIZED_LAST] - t[at + SIZED_FIRST]) / 1e9;
    boolean sizesSeen = sized >= MIN_SIZED_RECORDS && sizedSeconds >= MIN_SIZED_SECONDS;
    double smallest = sizesSeen ? (double) t[at + MIN_SIZE] / (1 << SIZE_SHIFT) : 0;
    double largest = sizesSeen ? (double) t[at + MAX_SIZE] / (1 << SIZE_SHIFT) : 0;
    if (sizesSeen && largest <= smallest * MAX_SERVER_SIZE_SPREAD) {
      return; // messages of one size: acknowledgements, not jobs and answers
    }
    boolean shortTimeout = t[at + FIRST_SERVER_RECORD_NANOS] < MIN_SECONDS * 1e9;
    if (!sizesSeen && shortTimeout && !closing) {
      return; // records of a short active timeout: their sizes are worth waiting for
    }
    String sizes =
        sizesSeen
            ? String.format(
                Locale.ROOT,
                "; server %.0f to %.0f bytes a packet record by record (%d records over %.1f min: "
                    + "messages of more than one size)",
                smallest,
                largest,
                sized,
                sizedSeconds / 60)
            : "";
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
                + "minute; %.2f client packets per server packet), %.1f KB a minute, server/client bytes %.2f%s; a "
                + "pool's address to confirm (packets or probe)",
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
            ratio,
            sizes));
  }
}
