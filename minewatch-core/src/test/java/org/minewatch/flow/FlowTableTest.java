package org.minewatch.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.minewatch.capture.Packet;
import org.minewatch.decode.DecodedPacket;
import org.minewatch.decode.PacketDecoder;
import org.minewatch.testkit.TrafficBuilder;

class FlowTableTest {
  private final List<String> ended = new ArrayList<>();

  private FlowTable table(int max) {
    return new FlowTable(
        max,
        60_000_000_000L,
        30_000_000_000L,
        (f, why) -> ended.add(f.label() + " " + why + " " + f.packets()));
  }

  private static List<Flow> feed(FlowTable t, List<TrafficBuilder.Frame> frames) {
    DecodedPacket d = new DecodedPacket();
    List<Flow> flows = new ArrayList<>();
    for (TrafficBuilder.Frame f : frames) {
      flows.add(t.track(decode(f, d)));
    }
    return flows;
  }

  private static DecodedPacket decode(TrafficBuilder.Frame f, DecodedPacket d) {
    byte[] ip = f.ipPacket();
    PacketDecoder.decode(Packet.of(ip, 0, ip.length, ip.length, f.timeNanos(), 101), d);
    return d;
  }

  @Test
  void bothDirectionsAreOneFlowOrientedByTheHandshake() {
    TrafficBuilder b = new TrafficBuilder(Instant.EPOCH);
    b.tcp("10.0.0.1", 50000, "10.0.0.2", 3333).handshake().client("a").server("b").fin();
    FlowTable t = table(10);
    List<Flow> flows = feed(t, b.frames());
    assertThat(flows).allMatch(f -> f == flows.get(0));
    Flow f = flows.get(0);
    assertThat(f.client().toString()).isEqualTo("10.0.0.1:50000");
    assertThat(f.orientationFromHandshake()).isTrue();
    assertThat(f.packets()).isEqualTo(10);
    assertThat(t.size()).isEqualTo(1);
  }

  @Test
  void aHandshakeAloneMakesNoStreamButItsSynPlacesTheFirstPayloadByte() {
    TrafficBuilder b = new TrafficBuilder(Instant.EPOCH);
    b.tcp("10.0.0.1", 50000, "10.0.0.2", 3333).handshake().client("hello").client("world");
    List<TrafficBuilder.Frame> frames = b.frames();
    FlowTable t = table(10);
    Flow f = feed(t, frames.subList(0, 3)).get(0);
    assertThat(f.existingStream(true)).isNull();
    assertThat(f.existingStream(false)).isNull();

    // "hello" is lost: "world" lies 5 bytes past where the SYN says the data begins, so it waits.
    DecodedPacket d = decode(frames.get(5), new DecodedPacket()); // after hello (3), its ACK (4)
    StreamBuffer s = f.stream(true);
    assertThat(s.add(d.seq(), d.buffer(), d.payloadOffset(), d.payloadLength())).isZero();
    assertThat(s.buffered()).isEqualTo(5);
    assertThat(s.length()).isZero();
  }

  @Test
  void aFlowFirstSeenAtItsSynAckIsOrientedToo() {
    TrafficBuilder b = new TrafficBuilder(Instant.EPOCH);
    b.tcp("10.0.0.1", 50000, "10.0.0.2", 3333).handshake();
    FlowTable t = table(10);
    Flow f = feed(t, b.frames().subList(1, 3)).get(0);
    assertThat(f.client().toString()).isEqualTo("10.0.0.1:50000");
  }

  @Test
  void withoutHandshakeAPrivilegedPortMarksTheServer() {
    TrafficBuilder b = new TrafficBuilder(Instant.EPOCH);
    b.tcp("10.0.0.1", 50000, "10.0.0.2", 443).handshake().server("hello");
    FlowTable t = table(10);
    Flow f = feed(t, b.frames().subList(3, 4)).get(0);
    assertThat(f.client().toString()).isEqualTo("10.0.0.1:50000");
  }

  @Test
  void fullTableEvictsTheLeastRecentlyActiveFlowAndCountsIt() {
    TrafficBuilder b = new TrafficBuilder(Instant.EPOCH);
    for (int i = 0; i < 5; i++) {
      b.udp("10.0.0.1", 1000 + i, "10.0.0.2", 53, new byte[] {1});
    }
    b.udp("10.0.0.1", 1000, "10.0.0.2", 53, new byte[] {1}); // touches the first flow again
    b.udp("10.0.0.1", 2000, "10.0.0.2", 53, new byte[] {1});
    FlowTable t = table(5);
    feed(t, b.frames());
    assertThat(t.evicted()).isEqualTo(1);
    assertThat(t.size()).isEqualTo(5);
    assertThat(ended).containsExactly("UDP 10.0.0.1:1001 -> 10.0.0.2:53 EVICTED 1");
  }

