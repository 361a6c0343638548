package org.minewatch.scan;

import java.nio.file.Path;
import java.util.List;
import org.minewatch.capture.Packet;
import org.minewatch.decode.DecodedPacket;
import org.minewatch.decode.PacketDecoder;
import org.minewatch.detect.Detector;
import org.minewatch.detect.Outcome;
import org.minewatch.detect.Session;
import org.minewatch.detect.behaviour.BehaviourJudge;
import org.minewatch.detect.behaviour.FlowProfile;
import org.minewatch.detect.behaviour.Opaque;
import org.minewatch.evidence.FlowEvidence;
import org.minewatch.flow.Flow;
import org.minewatch.flow.FlowTable;
import org.minewatch.flow.StreamBudget;
import org.minewatch.flow.StreamBuffer;

/**
 * The packet pipeline: decode, track the flow, hand new payload to the detectors still in play or
 * to the session of the detector that claimed the flow. Inspection is bounded: after {@link
 * #INSPECT_PACKETS} payload packets or {@link StreamBuffer#MAX_BYTES} bytes a direction without a
 * decision, the flow only counts; and all flows' buffers together stay within a {@link
 * StreamBudget}, which ends the inspection of the oldest undecided flows when it is spent.
 */
public final class Analyzer implements PacketAnalysis, FlowTable.EndListener {
  static final int INSPECT_PACKETS = 24;

  private final DecodedPacket decoded = new DecodedPacket();
  private final FlowTable table;
  private final Detector[] detectors;
  private final long tcpCandidates;
  private final long udpCandidates;
  private final FlowEvidence evidence;
  private final ScanStats stats;
  private final Triage triage;
  private final BehaviourJudge judge;

  /** Packets given to {@link #packet} so far: where in the input the current one is. */
  private long position;

  /** Profiled connections by their next checkpoint, where judged on the clock too; else null. */
  private CheckpointQueue checkpoints;

  private final CheckpointQueue.Judge judgeCheckpoint = this::checkpoint;

  public Analyzer(
      List<Detector> detectors,
      FlowEvidence evidence,
      ScanStats stats,
      ScanReporter reporter,
      int maxFlows) {
    this(detectors, evidence, stats, reporter, maxFlows, BehaviourJudge.builtIn());
  }

  /**
   * @param judge judges the shape of encrypted or opaque TCP flows; null to judge none
   */
  public Analyzer(
      List<Detector> detectors,
      FlowEvidence evidence,
      ScanStats stats,
      ScanReporter reporter,
      int maxFlows,
      BehaviourJudge judge) {
    this(detectors, evidence, stats, reporter, maxFlows, judge, StreamBudget.DEFAULT_BYTES);
  }

  /**
   * @param bufferBudget bytes the reassembly buffers of all flows may hold together
   */
  public Analyzer(
      List<Detector> detectors,
      FlowEvidence evidence,
      ScanStats stats,
      ScanReporter reporter,
      int maxFlows,
      BehaviourJudge judge,
      long bufferBudget) {
    this.judge = judge;
    if (detectors.size() > 64) {
      throw new IllegalArgumentException("at most 64 detectors");
    }
    this.detectors = detectors.toArray(new Detector[0]);
    long tcp = 0;
    long udp = 0;
    for (int i = 0; i < this.detectors.length; i++) {
      if (this.detectors[i].handles(org.minewatch.model.Transport.TCP)) {
        tcp |= 1L << i;
      }
      if (this.detectors[i].handles(org.minewatch.model.Transport.UDP)) {
        udp |= 1L << i;
      }
    }
    this.tcpCandidates = tcp;
    this.udpCandidates = udp;
    this.evidence = evidence;
    this.stats = stats;
    this.triage = new Triage(stats, reporter);
    this.table =
        new FlowTable(
            maxFlows,
            FlowTable.DEFAULT_TCP_IDLE_NANOS,
            FlowTable.DEFAULT_UDP_IDLE_NANOS,
            new StreamBudget(bufferBudget),
            this);
  }

  /**
   * Numbers this analyzer's flows {@code first}, {@code first + stride}, ...: the workers of a
   * parallel scan number theirs apart, so that evidence replayed together names each flow once.
   */
  void numberFlows(long first, long stride) {
    table.numberFlows(first, stride);
  }

  /**
   * Leaves flow expiry to {@link #expire}: a parallel scan's dispatcher keeps one clock for all
   * workers.
   */
  void expireOnlyWhenCalled() {
    table.expireOnlyWhenCalled();
  }

  /** Ends the flows whose timeout has passed at capture time {@code now}. */
  void expire(long now) {
    table.expire(now);
  }

