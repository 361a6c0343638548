package org.minewatch.detect.behaviour;

import java.util.Locale;
import org.minewatch.detect.FlowSides;
import org.minewatch.evidence.EvidenceSink;
import org.minewatch.flow.Flow;
import org.minewatch.model.Protocol;
import org.minewatch.model.Verdict;

/**
 * Judges a profiled connection when it ends: with enough of a session to go on and a model score at
 * or above the model's threshold, it is evidence of mining from behaviour alone, verdict {@code
 * likely}, worded with the measurements and the features that decided it.
 */
public class BehaviourJudge {
  private static final int EXPLAINED_FEATURES = 3;

  /**
   * Before this much of a session, a judgement rests on a handful of messages (a few shares, one
   * pushed job or none), so it needs a higher score.
   */
  public static final double EARLY_SECONDS = 120;

  /**
   * The score an early judgement needs. Set when a real benign session judged by a model that never
   * saw it reached 0.50 after 30 s (an MQTT publisher at QoS 1, before the answer-size features);
   * with the shipped model every real benign session judged by a model that never saw it stays at
   * 0.54 or less (rsyslog forwarding a short log line every 2 s over RELP, after 30 s) and the real
   * TLS miners flagged early score 0.82 or more (docs/evaluation.md, window by window).
   */
  public static final double EARLY_THRESHOLD = 0.7;

  /**
   * The score a connection too short to judge needs to be a lead for the probe. Measured on real
   * sessions (docs/evaluation.md, "Leads for the probe"): the real TLS miners made leads at 0.36 to
   * 0.99 (the lowest: an XMRig session of one share in 292 s); of 64 real benign sessions one
   * reached it, at 0.32 (rsyslog forwarding a line every ~2 s over RELP, at 30 s). Set under the
   * miners rather than above that session: a lead costs a probe, a missed one costs minutes.
   */
  public static final double LEAD_THRESHOLD = 0.3;

  private final ForestModel model;
  private final boolean leads;

  public BehaviourJudge(ForestModel model) {
    this(model, false);
  }

  private BehaviourJudge(ForestModel model, boolean leads) {
    this.model = model;
    this.leads = leads;
  }

  /**
   * The same model, also giving leads: a connection too short to judge (under {@link
   * BehaviourFeatures#MIN_MESSAGES} messages a way), open at least {@link
   * BehaviourFeatures#MIN_SECONDS} with a message each way past its first exchange, that the model
   * scores at {@link #LEAD_THRESHOLD} or more on what it has seen, becomes a lead (evidence of no
   * verdict, {@link org.minewatch.evidence.Evidence#isLead()}), once. Only for a scan that probes:
   * a lead is a server worth asking, not a finding.
   */
  public BehaviourJudge withLeads() {
    return new BehaviourJudge(model, true);
  }

  /** The judge with the model shipped in the build, read once. */
  public static BehaviourJudge builtIn() {
    return BuiltIn.JUDGE;
  }

  private static final class BuiltIn {
    static final BehaviourJudge JUDGE = new BehaviourJudge(ForestModel.builtIn());
  }

  /**
   * Judges the connection as profiled so far: at a checkpoint while it lasts ({@code ended} false)
   * or when it ends. Shaped like mining with a job pushed unasked, it is {@code likely} and not
   * judged again; with none pushed yet (a pool always pushes jobs, but a client posting events at
   * random times, each answered, has the same shape without them) it is only {@code suspect}, once,
   * and judged again until a push makes it {@code likely}.
   *
   * @return true if it gave evidence
   */
  public boolean judge(Flow flow, FlowProfile profile, EvidenceSink sink, boolean ended) {
    if (profile.flagged || profile.bulk) {
      return false;
    }
    if (!BehaviourFeatures.judgeable(profile)) {
      return leads && lead(flow, profile, sink);
    }
    double[] x = BehaviourFeatures.of(profile);
    boolean pushed = jobPushed(profile, x);
    if (!pushed && profile.suspected) {
      return false;
    }
    double[] parts = new double[x.length];
    double score = model.score(x, parts);
    double threshold = threshold(model, profile.durationSeconds());
    if (score < threshold) {
      return false;
    }
    FlowSides sides = new FlowSides(flow);
    sink.accept(
        sides.minerToPool(
            pushed ? Verdict.LIKELY : Verdict.SUSPECT,
            Protocol.MINING_BEHAVIOUR,
            null,
            null,
            flow.id(),
            profile.firstNanos,
            describe(profile, x, parts, score, threshold, ended)
                + (pushed ? "" : "; no job pushed yet, so suspect, not likely")));
    if (pushed) {
      profile.flagged = true;
    } else {
      profile.suspected = true;
    }
    return true;
  }

