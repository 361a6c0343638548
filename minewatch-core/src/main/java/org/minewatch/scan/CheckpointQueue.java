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
 * are not kept for it: what waits for them is a weak reference and a time each.
 */
final class CheckpointQueue {
  /** Judges a connection at the checkpoint that has fallen due. */
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

  /** A connection whose shape is profiled from now on. */
  void add(Flow flow, FlowProfile profile) {
    long at = profile.nextCheckpointNanos();
    if (at != Long.MAX_VALUE) {
      queue.add(new Due(at, flow));
    }
  }

  /**
   * Hands {@code judge} each connection still profiled whose next checkpoint is at or before now.
   */
  void due(long now, Judge judge) {
    while (!queue.isEmpty() && queue.peek().at <= now) {
      Flow flow = queue.poll().get();
      // Ended (its profile is taken off when it ends), collected, or no longer profiled.
      if (flow == null || !(flow.behaviour() instanceof FlowProfile profile)) {
        continue;
      }
      if (profile.nextCheckpointNanos() <= now) {
        judge.checkpoint(flow, profile, now);
      }
      add(flow, profile);
    }
  }

  /** Connections waiting for a checkpoint (ended ones among them until their time comes up). */
  int size() {
    return queue.size();
  }
}