  /**
   * Judges each profiled connection at its checkpoints when {@link #clock} passes them, as well as
   * at its own next packet: for a live capture, where a silent connection's next packet may be
   * minutes away and the operator should not wait for it. A file is read at its own pace, and a
   * connection silent past a checkpoint is judged at its next packet or its end on what it said by
   * then, so a scan of a file does not need it.
   */
  public void judgeCheckpointsOnTheClock() {
    checkpoints = new CheckpointQueue();
  }

  /**
   * The capture's clock has reached {@code now} (capture time, nanoseconds) with no packet: ends
   * the flows whose idle timeout has passed, as a packet at {@code now} would, then judges every
   * profiled connection whose checkpoint has passed since its last packet, as it stood at the
   * checkpoint. Does nothing unless {@link #judgeCheckpointsOnTheClock} was called.
   */
  public void clock(long now) {
    if (checkpoints != null) {
      table.tick(now);
      checkpoints.due(now, judgeCheckpoint);
    }
  }

  /** Profiled connections waiting for a checkpoint on the clock (0 where not judged on it). */
  int checkpointsWaiting() {
    return checkpoints == null ? 0 : checkpoints.size();
  }

  @Override
  public void startFile(Path file) {
    triage.startFile(file);
  }

  @Override
  public void finishFile() {
    triage.finishFile();
  }

  @Override
  public void packet(Packet p) {
    position++;
    if (triage.admit(p, decoded)) {
      track(p, position);
    }
  }

  /**
   * A packet that a parallel scan's dispatcher has already counted and found to have a transport
   * header: decoded again here, into this worker's own state, and tracked.
   */
  void admitted(Packet p, long at) {
    PacketDecoder.decode(p, decoded);
    track(p, at);
  }

  private void track(Packet p, long at) {
    Flow f = table.track(decoded, at);
    boolean fromA = table.lastFromA();
    if (decoded.payloadLength() <= 0) {
      return;
    }
    if (f.behaviour() instanceof FlowProfile profile) {
      long nanos = decoded.timestampNanos();
      // A checkpoint judges the session as it stood at that age, before the packet that passed it.
      checkpoint(f, profile, nanos);
      if (!profile.add(fromA != f.clientIsB(), decoded.payloadLength(), nanos)
          && !profile.gaveEvidence()) {
        // Bulk transfer: not a mining session's shape. A profile that gave evidence stays (never
        // judged again) so that the flow's end is still reported.
        f.behaviour(null);
      }
    }
    try {
      switch (f.stage()) {
        case INSPECTING -> inspect(f, fromA);
        case IN_SESSION -> follow(f, fromA);
        default -> {
          // counters only
        }
      }
    } catch (RuntimeException e) {
      // A detector that trips over bytes it did not expect loses this flow, not the capture.
      f.stage(Flow.Stage.COUNTING);
      f.releaseStreams();
      stats.detectorFaults++;
      triage.fault(p, "flow " + f.label() + " no longer inspected after a fault: " + e);
    }
  }

  /**
   * Judges the connection if a checkpoint is due at {@code nanos} (a packet's time, or the
   * clock's), and moves it on.
   */
  private void checkpoint(Flow f, FlowProfile profile, long nanos) {
    if (!profile.checkpointDue(nanos)) {
      return;
    }
    if (judge.judge(f, profile, evidence, false) && (profile.flagged() || profile.suspected())) {
      table.claim(f); // flagged early (a lead is no flag); the flow's span is added when it ends
    }
    profile.checkpointJudged();
  }

  private void inspect(Flow f, boolean fromA) {
    boolean tcp = decoded.isTcp();
    if (f.payloadPackets(true) + f.payloadPackets(false) == 0) {
      f.candidates(tcp ? tcpCandidates : udpCandidates);
      if (tcp
          && judge != null
          && Opaque.looksOpaque(
              decoded.buffer(), decoded.payloadOffset(), decoded.payloadLength())) {
        FlowProfile profile = new FlowProfile();
        profile.add(fromA != f.clientIsB(), decoded.payloadLength(), decoded.timestampNanos());
        f.behaviour(profile);
        if (checkpoints != null) {
          checkpoints.add(f, profile, table.size());
        }
      }
    }
    int count = f.countPayloadPacket(fromA);
    byte[] data;
    int offset;
    int length;
    if (tcp) {
      StreamBuffer s = f.stream(fromA);
      int added =
          s.add(decoded.seq(), decoded.buffer(), decoded.payloadOffset(), decoded.payloadLength());
      if (added == StreamBuffer.REFUSED) {
        table
            .budget()
            .cut(f); // no room even after releasing older undecided flows: this one yields
        return;
      }
      if (added == 0) {
        return;
      }
      data = s.data();
      offset = 0;
      length = s.length();
    } else {
      // A datagram is read where it lies in the capture's array: detectors keep no reference.
      data = decoded.buffer();
      offset = decoded.payloadOffset();
      length = decoded.payloadLength();
    }
    long candidates = f.candidates();
    for (long bits = candidates; bits != 0; bits &= bits - 1) {
      int i = Long.numberOfTrailingZeros(bits);
      Outcome o = detectors[i].inspect(f, fromA, data, offset, length);
      if (o == Outcome.DETECTED) {
        startSession(f, fromA, detectors[i], data, offset, length);
        return;
      }
      if (o == Outcome.NOT_THIS) {
        candidates &= ~(1L << i);
      }
    }
    f.candidates(candidates);
    boolean exhausted = count >= INSPECT_PACKETS || (tcp && length >= StreamBuffer.MAX_BYTES);
    if (candidates == 0 || exhausted) {
      f.stage(Flow.Stage.COUNTING);
      f.releaseStreams();
    }
  }

