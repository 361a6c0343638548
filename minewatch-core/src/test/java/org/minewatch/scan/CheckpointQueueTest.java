package org.minewatch.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.minewatch.capture.Packet;
import org.minewatch.decode.DecodedPacket;
import org.minewatch.decode.PacketDecoder;
import org.minewatch.detect.behaviour.FlowProfile;
import org.minewatch.flow.Flow;
import org.minewatch.flow.FlowTable;
import org.minewatch.testkit.TrafficBuilder;

/** The queue stays within twice the open flows (and its slack) however many flows come and go. */
class CheckpointQueueTest {
  private static final long S = 1_000_000_000L;

  @Test
  void entriesOfEndedFlowsAreSweptOutPastTwiceTheOpenFlows() {
    List<Flow> flows = flows(3000);
    CheckpointQueue queue = new CheckpointQueue();
    Flow open = flows.get(0);
    int largest = 0;
    for (Flow f : flows) {
      FlowProfile p = new FlowProfile();
      p.add(true, 300, 0);
      f.behaviour(p);
      queue.add(f, p, 1);
      largest = Math.max(largest, queue.size());
      if (f != open) {
        f.behaviour(null); // ended, as the analyzer leaves an ended flow
      }
    }
    assertThat(largest).isEqualTo(2 * 1 + CheckpointQueue.SLACK + 1);
    // 3000 entries: swept before the 1028th and the 2054th were added (each time all but the open
    // one's), so the open one's and the 947 added since are left.
    assertThat(queue.size()).isEqualTo(948);
    List<Flow> judged = new ArrayList<>();
    queue.due(
        30 * S,
        (f, profile, now) -> {
          assertThat(profile.checkpointDue(now)).isTrue();
          judged.add(f);
        });
    assertThat(judged).containsExactly(open);
    assertThat(queue.size()).isEqualTo(1); // put back at its next checkpoint
  }

  /** A judge that does not move the checkpoint on is not asked again at it: no endless loop. */
  @Test
  @Timeout(10)
  void aCheckpointIsHandedOverOnce() {
    Flow f = flows(1).get(0);
    FlowProfile p = new FlowProfile();
    p.add(true, 300, 0);
    f.behaviour(p);
    CheckpointQueue queue = new CheckpointQueue();
    queue.add(f, p, 1);
    List<Flow> judged = new ArrayList<>();
    queue.due(30 * S, (flow, profile, now) -> judged.add(flow));
    assertThat(judged).containsExactly(f);
    assertThat(queue.size()).isZero();
  }

  /** Flows of one SYN each, from distinct ports. */
  private static List<Flow> flows(int n) {
    TrafficBuilder b = new TrafficBuilder(Instant.EPOCH);
    for (int i = 0; i < n; i++) {
      b.tcp("10.0.0.1", 10_000 + i, "192.0.2.7", 443).syn();
    }
    FlowTable table = new FlowTable(2 * n, 3600 * S, 3600 * S, (f, why) -> {});
    DecodedPacket d = new DecodedPacket();
    List<Flow> flows = new ArrayList<>();
    for (TrafficBuilder.Frame f : b.frames()) {
      byte[] ip = f.ipPacket();
      PacketDecoder.decode(Packet.of(ip, 0, ip.length, ip.length, f.timeNanos(), 101), d);
      flows.add(table.track(d));
    }
    return flows;
  }
}
