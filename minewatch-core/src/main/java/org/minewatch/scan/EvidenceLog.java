package org.minewatch.scan;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.minewatch.evidence.Evidence;
import org.minewatch.evidence.FlowEvidence;
import org.minewatch.flow.Flow;
import org.minewatch.flow.FlowTable;

/**
 * A parallel scan worker's evidence, kept in the order of the input so that the dispatcher can
 * replay every worker's evidence into one aggregator as a sequential scan would have given it:
 * evidence is keyed by the input position of the packet that produced it (flows that expire before
 * a packet in the order one table expires them, see {@link FlowTable#expiryRank}), and evidence of
 * flows still open at the end by the position of their last packet, as a flow table's flush ends
 * them.
 */
final class EvidenceLog implements FlowEvidence {
  /** Evidence, or (evidence null) a flow's end with its span. */
  record Event(
      long position,
      long order,
      Evidence evidence,
      long flowId,
      long firstNanos,
      long lastNanos,
      long bytes) {}

  /** Position of evidence given at the end of the input, after every packet. */
  static final long END = Long.MAX_VALUE;

  private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();

  /** Order of a packet's own evidence: after the flows that expire before it. */
  private static final long PACKET = Long.MAX_VALUE;

  private long position;
  private long order;
  private boolean expiring;

  /** The packet at {@code position} of the input is processed next. */
  void at(long next) {
    this.position = next;
    this.order = PACKET;
    this.expiring = false;
  }

  /** Flows expire next, before the packet at {@code position}. */
  void expiring(long next) {
    this.position = next;
    this.expiring = true;
  }

  @Override
  public void flowEnding(Flow flow, boolean flushed) {
    if (flushed) {
      position = END;
      order = flow.lastPosition();
    } else if (expiring) {
      order = FlowTable.expiryRank(flow);
    }
  }

  @Override
  public void accept(Evidence evidence) {
    events.add(new Event(position, order, evidence, 0, 0, 0, 0));
  }

  @Override
  public void flowEnded(Flow flow) {
    events.add(
        new Event(
            position, order, null, flow.id(), flow.firstNanos(), flow.lastNanos(), flow.bytes()));
  }

  /**
   * Moves the events before position {@code before} (all of them if {@link #END}) into {@code out},
   * in key order: a worker gives them in that order.
   */
  void drain(long before, List<Event> out) {
    Event e;
    while ((e = events.peek()) != null && (e.position() < before || before == END)) {
      out.add(events.poll());
    }
  }
}
