package org.minewatch.detect.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FlowProfileTest {
  private static final long S = 1_000_000_000L;

  /**
   * A TLS session in the shape of XMRig's: the handshake (two messages each way, not counted), then
   * a 233-byte share every 5 s answered at once with 85 bytes, and a 406-byte job pushed every 10
   * s, from second 2 on.
   */
  /** A profile past a TLS handshake: two messages each way, not counted. */
  private static FlowProfile afterHandshake() {
    FlowProfile p = new FlowProfile();
    p.add(true, 297, 0);
    p.add(false, 1417, S / 1000);
    p.add(true, 679, 2 * S / 1000);
    p.add(false, 1028, 3 * S / 1000);
    return p;
  }

  private static FlowProfile miner(long untilSeconds) {
    FlowProfile p = afterHandshake();
    for (long t = 2; t < untilSeconds; t++) {
      if (t % 5 == 0) {
        p.add(true, 233, t * S);
        p.add(false, 85, t * S + S / 500);
      }
      if (t % 10 == 2) {
        p.add(false, 406, t * S);
      }
    }
    return p;
  }

  @Test
  void aCheckpointJudgesTheSessionAsItStoodAtThatAgeNotAtThePacketThatPassedIt() {
    FlowProfile p = miner(30);
    // Nothing from 25 s (the last share) to 41 s: the packet at 41 s passes the 30 s checkpoint.
    assertThat(p.checkpointDue(29 * S)).isFalse();
    assertThat(p.checkpointDue(41 * S)).isTrue();
    assertThat(p.durationSeconds()).isEqualTo(30.0);
    assertThat(BehaviourFeatures.judgeable(p)).isTrue();
    double[] x = BehaviourFeatures.of(p);
    assertThat(x[0]).isCloseTo(Math.log10(30), within(1e-12));
    // 5 shares (5, 10, 15, 20, 25 s) in 30 s; 5 answers and 3 pushes (2, 12, 22 s).
    assertThat(x[1]).isCloseTo(5 / 0.5, within(1e-9));
    assertThat(x[2]).isCloseTo(8 / 0.5, within(1e-9));
    // The silence from the last message (25.002 s) to the checkpoint counts: 4.998 of 30 s.
    assertThat(x[11]).isCloseTo(4.998 / 30, within(1e-9));
    assertThat(x[14]).isCloseTo(Math.log10((85.0 * 5 + 1) / (233 * 5 + 1)), within(1e-9));
    assertThat(x[15]).isCloseTo(Math.log10(406.0 / 85), within(1e-9));
    assertThat(x[16]).isEqualTo(85);
    // The packet is added after the judgement: the profile reads to its last packet again.
    p.add(true, 233, 41 * S);
    assertThat(p.durationSeconds()).isEqualTo(41.0);
    assertThat(p.checkpointDue(42 * S)).isFalse();
    assertThat(p.checkpointDue(60 * S)).isTrue();
  }

  /**
   * A checkpoint judged on a live capture's clock, with no packet after it: once judged, the
   * profile reads to its last packet again, as its end's judgement should.
   */
  @Test
  void aJudgedCheckpointLeavesTheProfileReadingToItsLastPacket() {
    FlowProfile p = miner(30); // the last share's answer at 25.002 s
    assertThat(p.checkpointDue(30 * S)).isTrue();
    assertThat(p.durationSeconds()).isEqualTo(30.0);
    p.checkpointJudged();
    assertThat(p.durationSeconds()).isCloseTo(25.002, within(1e-9));
    assertThat(p.nextCheckpointNanos()).isEqualTo(60 * S);
    assertThat(p.checkpointDue(59 * S)).isFalse();
  }

  @Test
  void fewerThanFourMessagesEachWayOrUnderTwentySecondsAreNotJudged() {
    assertThat(BehaviourFeatures.judgeable(miner(19))).isFalse(); // 3 shares, 19 s
    FlowProfile shortOne = miner(21);
    assertThat(BehaviourFeatures.judgeable(shortOne)).isTrue(); // 4 shares, 20.002 s
  }

  @Test
  void anAcknowledgementSmallerThanAnyJsonAnswerIsTheSmallestAnswer() {
    FlowProfile p = new FlowProfile();
    p.add(true, 311, 0);
    p.add(false, 1365, S / 1000);
    p.add(true, 80, 2 * S / 1000);
    p.add(false, 271, 3 * S / 1000);
    for (int i = 1; i <= 6; i++) {
      p.add(true, 200 + i, i * 5 * S);
      p.add(false, 26, i * 5 * S + S / 1000); // MQTT PUBACK in a TLS 1.3 record
    }
    double[] x = BehaviourFeatures.of(p);
    assertThat(x[16]).isEqualTo(26);
    assertThat(x[15]).isZero(); // no push
    assertThat(x[8]).isEqualTo(1.0); // every reading answered
  }

  /**
   * A busy miner's session: a 233-byte share every 0.8 s, each answered within 2 ms with 85 bytes,
   * and a 406-byte job pushed 0.3 s after a share's answer at 10.1 s and 18.9 s: never a second
   * from the client's last message, so no message is unsolicited by time, yet each job is one
   * server message more than the requests answered.
   */
  @Test
  void aJobPushedSoonAfterAShareIsStillAPush() {
    FlowProfile p = afterHandshake();
    for (long ms = 1000; ms < 30_000; ms += 800) {
      p.add(true, 233, ms * S / 1000);
      p.add(false, 85, ms * S / 1000 + 2 * S / 1000);
      if (ms == 9800 || ms == 18_600) {
        p.add(false, 406, (ms + 300) * S / 1000);
      }
    }
    p.closeBurst();
    double[] x = BehaviourFeatures.of(p);
    assertThat(BehaviourJudge.jobPushed(x)).isFalse();
    assertThat(p.serverRuns).isEqualTo(2);
    assertThat(BehaviourJudge.jobPushed(p, x)).isTrue();
  }

  /** A TLS closing alert (24 bytes) after the last answer is smaller than any answer: no job. */
  @Test
  void aSmallMessageAfterAnAnswerIsNoPush() {
    FlowProfile p = afterHandshake();
    for (long t = 1; t <= 25; t += 4) {
      p.add(true, 299, t * S);
      p.add(false, 141, t * S + 2 * S / 1000);
    }
    p.add(false, 24, 25 * S + S / 2);
    p.closeBurst();
    assertThat(p.serverRuns).isZero();
    assertThat(BehaviourJudge.jobPushed(p, BehaviourFeatures.of(p))).isFalse();
  }

  /**
   * A checkpoint's reading closes the message being gathered; the rest of a server message that
   * arrives 10 ms later is that message's, not a second one in a row.
   */
  @Test
  void aMessageCutByACheckpointsReadingIsNoPush() {
    FlowProfile p = afterHandshake();
    for (long t = 1; t <= 25; t += 4) {
      p.add(true, 233, t * S);
      p.add(false, 85, t * S + 2 * S / 1000);
      p.add(false, 1200, t * S + 3 * S / 1000);
      BehaviourFeatures.of(p); // a checkpoint reads the profile between the answer's two packets
      p.add(false, 1200, t * S + 13 * S / 1000);
    }
    p.closeBurst();
    assertThat(p.serverRuns).isZero();
  }
}
