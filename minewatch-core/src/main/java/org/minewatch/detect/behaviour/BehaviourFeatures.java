package org.minewatch.detect.behaviour;

import java.util.List;

/**
 * The features the behaviour model reads from a {@link FlowProfile}, in the model's order. Each is
 * scale-free or logarithmic, so that a session's shape matters and not its exact rate.
 */
public final class BehaviourFeatures {
  /** Names, in the model's order; the trained model file lists them too and must agree. */
  public static final List<String> NAMES =
      List.of(
          "duration_log10_s",
          "client_messages_per_min",
          "server_messages_per_min",
          "client_mean_bytes",
          "client_size_cv",
          "server_mean_bytes",
          "server_size_cv",
          "unsolicited_server_fraction",
          "answered_client_fraction",
          "push_gap_cv",
          "client_gap_cv",
          "max_silence_fraction",
          "server_client_bytes_log10",
          "bytes_per_min_log10",
          "answer_request_bytes_log10",
          "push_answer_bytes_log10",
          "smallest_answer_bytes");

  /** Where the features read by name (not only by the model) sit in the vector. */
  public static final int UNSOLICITED_SERVER_FRACTION =
      NAMES.indexOf("unsolicited_server_fraction");

  public static final int ANSWERED_CLIENT_FRACTION = NAMES.indexOf("answered_client_fraction");

  public static final int PUSH_ANSWER_BYTES_LOG10 = NAMES.indexOf("push_answer_bytes_log10");

  /**
   * A profile is judged only with at least this much of a session to go on: 20 seconds (a first
   * checkpoint of a connection still open, or a short connection that ended) and a few messages
   * each way past the handshake. A fast miner has sent a dozen shares by then; a slow one is judged
   * at a later checkpoint, once it has sent enough.
   */
  public static final double MIN_SECONDS = 20;

  public static final long MIN_MESSAGES = 4;

  private BehaviourFeatures() {}

  /** True if the profile holds enough of a session to be judged. */
  public static boolean judgeable(FlowProfile p) {
    p.closeBurst();
    return p.durationSeconds() >= MIN_SECONDS
        && p.clientMessages() >= MIN_MESSAGES
        && p.serverMessages() >= MIN_MESSAGES;
  }

  /** The feature vector, in the order of {@link #NAMES}. */
  public static double[] of(FlowProfile p) {
    p.closeBurst();
    double seconds = Math.max(p.durationSeconds(), 1e-3);
    double minutes = seconds / 60;
    FlowProfile.Direction c = p.client;
    FlowProfile.Direction s = p.server;
    return new double[] {
      Math.log10(seconds),
      c.messages / minutes,
      s.messages / minutes,
      mean(c.bytes, c.messages),
      cv(c.bytes, c.squares, c.messages),
      mean(s.bytes, s.messages),
      cv(s.bytes, s.squares, s.messages),
      s.messages == 0 ? 0 : (double) p.pushes / s.messages,
      c.messages == 0 ? 0 : (double) p.answered / c.messages,
      cv(p.pushGapSum, p.pushGapSquares, p.pushGaps),
      cv(c.gapSum, c.gapSquares, c.gaps),
      Math.min(1, p.maxSilenceNanos() / 1e9 / seconds),
      Math.log10((s.bytes + 1) / (c.bytes + 1)),
      Math.log10((c.bytes + s.bytes + 1) / minutes),
      Math.log10((p.answerBytes + 1) / (p.answeredRequestBytes + 1)),
      p.pushes == 0 || p.answered == 0
          ? 0
          : Math.log10((p.pushBytes / p.pushes) / (p.answerBytes / p.answered)),
      // A JSON-RPC answer (Stratum's) is seldom under ~35 bytes, never under 23 (44 in a TLS
      // record: BehaviourJudge.LEAD_SMALLEST_ANSWER_BYTES); binary protocols' acks are less.
      p.answered == 0 ? 0 : p.smallestAnswer
    };
  }

  static double mean(double sum, long n) {
    return n == 0 ? 0 : sum / n;
  }

  /** Coefficient of variation (standard deviation / mean); 0 with fewer than two values. */
  static double cv(double sum, double squares, long n) {
    if (n < 2 || sum <= 0) {
      return 0;
    }
    double mean = sum / n;
    double variance = Math.max(0, squares / n - mean * mean);
    return Math.sqrt(variance) / mean;
  }
}