  @Test
  void
      aFullTableEvictsOnePacketFlowsFirstThenOtherUnclaimedOnesAndClaimedOnesOnlyWhenNothingElseIsLeft() {
    FlowTable t = table(3);
    feed(t, udp("10.0.0.1", 1000, 53)); // A: answered below, so two packets; the oldest flow
    feed(t, udp("10.0.0.2", 53, 1000));
    t.claim(feed(t, udp("10.0.0.1", 1001, 3333)).get(0)); // B: claimed by a detector
    feed(t, udp("10.0.0.1", 1002, 53)); // C: one packet
    feed(t, udp("10.0.0.1", 1003, 53)); // D pushes out C, the one-packet flow, not A, older
    feed(t, udp("10.0.0.1", 1004, 53)); // E pushes out D
    feed(t, udp("10.0.0.2", 53, 1004)); // E's second packet: no one-packet flow is left
    feed(t, udp("10.0.0.1", 1005, 53)); // F pushes out A, unclaimed
    Flow g = feed(t, udp("10.0.0.1", 1006, 53)).get(0); // G pushes out F
    t.claim(g);
    t.claim(feed(t, udp("10.0.0.2", 53, 1004)).get(0)); // E claimed too: B, E and G, all claimed
    feed(t, udp("10.0.0.1", 1007, 53)); // H: only claimed flows left, so the oldest of them, B
    assertThat(ended)
        .containsExactly(
            "UDP 10.0.0.1:1002 -> 10.0.0.2:53 EVICTED 1",
            "UDP 10.0.0.1:1003 -> 10.0.0.2:53 EVICTED 1",
            "UDP 10.0.0.1:1000 -> 10.0.0.2:53 EVICTED 2",
            "UDP 10.0.0.1:1005 -> 10.0.0.2:53 EVICTED 1",
            "UDP 10.0.0.2:3333 -> 10.0.0.1:1001 EVICTED 1");
    assertThat(t.evicted()).isEqualTo(5);
    assertThat(t.evictedClaimed()).isEqualTo(1);
    assertThat(t.size()).isEqualTo(3);
  }

  @Test
  void withinAClassAClosedConnectionIsEvictedBeforeAnOpenOne() {
    TrafficBuilder b = new TrafficBuilder(Instant.EPOCH);
    b.tcp("10.0.0.1", 40000, "10.0.0.2", 80).handshake().client("a"); // open, older
    b.tcp("10.0.0.1", 40001, "10.0.0.2", 80).handshake().client("b").fin(); // closed, newer
    b.tcp("10.0.0.1", 40002, "10.0.0.2", 80).handshake();
    FlowTable t = table(2);
    feed(t, b.frames());
    assertThat(ended).containsExactly("TCP 10.0.0.1:40001 -> 10.0.0.2:80 EVICTED 8");
  }

  /** One UDP datagram from 10.0.0.1 or 10.0.0.2 (the other is the destination). */
  private static List<TrafficBuilder.Frame> udp(String src, int srcPort, int dstPort) {
    TrafficBuilder b = new TrafficBuilder(Instant.EPOCH);
    b.udp(src, srcPort, src.equals("10.0.0.1") ? "10.0.0.2" : "10.0.0.1", dstPort, new byte[] {1});
    return b.frames();
  }

  @Test
  void idleFlowsExpireOnCaptureTimeAndClosedFlowsAfterALinger() {
    TrafficBuilder b = new TrafficBuilder(Instant.EPOCH);
    b.udp("10.0.0.1", 1000, "10.0.0.2", 53, new byte[] {1});
    b.tcp("10.0.0.3", 40000, "10.0.0.4", 80).handshake().client("x").fin();
    b.advanceMillis(20_000);
    b.udp("10.0.0.5", 1000, "10.0.0.6", 53, new byte[] {1});
    b.advanceMillis(15_000);
    b.udp("10.0.0.5", 1000, "10.0.0.6", 53, new byte[] {2});
    FlowTable t = table(10);
    feed(t, b.frames());
    assertThat(ended)
        .containsExactly(
            "TCP 10.0.0.3:40000 -> 10.0.0.4:80 CLOSED 8",
            "UDP 10.0.0.1:1000 -> 10.0.0.2:53 IDLE 1");
    t.flush();
    assertThat(ended).last().isEqualTo("UDP 10.0.0.5:1000 -> 10.0.0.6:53 FLUSHED 2");
    assertThat(t.size()).isZero();
  }

