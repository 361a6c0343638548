package org.minewatch.detect.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.minewatch.capture.Packet;
import org.minewatch.decode.DecodedPacket;
import org.minewatch.decode.PacketDecoder;
import org.minewatch.evidence.Evidence;
import org.minewatch.flow.Flow;
import org.minewatch.flow.FlowTable;
import org.minewatch.testkit.TrafficBuilder;

/**
 * The lead a connection too short for the model gets from its server pushing work as a pool does
 * ({@link BehaviourJudge#pushesWork}): each condition, met and missed by one.
 */
class PushLeadTest {
  private static final long S = 1_000_000_000L;

  /**
   * The first minute of a slow Stratum miner over TLS 1.3, in the sizes of cpuminer's: the
   * handshake (its second client message carries the subscribe), the authorize answered with 58
   * bytes and the job in the same burst, {@code shares} shares answered with {@code answer} bytes,
   * and {@code pushes} jobs of {@code job} bytes pushed every 15 s.
   */
  private static FlowProfile stratumOpening(int shares, int answer, int pushes, int job) {
    FlowProfile p = new FlowProfile();
    p.add(true, 517, 0);
    p.add(false, 1425, S / 1000);
    p.add(true, 172, 2 * S / 1000);
    p.add(false, 662, 3 * S / 1000);
    p.add(true, 130, 50 * S / 1000); // mining.authorize
    p.add(false, 58, 51 * S / 1000); // true
    p.add(false, 1068, 90 * S / 1000); // set_difficulty and notify, the same burst
    for (int i = 0; i < shares; i++) {
      p.add(true, 162, (5 + i) * S + S / 3);
      p.add(false, answer, (5 + i) * S + S / 3 + S / 1000);
    }
    for (int i = 1; i <= pushes; i++) {
      p.add(false, job, i * 15L * S);
    }
    p.closeBurst();
    return p;
  }

  /** A judge that makes leads gives one for a pool's pushes, saying what it saw. */
  @Test
  void theLeadSaysWhatThePoolPushed() {
    FlowProfile p = stratumOpening(1, 58, 3, 985);
    List<Evidence> leads = new ArrayList<>();
    assertThat(BehaviourJudge.builtIn().withLeads().judge(flow(), p, leads::add, false)).isTrue();
    assertThat(leads).singleElement().matches(Evidence::isLead);
    assertThat(leads.get(0).text())
        .matches(
            ".*: opens like a mining session \\(the server pushed 3 messages unasked, 985 bytes on"
                + " average against 592 for its answers, as a pool pushes jobs; behaviour model"
                + " score 0\\.[0-2]\\d: 2 client and 5 server messages past the first exchange in"
                + " 45 s\\), too little to judge");
    // Once: a lead is not given again.
    assertThat(BehaviourJudge.builtIn().withLeads().judge(flow(), p, leads::add, false)).isFalse();
    // A judge that makes no leads gives nothing.
    assertThat(
            BehaviourJudge.builtIn()
                .judge(flow(), stratumOpening(1, 58, 3, 985), leads::add, false))
        .isFalse();
  }

  /** A TCP flow of one SYN, for the judge to name. */
  private static Flow flow() {
    TrafficBuilder b = new TrafficBuilder(Instant.EPOCH);
    b.tcp("10.0.0.1", 50000, "192.0.2.7", 443).syn();
    TrafficBuilder.Frame f = b.frames().get(0);
    byte[] ip = f.ipPacket();
    DecodedPacket d = new DecodedPacket();
    PacketDecoder.decode(Packet.of(ip, 0, ip.length, ip.length, f.timeNanos(), 101), d);
    return new FlowTable(16, S, S, (flow, reason) -> {}).track(d);
  }

  private static boolean lead(FlowProfile p) {
    return BehaviourJudge.pushesWork(p, BehaviourFeatures.of(p));
  }

  @Test
  void twoJobsPushedToAClientAnsweredTwiceInJsonSizesAreALead() {
    FlowProfile p = stratumOpening(1, 58, 3, 985);
    assertThat(p.answered).isEqualTo(2);
    assertThat(p.pushes).isEqualTo(3);
    assertThat(lead(p)).isTrue();
    assertThat(lead(stratumOpening(1, 58, 2, 985))).isTrue();
  }

  @Test
  void onePushIsNoLead() {
    assertThat(lead(stratumOpening(1, 58, 1, 985))).isFalse();
  }

  @Test
  void aClientAnsweredOnceIsASubscriberNotALead() {
    // Subscribed once, then only listening: what a pub/sub subscriber does.
    assertThat(lead(stratumOpening(0, 58, 3, 985))).isFalse();
  }

  @Test
  void anAnswerShorterThanAnyJsonRpcAnswerInTlsIsNoLead() {
    assertThat(lead(stratumOpening(1, BehaviourJudge.LEAD_SMALLEST_ANSWER_BYTES, 3, 985))).isTrue();
    // Redis's +PONG in a TLS 1.3 record: 29 bytes.
    assertThat(lead(stratumOpening(1, BehaviourJudge.LEAD_SMALLEST_ANSWER_BYTES - 1, 3, 985)))
        .isFalse();
    assertThat(lead(stratumOpening(1, 29, 3, 985))).isFalse();
  }

  @Test
  void pushesNoLargerThanTheAnswersAreNoLead() {
    // Answers: 58 + 1068 (the authorize with the job) and 58: 592 on average.
    assertThat(lead(stratumOpening(1, 58, 3, 593))).isTrue();
    assertThat(lead(stratumOpening(1, 58, 3, 592))).isFalse();
    assertThat(lead(stratumOpening(1, 58, 3, 200))).isFalse();
  }
}
