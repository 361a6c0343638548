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

  /**
   * What the message says, in a few words, if it is a pool's; null if it is not. A push (a message
   * with a method) counts only if it is well-shaped ({@link #wellShapedPush}): the grammar, made
   * for traffic already known to be mining, calls almost any {@code mining.*} push conclusive.
   */
  static String poolAnswer(Object message) {
    Recognition r = StratumGrammar.recognise(message, false);
    if (r == null || r.fromClient() || !r.conclusive()) {
      return null;
    }
    if (message instanceof Map<?, ?> m && m.get("method") != null && !wellShapedPush(m)) {
      return null;
    }
    if (r.protocol() == Protocol.STRATUM_V1
        && message instanceof Map<?, ?> m
        && m.containsKey("result")) {
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
    if (!(result instanceof List<?> l)
        || l.size() < 3
        || !(l.get(1) instanceof String e1)
        || !isHex(e1, 2, 32)
        || !(l.get(2) instanceof Long e2)
        || e2 < 1
        || e2 > 16) {
      return null;
    }
    return "subscription granted with extranonce1 " + e1 + " and a " + e2 + "-byte extranonce2";
  }

  /**
   * Whether a push has the shape only a pool's has: {@code mining.notify} in its Bitcoin (9
   * parameters), Equihash (8), KawPow (7) or Ethash (4 or 5) form with hex job fields, {@code
   * mining.set_difficulty} with one positive number, {@code mining.set_target} with a 256-bit hex
   * target, or an XMRig {@code job} (whose shape the grammar checks: blob, job id and target).
   */
  static boolean wellShapedPush(Map<?, ?> m) {
    Object method = m.get("method");
    Object params = m.get("params");
    if ("job".equals(method)) {
      return params instanceof Map<?, ?>;
    }
    if (!(params instanceof List<?> p)) {
      return false;
    }
    if ("mining.set_difficulty".equals(method)) {
      return p.size() == 1
          && (p.get(0) instanceof Long n && n > 0
              || p.get(0) instanceof Double d && d > 0 && Double.isFinite(d)
              || p.get(0) instanceof Number x
                  && !(x instanceof Long)
                  && !(x instanceof Double)
                  && x.doubleValue() > 0);
    }
    if ("mining.set_target".equals(method)) {
      return p.size() == 1 && hex(p.get(0), 64, 64);
    }
    if (!"mining.notify".equals(method) || p.isEmpty() || !hex(p.get(0), 1, 64)) {
      return false;
    }
    return switch (p.size()) {
      case 9 ->
          hex(p.get(1), 64, 64)
              && hex(p.get(2), 2, MAX_HEX)
              && hex(p.get(3), 2, MAX_HEX)
              && p.get(4) instanceof List<?> branch
              && branch.stream().allMatch(b -> hex(b, 64, 64))
              && hex(p.get(5), 8, 8)
              && hex(p.get(6), 8, 8)
              && hex(p.get(7), 8, 8)
              && p.get(8) instanceof Boolean;
      case 8 ->
          hex(p.get(1), 8, 8)
              && hex(p.get(2), 64, 64)
              && hex(p.get(3), 64, 64)
              && hex(p.get(4), 64, 64)
              && hex(p.get(5), 8, 8)
              && hex(p.get(6), 8, 8)
              && p.get(7) instanceof Boolean;
      case 7 -> // KawPow: header hash, seed hash, target, clean, height, bits
          hex(p.get(1), 64, 64)
              && hex(p.get(2), 64, 64)
              && hex(p.get(3), 64, 64)
              && p.get(4) instanceof Boolean
              && p.get(5) instanceof Long height
              && height >= 0
              && hex(p.get(6), 8, 8);
      case 4 ->
          hex(p.get(1), 64, 64)
              && hex(p.get(2), 64, 64)
              && (p.get(3) instanceof Boolean || hex(p.get(3), 1, 64));
      case 5 ->
          hex(p.get(1), 64, 64)
              && hex(p.get(2), 64, 64)
              && hex(p.get(3), 1, 64)
              && (p.get(4) instanceof Boolean || hex(p.get(4), 1, 64));
      default -> false;
    };
  }

  private static final int MAX_HEX = ReplyReader.MAX_REPLY_BYTES;

  /** A hex string (an optional 0x first) of {@code min} to {@code max} digits. */
  private static boolean hex(Object o, int min, int max) {
    if (!(o instanceof String s)) {
      return false;
    }
    String digits = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
    if (digits.length() < min || digits.length() > max) {
      return false;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (Character.digit(digits.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
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
