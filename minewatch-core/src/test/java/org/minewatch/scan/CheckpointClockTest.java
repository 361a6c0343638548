package org.minewatch.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minewatch.capture.CaptureFile;
import org.minewatch.capture.CaptureListener;
import org.minewatch.capture.Packet;
import org.minewatch.decode.DecodedPacket;
import org.minewatch.decode.PacketDecoder;
import org.minewatch.detect.behaviour.BehaviourJudge;
import org.minewatch.detect.behaviour.FlowProfile;
import org.minewatch.evidence.Evidence;
import org.minewatch.evidence.FlowEvidence;
import org.minewatch.flow.Flow;
import org.minewatch.flow.FlowTable;
import org.minewatch.intel.AddressNames;
import org.minewatch.intel.Intel;
import org.minewatch.intel.PoolCatalogue;
import org.minewatch.model.Verdict;

/**
 * A connection silent past a checkpoint is judged when the capture's clock passes it, where the
 * analyzer judges on the clock (a live capture), instead of at its next packet.
 *
 * <p>A real XMRig 6.16.0 over TLS 1.2 (data/real-xmrig, s5n15): after 30 s it is suspect (no job
 * pushed yet), after 60 s likely; its first packet past 60 s comes at 76.5 s. Its packets up to 61
 * s are given to the analyzer, then only the clock moves.
 */
class CheckpointClockTest {
  private static final Path SESSION =
      Path.of("")
          .toAbsolutePath()
          .getParent()
          .resolve("data/real-xmrig/mining/xmrig_rx0_tls12_7777_keepalive_265s_s5n15.pcap");
  private static final long S = 1_000_000_000L;

  private final List<Evidence> evidence = new ArrayList<>();

  /** How long each profiled connection read, as it ended (before its end's judgement). */
  private final List<Double> endReadings = new ArrayList<>();

  /** The time of the session's first payload: its profile's clock starts there. */
  private long first;

  @BeforeEach
  void findTheFirstPayload() throws IOException {
    assumeTrue(Files.exists(SESSION), SESSION + " is absent; skipped");
    first = firstPayloadNanos();
  }

  /** An analyzer that judges on the clock, given the session's packets of its first seconds. */
  private Analyzer onTheClockAfter(long seconds) throws IOException {
    Analyzer analyzer = analyzer();
    analyzer.judgeCheckpointsOnTheClock();
    feedUntil(analyzer, first + seconds * S);
    return analyzer;
  }

  @Test
  void aSilentConnectionIsJudgedWhenTheClockPassesItsCheckpoint() throws IOException {
    Analyzer analyzer = onTheClockAfter(61);
    assertThat(verdicts()).containsExactly(Verdict.SUSPECT);
    assertThat(evidence.get(0).text()).contains("judged while open, after 30 s");

    analyzer.clock(first + 60 * S - 1);
    assertThat(verdicts()).containsExactly(Verdict.SUSPECT);
    analyzer.clock(first + 60 * S);
    assertThat(verdicts()).containsExactly(Verdict.SUSPECT, Verdict.LIKELY);
    assertThat(evidence.get(1).text()).contains("judged while open, after 60 s");
    // Likely: never judged again, so nothing waits for a checkpoint.
    assertThat(analyzer.checkpointsWaiting()).isZero();
    analyzer.clock(first + 600 * S);
    assertThat(verdicts()).hasSize(2);
  }

  @Test
  void withoutTheClockTheSameConnectionWaitsForItsNextPacket() throws IOException {
    Analyzer analyzer = analyzer();
    feedUntil(analyzer, first + 61 * S);
    analyzer.clock(first + 120 * S);
    assertThat(verdicts()).containsExactly(Verdict.SUSPECT);
    assertThat(analyzer.checkpointsWaiting()).isZero();
  }

  /** Passes every checkpoint at once: each is judged in turn, as the session stood there. */
  @Test
  void aClockThatJumpsJudgesEachCheckpointItPassed() throws IOException {
    Analyzer analyzer = onTheClockAfter(30); // the packets of the first 30 s, no checkpoint yet
    assertThat(verdicts()).isEmpty();
    assertThat(analyzer.checkpointsWaiting()).isEqualTo(1);
    analyzer.clock(first + 301 * S); // short of the idle timeout: 600 s since its last packet
    // 30 s: suspect; then the same session read at 60, 120 and 300 s is no likelier (nothing
    // pushed since): a suspect connection is not judged suspect again.
    assertThat(verdicts()).containsExactly(Verdict.SUSPECT);
    assertThat(analyzer.checkpointsWaiting()).isEqualTo(1);
  }