  private void startSession(
      Flow f, boolean fromA, Detector detector, byte[] data, int offset, int length) {
    if (detector.readsContent()) {
      f.behaviour(null); // the content says what the flow is
    }
    Session s = detector.open(f, evidence);
    f.session(s);
    f.stage(Flow.Stage.IN_SESSION);
    table.claim(f);
    if (!decoded.isTcp()) {
      deliver(f, s, fromA, data, offset, length);
      return;
    }
    // The triggering direction first, then what the other direction has buffered.
    if (feedStream(f, s, fromA)) {
      feedStream(f, s, !fromA);
    }
  }

  /** Feeds a direction's buffered bytes to the session; false once the session is done. */
  private boolean feedStream(Flow f, Session s, boolean fromA) {
    StreamBuffer sb = f.existingStream(fromA);
    if (sb == null || sb.length() == 0) {
      return true;
    }
    int used = s.data(f, fromA, sb.data(), 0, sb.length(), decoded.timestampNanos());
    if (used == Session.DONE) {
      f.stage(Flow.Stage.COUNTING);
      f.releaseStreams();
      return false;
    }
    sb.consume(used);
    return true;
  }

  private void deliver(Flow f, Session s, boolean fromA, byte[] data, int offset, int length) {
    if (s.data(f, fromA, data, offset, length, decoded.timestampNanos()) == Session.DONE) {
      f.stage(Flow.Stage.COUNTING);
      f.releaseStreams();
    }
  }

  private void follow(Flow f, boolean fromA) {
    Session s = (Session) f.session();
    if (decoded.isTcp()) {
      StreamBuffer sb = f.stream(fromA);
      if (sb.add(decoded.seq(), decoded.buffer(), decoded.payloadOffset(), decoded.payloadLength())
          > 0) {
        feedStream(f, s, fromA);
      }
    } else {
      deliver(f, s, fromA, decoded.buffer(), decoded.payloadOffset(), decoded.payloadLength());
    }
  }

  @Override
  public void malformedRecord(Path file, long recordNumber, long fileOffset, String reason) {
    triage.malformedRecord(file, recordNumber, fileOffset, reason);
  }

  @Override
  public void flowEnded(Flow flow, FlowTable.EndReason reason) {
    if (flow.session() != null || flow.behaviour() != null) {
      evidence.flowEnding(flow, reason == FlowTable.EndReason.FLUSHED);
    }
    boolean gave = false;
    if (flow.session() instanceof Session s) {
      s.close(flow);
      gave = true;
    }
    if (flow.behaviour() instanceof FlowProfile profile) {
      // The judge passes over a flow already flagged likely; one flagged earlier gave evidence too.
      gave |= judge.judge(flow, profile, evidence, true) || profile.gaveEvidence();
    }
    if (gave) {
      // Only sessions and judged shapes emit evidence: other flows have nothing to add.
      evidence.flowEnded(flow);
    }
    flow.releaseStreams();
    flow.session(null);
    flow.behaviour(null);
  }

  /** Ends every flow still open: the end of the input. */
  @Override
  public void finish() {
    finishFile();
    table.flush();
    updateStats();
  }

  /** Copies the flow table's counters into the statistics, for progress reports and the summary. */
  @Override
  public void updateStats() {
    stats.flows = table.created();
    stats.flowsEvicted = table.evicted();
    stats.flowsEvictedClaimed = table.evictedClaimed();
    stats.flowsExpired = table.expired();
    stats.flowsClosed = table.closed();
    stats.peakFlows = table.peak();
    stats.bytesNotInspectedBudget = table.budget().bytesNotInspected();
    stats.flowsCutByBudget = table.budget().flowsCut();
    stats.peakBufferBytes = table.budget().peak();
  }
}
