package org.minewatch.flowrecord;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.minewatch.intel.Intel;
import org.minewatch.logs.LogAnalyzer;
import org.minewatch.logs.LogRecord;
import org.minewatch.model.Endpoint;

/**
 * Turns flow records into evidence. Records carry no payload, so they show mining as a connection
 * to a pool's address (a block-listed address, or one resolved from a pool's name in the same
 * scan), or, for addresses on no list, as a connection shaped like a mining session ({@link
 * FlowShapes}): suspect either way, like a log line. Exporters mostly report each direction as its
 * own record; the two records of one connection are paired here, so that a connection counts once
 * with the bytes of both directions, and the side that is the pool is the server.
 *
 * <p>As a {@link FlowSink} it takes a decoder's reused view: a record to an address on no list (the
 * bulk of a network's) costs no object but the two addresses looked up in the {@link Intel}.
 */
public final class FlowRecordAnalyzer implements FlowSink {
  /** Connections waiting for their other direction; the oldest is reported alone when full. */
  private static final int MAX_WAITING = 1 << 16;

  private final Intel intel;
  private final LogAnalyzer evidence;
  private final FlowShapes shapes;
  private final Map<Conversation, Waiting> waiting = new LinkedHashMap<>();
  private long records;

  private record Conversation(Endpoint client, Endpoint server, int protocol) {}

  /** A record oriented client to pool, and whether it was reported in that direction. */
  private record Waiting(FlowRecord record, boolean clientToServer) {}

  public FlowRecordAnalyzer(Intel intel, LogAnalyzer evidence) {
    this.intel = intel;
    this.evidence = evidence;
    this.shapes = new FlowShapes(evidence);
  }

  public long records() {
    return records;
  }

  /** The view records kept as objects (nfdump CSV) go through. */
  private final FlowView recordView = new FlowView();

  public void record(FlowRecord r) {
    flow(recordView.set(r));
  }

  @Override
  public void flow(FlowView v) {
    records++;
    boolean toPool = intel.poolOf(null, v.destination()) != null;
    if (!toPool && intel.poolOf(null, v.source()) == null) {
      shapes.record(v); // on no list: judged by its shape alone
      return;
    }
    FlowRecord r = v.toRecord();
    FlowRecord oriented = toPool ? r : r.reversed();
    if (r.reversePackets() > 0 || r.reverseBytes() > 0) {
      report(oriented); // a biflow already holds both directions
      return;
    }
    Conversation key =
        new Conversation(oriented.sourceEndpoint(), oriented.destinationEndpoint(), r.protocol());
    Waiting other = waiting.remove(key);
    if (other == null) {
      park(key, new Waiting(oriented, toPool));
    } else if (other.clientToServer() != toPool) {
      report(merge(other.record(), oriented));
    } else {
      report(other.record()); // the same direction again (a later export of a long flow)
      park(key, new Waiting(oriented, toPool));
    }
  }

  /** Reports the connections still waiting for their other direction. */
  public void finish() {
    shapes.finish();
    for (Waiting w : waiting.values()) {
      report(w.record());
    }
    waiting.clear();
  }

  private void park(Conversation key, Waiting w) {
    waiting.put(key, w);
    if (waiting.size() > MAX_WAITING) {
      Iterator<Waiting> oldest = waiting.values().iterator();
      report(oldest.next().record());
      oldest.remove();
    }
  }

  /** Both directions of one connection, each already oriented client to server. */
  private static FlowRecord merge(FlowRecord a, FlowRecord b) {
    return new FlowRecord(
        a.exporter(),
        a.source(),
        a.sourcePort(),
        a.destination(),
        a.destinationPort(),
        a.protocol(),
        a.packets() + b.packets(),
        a.bytes() + b.bytes(),
        a.reversePackets() + b.reversePackets(),
        a.reverseBytes() + b.reverseBytes(),
        Math.min(a.firstNanos(), b.firstNanos()),
        Math.max(a.lastNanos(), b.lastNanos()),
        a.tcpFlags() | b.tcpFlags());
  }

  private void report(FlowRecord r) {
    evidence.record(
        new LogRecord(
            "flow",
            r.firstNanos(),
            r.source(),
            r.sourcePort(),
            r.destination(),
            r.destinationPort(),
            r.transport(),
            null,
            List.of(),
            null,
            null,
            null,
            null,
            null,
            r.bytes() + r.reverseBytes(),
            (r.lastNanos() - r.firstNanos()) / 1e9));
  }
}