  /**
   * Unasked server messages a connection too short to judge needs, larger on average than the
   * server's answers, to be a lead however the model scores it: a pool pushes work to a miner that
   * has found nothing to submit yet (a slow miner's first minute is the login, perhaps a share, and
   * the pool's pushed jobs), and one push is also a late answer or an idle server's ping.
   */
  public static final int LEAD_PUSHES = 2;

  /**
   * Client messages past the first exchange that a lead's server must have answered: a miner asks
   * again (its login's second half, a share, a keep-alive), where a subscriber subscribes once and
   * listens to what is pushed.
   */
  public static final int LEAD_ANSWERS = 2;

  /**
   * The smallest answer, in bytes of TCP payload (TLS records with their headers), that a mining
   * protocol's server can give: every one (Stratum v1, XMRig's, Ethereum's) answers in JSON-RPC
   * with at least an id and a result ({@code {"id":1,"result":true}}, 22 bytes and a newline), and
   * a TLS record adds at least 21 (TLS 1.2 with ChaCha20-Poly1305; 22 in TLS 1.3 with its usual
   * suites; TLS 1.3's CCM_8 suite, off by default in OpenSSL and rarely offered, adds 14, and such
   * a pool's leads rest on the model alone). Binary protocols acknowledge in less: MQTT's PINGRESP
   * is a 24-byte record, Redis's {@code +PONG} 29; their subscribers also have pushes larger than
   * answers.
   */
  public static final int LEAD_SMALLEST_ANSWER_BYTES = 44;

  /**
   * Gives the connection as a lead if it has the start of a mining session's shape (see {@link
   * #withLeads()}): the model's score on the few messages seen, which it was not trained to judge
   * but which rank sessions well enough to choose what to ask; or, where the client has said too
   * little for the model, the server pushing work as a pool does ({@link #pushesWork}).
   */
  private boolean lead(Flow flow, FlowProfile p, EvidenceSink sink) {
    // Never suspected here: a profile judged once stays judgeable (its counts only grow).
    if (p.led
        || p.durationSeconds() < BehaviourFeatures.MIN_SECONDS
        || p.clientMessages() < 1
        || p.serverMessages() < 1) {
      return false;
    }
    double[] x = BehaviourFeatures.of(p);
    double score = model.score(x, null);
    boolean pushes = pushesWork(p, x);
    if (score < LEAD_THRESHOLD && !pushes) {
      return false;
    }
    String why =
        score >= LEAD_THRESHOLD
            ? String.format(
                Locale.ROOT,
                "behaviour model score %.2f, lead threshold %.2f",
                score,
                LEAD_THRESHOLD)
            : String.format(
                Locale.ROOT,
                "the server pushed %d messages unasked, %.0f bytes on average against %.0f for"
                    + " its answers, as a pool pushes jobs; behaviour model score %.2f",
                p.pushes,
                p.pushBytes / p.pushes,
                p.answerBytes / p.answered,
                score);
    sink.accept(
        new FlowSides(flow)
            .minerToPool(
                null,
                Protocol.MINING_BEHAVIOUR,
                null,
                null,
                flow.id(),
                p.firstNanos,
                String.format(
                    Locale.ROOT,
                    "opens like a mining session (%s:"
                        + " %d client and %d server messages past the first exchange in %.0f s),"
                        + " too little to judge",
                    why,
                    p.clientMessages(),
                    p.serverMessages(),
                    p.durationSeconds())));
    p.led = true;
    return true;
  }