  /** Three flows of a SYN each, at 0, 20 and 40 s, from 10.0.0.1, .3 and .5. */
  private static List<Flow> threeSynsTwentySecondsApart(FlowTable t) {
    TrafficBuilder b = new TrafficBuilder(Instant.EPOCH);
    for (int i = 0; i < 3; i++) {
      b.tcp("10.0.0." + (2 * i + 1), 40001 + 2 * i, "10.0.0." + (2 * i + 2), 443).syn();
      b.advanceMillis(20_000);
    }
    return feed(t, b.frames());
  }

  /**
   * A flow claimed on a live capture's clock, silent since long before the flows claimed at their
   * own packets, takes its place by its last packet: it expires when its idleness says, not behind
   * them. (Put at the tail, expiry would stop at the still-active flow before it.)
   */
  @Test
  void aFlowClaimedAfterASilenceTakesItsPlaceByItsLastPacket() {
    FlowTable t = table(10);
    List<Flow> flows = threeSynsTwentySecondsApart(t);
    t.claim(flows.get(1));
    t.claim(flows.get(2));
    t.claim(flows.get(0));
    t.tick(61_000_000_000L); // 61 s idle for the first, 41 and 21 s for the others
    assertThat(ended).containsExactly("TCP 10.0.0.1:40001 -> 10.0.0.2:443 IDLE 1");
    t.claim(flows.get(1)); // already claimed: stays where it is
    t.tick(81_000_000_000L);
    assertThat(ended).hasSize(2).last().isEqualTo("TCP 10.0.0.3:40003 -> 10.0.0.4:443 IDLE 1");
    t.tick(101_000_000_000L);
    assertThat(ended).hasSize(3).last().isEqualTo("TCP 10.0.0.5:40005 -> 10.0.0.6:443 IDLE 1");
  }

  /** Between two flows claimed at their packets, a silent one goes between them. */
  @Test
  void aFlowClaimedAfterASilenceCanGoBetweenOthers() {
    FlowTable t = table(10);
    List<Flow> flows = threeSynsTwentySecondsApart(t);
    t.claim(flows.get(0));
    t.claim(flows.get(2));
    t.claim(flows.get(1));
    // The flow after it moves to the tail on a packet of its own: the one inserted stays linked.
    TrafficBuilder later = new TrafficBuilder(Instant.EPOCH.plusSeconds(50));
    later.tcp("10.0.0.6", 443, "10.0.0.5", 40005).syn();
    feed(t, later.frames());
    t.flush(); // ends every flow: claimed ones by their place in the list
    assertThat(ended)
        .containsExactly(
            "TCP 10.0.0.1:40001 -> 10.0.0.2:443 FLUSHED 1",
            "TCP 10.0.0.3:40003 -> 10.0.0.4:443 FLUSHED 1",
            "TCP 10.0.0.5:40005 -> 10.0.0.6:443 FLUSHED 2");
  }

  @Test
  void manyFlowsSurviveInsertAndRemoveWithoutLosingAny() {
    FlowTable t = new FlowTable(1000, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, (f, why) -> {});
    TrafficBuilder b = new TrafficBuilder(Instant.EPOCH);
    for (int i = 0; i < 3000; i++) {
      b.udp("10.0." + (i / 250) + "." + (i % 250), 1000 + i, "10.1.0.1", 53, new byte[] {1});
    }
    feed(t, b.frames());
    assertThat(t.evicted()).isEqualTo(2000);
    // The last 1000 flows are all still found (no broken probe chains after removals).
    TrafficBuilder again = new TrafficBuilder(Instant.EPOCH);
    for (int i = 2000; i < 3000; i++) {
      again.udp("10.1.0.1", 53, "10.0." + (i / 250) + "." + (i % 250), 1000 + i, new byte[] {1});
    }
    long before = t.created();
    feed(t, again.frames());
    assertThat(t.created()).isEqualTo(before);
  }
}
