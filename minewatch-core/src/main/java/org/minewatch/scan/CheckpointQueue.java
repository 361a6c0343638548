package org.minewatch.scan;

import java.lang.ref.WeakReference;
import java.util.Comparator;
import java.util.PriorityQueue;
import org.minewatch.detect.behaviour.FlowProfile;
import org.minewatch.flow.Flow;

/**
 * The profiled connections of a live capture by when their next checkpoint falls due, so that one
 * silent past a checkpoint is judged when the clock passes it, not at its next packet: a slow
 * miner's next packet may come a minute or more after its 30 s or 60 s checkpoint. One entry per
 * connection at a time; an entry whose connection has ended, or whose checkpoint its own packets
 * have already judged, is dropped or moved on when it comes up, never searched for. An entry holds
 * its connection weakly, so that connections ended before their checkpoint (most of a busy link's)
 * are not kept for it; and once the entries outnumber twice the open flows (and {@link #SLACK}),
 * those of ended connections are swept out, so that the queue stays within the flow table's bound
 * however many short connections come and go.
 */
final class CheckpointQueue {
  /**
   * Judges a connection at the checkpoint that has fallen due, moving its checkpoint on ({@link
   * FlowProfile#checkpointDue}).
   */
  interface Judge {
    void checkpoint(Flow flow, FlowProfile profile, long now);
  }

  private static final class Due extends WeakReference<Flow> {
    final long at;

    Due(long at, Flow flow) {
      super(flow);
      this.at = at;
    }
  }

  private final PriorityQueue<Due> queue = new PriorityQueue<>(Comparator.comparingLong(d -> d.at));

  /** Entries beyond twice the open flows before those of ended connections are swept out. */
  static final int SLACK = 1024;

  /**
   * A connection whose shape is profiled from now on, among {@code openFlows} flows in the table.
   */
  void add(Flow flow, FlowProfile profile, int openFlows) {
    if (queue.size() > 2L * openFlows + SLACK) {
      queue.removeIf(d -> !waiting(d.get()));
    }
    add(flow, profile);
  }

  private void add(Flow flow, FlowProfile profile) {
    long at = profile.nextCheckpointNanos();
    if (at != Long.MAX_VALUE) {
      queue.add(new Due(at, flow));
    }
  }

  /** Whether the connection is still open and profiled (its profile is taken off when it ends). */
  private static boolean waiting(Flow flow) {
    return flow != null && flow.behaviour() instanceof FlowProfile;
  }

  /**
   * Hands {@code judge} each connection still profiled whose next checkpoint is at or before now.
   */
  void due(long now, Judge judge) {
    while (!queue.isEmpty() && queue.peek().at <= now) {
      Due d = queue.poll();
      Flow flow = d.get();
      if (!waiting(flow)) {
        continue;
      }
      FlowProfile profile = (FlowProfile) flow.behaviour();
      if (profile.nextCheckpointNanos() <= now) {
        judge.checkpoint(flow, profile, now);
      }
      // Back at its next checkpoint; never at this one again, whatever the judge did, so that this
      // loop ends.
      if (profile.nextCheckpointNanos() > d.at) {
        add(flow, profile);
      }
    }
  }

  /** Connections waiting for a checkpoint (ended ones among them until their time comes up). */
  int size() {
    return queue.size();
  }
}