  /**
   * Whether the server has pushed work as a pool does, on a connection too short for the model: at
   * least {@link #LEAD_PUSHES} messages unasked (more than a second after the client's last), to a
   * client answered {@link #LEAD_ANSWERS} times or more, never in fewer than {@link
   * #LEAD_SMALLEST_ANSWER_BYTES}, and larger on average than the answers (a job carries a block
   * header or template; a keep-alive or closing alert sent unasked is smaller than an answer).
   */
  static boolean pushesWork(FlowProfile p, double[] x) {
    return p.pushes >= LEAD_PUSHES
        && p.answered >= LEAD_ANSWERS
        && p.smallestAnswer >= LEAD_SMALLEST_ANSWER_BYTES
        && x[BehaviourFeatures.PUSH_ANSWER_BYTES_LOG10] > 0;
  }

  /**
   * Whether the server side has pushed what looks like a job: unasked messages larger on average
   * than its answers (a job carries a block header or template; a TLS closing alert or a keep-alive
   * sent unasked is smaller than any answer). Read from the features, so that training's evaluation
   * decides as the engine does.
   */
  public static boolean jobPushed(double[] x) {
    return x[BehaviourFeatures.UNSOLICITED_SERVER_FRACTION] > 0
        && (x[BehaviourFeatures.ANSWERED_CLIENT_FRACTION] == 0
            || x[BehaviourFeatures.PUSH_ANSWER_BYTES_LOG10] > 0);
  }

  /**
   * {@link #jobPushed(double[])}, or twice a server message following another: a push that came
   * within a second of a client's message (a busy miner submits every second or two, so a job
   * pushed then is not "unsolicited" by time) is still one message more than the requests it
   * answers. Twice, because a single one is also a response sent in two parts (headers, then the
   * body).
   */
  public static boolean jobPushed(FlowProfile p, double[] x) {
    return jobPushed(x) || p.serverRuns >= 2;
  }

  /** The score a judgement after {@code seconds} of a session needs to flag it. */
  public static double threshold(ForestModel model, double seconds) {
    return seconds < EARLY_SECONDS
        ? Math.max(model.threshold(), EARLY_THRESHOLD)
        : model.threshold();
  }

  /**
   * True if the model flags these features: the session's length is the first of them ({@code
   * duration_log10_s}), and sets the threshold.
   */
  public static boolean flags(ForestModel model, double[] x) {
    return model.score(x, null) >= threshold(model, Math.pow(10, x[0]));
  }

  private String describe(
      FlowProfile p, double[] x, double[] parts, double score, double threshold, boolean ended) {
    StringBuilder b = new StringBuilder();
    double seconds = p.durationSeconds();
    String span =
        seconds < 120
            ? String.format(Locale.ROOT, "%.0f s", seconds)
            : String.format(Locale.ROOT, "%.0f min", seconds / 60);
    b.append(
        String.format(
            Locale.ROOT,
            "shaped like a mining session (behaviour model score %.2f, threshold %.2f): "
                + "%s%s; the server sent %d messages of %.0f bytes on average, %d of them unprompted",
            score,
            threshold,
            ended ? "" : "judged while open, after ",
            span,
            p.serverMessages(),
            x[5],
            p.pushes));
    if (p.pushGaps > 0) {
      b.append(
          String.format(Locale.ROOT, ", every %.0f s (CV %.2f)", p.pushGapSum / p.pushGaps, x[9]));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "; the client sent %d of %.0f bytes on average, %d answered within 1 s",
            p.clientMessages(),
            x[3],
            p.answered));
    b.append("; decided most by ");
    boolean[] used = new boolean[parts.length];
    for (int k = 0; k < EXPLAINED_FEATURES; k++) {
      int best = -1;
      for (int i = 0; i < parts.length; i++) {
        if (!used[i] && parts[i] > 0 && (best < 0 || parts[i] > parts[best])) {
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      used[best] = true;
      b.append(k == 0 ? "" : ", ")
          .append(model.features().get(best))
          .append(String.format(Locale.ROOT, " %.3g (+%.2f)", x[best], parts[best]));
    }
    return b.toString();
  }
}
