package org.minewatch.flowrecord;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.minewatch.logs.LogAnalyzer;
import org.minewatch.model.Endpoint;

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
 * Memory: at most {@link #MAX_CONNECTIONS} connections, the oldest dropped first.
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

  private final LogAnalyzer evidence;
  private final Map<Key, Shape> connections = new LinkedHashMap<>();
  private long judged;

  private record Key(Endpoint client, Endpoint server) {}

  private static final class Shape {
    long clientPackets;
    long clientBytes;
    long serverPackets;
    long serverBytes;
    long firstNanos = Long.MAX_VALUE;
    long lastNanos = Long.MIN_VALUE;
    int records;
    boolean done;
  }

  FlowShapes(LogAnalyzer evidence) {
    this.evidence = evidence;
  }

  /** Connections reported as shaped like mining so far. */
  long judged() {
    return judged;
  }

  void record(FlowRecord r) {
    if (r.protocol() != 6) {
      return;
    }
    boolean sourceIsClient =
        r.sourcePort() > r.destinationPort()
            || r.sourcePort() == r.destinationPort()
                && r.source().toString().compareTo(r.destination().toString()) < 0;
    FlowRecord c = sourceIsClient ? r : r.reversed();
    Key key = new Key(c.sourceEndpoint(), c.destinationEndpoint());
    Shape s = connections.get(key);
    if (s == null) {
      s = new Shape();
      connections.put(key, s);
      if (connections.size() > MAX_CONNECTIONS) {
        Iterator<Map.Entry<Key, Shape>> oldest = connections.entrySet().iterator();
        oldest.next();
        oldest.remove();
      }
    }
    if (s.done) {
      return;
    }
    s.clientPackets += c.packets();
    s.clientBytes += c.bytes();
    s.serverPackets += c.reversePackets();
    s.serverBytes += c.reverseBytes();
    s.firstNanos = Math.min(s.firstNanos, c.firstNanos());
    s.lastNanos = Math.max(s.lastNanos, c.lastNanos());
    s.records++;
    judge(key, s, false);
  }

  /** Judges what has not been judged yet: the end of the input. */
  void finish() {
    for (Map.Entry<Key, Shape> e : connections.entrySet()) {
      judge(e.getKey(), e.getValue(), true);
    }
    connections.clear();
  }

  private void judge(Key key, Shape s, boolean end) {
    double seconds = (s.lastNanos - s.firstNanos) / 1e9;
    if (s.done || seconds < MIN_SECONDS) {
      return;
    }
    // Only once both directions have had time to arrive (exporters send each direction as its own
    // record).
    if (!end && (s.clientPackets == 0 || s.serverPackets == 0)) {
      return;
    }
    double minutes = seconds / 60;
    double clientRate = s.clientPackets / minutes;
    double serverRate = s.serverPackets / minutes;
    double clientSize = s.clientPackets == 0 ? 0 : (double) s.clientBytes / s.clientPackets;
    double serverSize = s.serverPackets == 0 ? 0 : (double) s.serverBytes / s.serverPackets;
    double perMinute = (s.clientBytes + s.serverBytes) / minutes;
    double ratio =
        s.clientBytes == 0 ? Double.POSITIVE_INFINITY : (double) s.serverBytes / s.clientBytes;
    double packetRatio =
        s.serverPackets == 0
            ? Double.POSITIVE_INFINITY
            : (double) s.clientPackets / s.serverPackets;
    boolean shaped =
        s.clientPackets >= MIN_PACKETS_EACH_WAY
            && s.serverPackets >= MIN_PACKETS_EACH_WAY
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
    s.done = true;
    judged++;
    evidence.shapedLikeMining(
        key.client(),
        key.server(),
        s.firstNanos,
        s.lastNanos,
        s.clientBytes + s.serverBytes,
        String.format(
            Locale.ROOT,
            "flow records shaped like a mining session, to an address on no list: %.1f min "
                + "in %d record%s; client %d packets of %.0f bytes on average (%.1f a minute), server %d of %.0f (%.1f a "
                + "minute; %.2f client packets per server packet), %.1f KB a minute, server/client bytes %.2f; a pool's "
                + "address to confirm (packets or probe)",
            minutes,
            s.records,
            s.records == 1 ? "" : "s",
            s.clientPackets,
            clientSize,
            clientRate,
            s.serverPackets,
            serverSize,
            serverRate,
            packetRatio,
            perMinute / 1000,
            ratio));
  }
}
