package org.minewatch.probe;

import java.util.List;
import java.util.Map;
import org.minewatch.detect.stratum.Recognition;
import org.minewatch.detect.stratum.StratumGrammar;
import org.minewatch.model.Protocol;

/**
 * Decides whether one message from a probed endpoint is a pool's, with the detectors' own grammar:
 * it must be a message only a pool sends (never one a miner sends, so an echo confirms nothing),
 * conclusive on its own, and a subscription must also grant an extranonce as Stratum v1 pools do.
 */
final class PoolReplyJudge {
  private PoolReplyJudge() {}

  /** What the message says, in a few words, if it is a pool's; null if it is not. */
  static String poolAnswer(Object message) {
    Recognition r = StratumGrammar.recognise(message, false);
    if (r == null || r.fromClient() || !r.conclusive()) {
      return null;
    }
    if (r.protocol() == Protocol.STRATUM_V1 && message instanceof Map<?, ?> m && m.containsKey("result")) {
      return extranonce(m.get("result")); // the only v1 reply the grammar knows is the subscription
    }
    // The detail can quote the server (an algorithm's name): escaped and capped like all its text.
    return r.what() + (r.detail() != null ? " (" + ProbeText.item(r.detail()) + ")" : "");
  }

  /** The protocol of a pool's message, for a message {@link #poolAnswer} accepted. */
  static Protocol protocolOf(Object message) {
    return StratumGrammar.recognise(message, false).protocol();
  }

  /**
   * A subscription's result is [subscriptions, extranonce1, extranonce2_size]: extranonce1 hex,
   * extranonce2_size a small byte count (Bitcoin pools use 2 to 8).
   */
  private static String extranonce(Object result) {
    if (!(result instanceof List<?> l) || l.size() < 3 || !(l.get(1) instanceof String e1) || !isHex(e1, 2, 32)
        || !(l.get(2) instanceof Long e2) || e2 < 1 || e2 > 16) {
      return null;
    }
    return "subscription granted with extranonce1 " + e1 + " and a " + e2 + "-byte extranonce2";
  }

  private static boolean isHex(String s, int min, int max) {
    if (s.length() < min || s.length() > max || s.length() % 2 != 0) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