  /**
   * On a quiet link the clock also ends a connection idle past the table's timeout, as a packet
   * would have: judged then at its end, on what it said to its last packet.
   */
  @Test
  void aConnectionIdlePastTheTimeoutEndsOnTheClock() throws IOException {
    Analyzer analyzer = onTheClockAfter(61);
    assertThat(verdicts()).containsExactly(Verdict.SUSPECT);
    analyzer.clock(first + 61 * S + FlowTable.DEFAULT_TCP_IDLE_NANOS);
    assertThat(verdicts()).containsExactly(Verdict.SUSPECT, Verdict.LIKELY);
    assertThat(evidence.get(1).text())
        .doesNotContain("judged while open")
        .contains("shaped like a mining session");
    assertThat(analyzer.checkpointsWaiting()).isZero();
  }

  /**
   * Judged on the clock at 30 s and ending with no packet since: its end reads it to its last
   * packet, as a file's scan does, not to the checkpoint again.
   */
  @Test
  void aConnectionEndingAfterAClockJudgementReadsToItsLastPacket() throws IOException {
    Analyzer analyzer = onTheClockAfter(30);
    analyzer.clock(first + 30 * S);
    assertThat(verdicts()).containsExactly(Verdict.SUSPECT);
    analyzer.finish();
    assertThat(endReadings).singleElement().satisfies(s -> assertThat(s).isLessThan(30.0));
  }

  /** A connection that has ended is not judged at the checkpoint it was waiting for. */
  @Test
  void anEndedConnectionIsNotJudgedAtItsCheckpoint() throws IOException {
    Analyzer analyzer = onTheClockAfter(29);
    assertThat(analyzer.checkpointsWaiting()).isEqualTo(1);
    analyzer.finish(); // the input ends: the connection is judged at its end, on 29 s
    List<Verdict> atTheEnd = verdicts();
    analyzer.clock(first + 3600 * S);
    assertThat(verdicts()).isEqualTo(atTheEnd);
    assertThat(analyzer.checkpointsWaiting()).isZero();
  }

  private List<Verdict> verdicts() {
    return evidence.stream().map(Evidence::supports).toList();
  }

  private Analyzer analyzer() {
    return new Analyzer(
        Detectors.standard(new Intel(PoolCatalogue.defaults(), new AddressNames())),
        new FlowEvidence() {
          @Override
          public void accept(Evidence e) {
            evidence.add(e);
          }

          @Override
          public void flowEnded(Flow flow) {}

          @Override
          public void flowEnding(Flow flow, boolean flushed) {
            if (flow.behaviour() instanceof FlowProfile profile) {
              endReadings.add(profile.durationSeconds());
            }
          }
        },
        new ScanStats(),
        ScanReporter.SILENT,
        FlowTable.DEFAULT_MAX_FLOWS,
        BehaviourJudge.builtIn());
  }

  private static void feedUntil(Analyzer analyzer, long until) throws IOException {
    analyzer.startFile(SESSION);
    CaptureFile.read(
        SESSION,
        new CaptureListener() {
          @Override
          public void packet(Packet packet) {
            if (packet.timestampNanos() < until) {
              analyzer.packet(packet);
            }
          }

          @Override
          public void malformedRecord(Path file, long record, long offset, String reason) {}
        });
  }

  private static long firstPayloadNanos() throws IOException {
    DecodedPacket decoded = new DecodedPacket();
    long[] first = {Long.MAX_VALUE};
    CaptureFile.read(
        SESSION,
        new CaptureListener() {
          @Override
          public void packet(Packet packet) {
            PacketDecoder.decode(packet, decoded);
            if (decoded.payloadLength() > 0) {
              first[0] = Math.min(first[0], packet.timestampNanos());
            }
          }

          @Override
          public void malformedRecord(Path file, long record, long offset, String reason) {}
        });
    return first[0];
  }
}
