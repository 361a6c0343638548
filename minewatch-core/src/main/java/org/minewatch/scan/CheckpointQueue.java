package org.minewatch.scan;

import java.util.Comparator;
import java.util.PriorityQueue;
import org.minewatch.detect.behaviour.FlowProfile;
import org.minewatch.flow.Flow;

/**
 * The profiled connections of a live capture by when their next checkpoint falls due, so that one
 * silent past a checkpoint is judged when the clock passes it, not at its next packet: a slow
 * miner's next packet may come a minute or more after its 30 s or 60 s checkpoint. One entry per
 * connection at a time; an entry whose connection has ended, or whose checkpoint its own packets
 * have already judged, is dropped or moved on when it comes up, never searched for.
 */
final class CheckpointQueue {
  /** Judges a connection at the checkpoint that has fallen due. */
  interface Judge {
    void checkpoint(Flow flow, FlowProfile profile, long now);
  }

  private record Due(long at, Flow flow, FlowProfile profile) {}

  private final PriorityQueue<Due> queue = new PriorityQueue<>(Comparator.comparingLong(Due::at));

  /** A connection whose shape is profiled from now on. */
  void add(Flow flow, FlowProfile profile) {
    long at = profile.nextCheckpointNanos();
    if (at != Long.MAX_VALUE) {
      queue.add(new Due(at, flow, profile));
    }
  }

  /**
   * Hands {@code judge} each connection still profiled whose next checkpoint is at or before now.
   */
  void due(long now, Judge judge) {
    while (!queue.isEmpty() && queue.peek().at() <= now) {
      Due d = queue.poll();
      if (d.flow().behaviour() != d.profile()) {
        continue; // ended, or no longer profiled (bulk transfer)
      }
      if (d.profile().nextCheckpointNanos() <= now) {
        judge.checkpoint(d.flow(), d.profile(), now);
      }
      add(d.flow(), d.profile());
    }
  }

  /** Connections waiting for a checkpoint (ended ones among them until their time comes up). */
  int size() {
    return queue.size();
  }
}
