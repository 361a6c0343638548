package org.minewatch.detect.web;

import java.util.Map;
import org.minewatch.detect.json.JsonTree;

/**
 * The messages in-browser miners exchange with their WebSocket proxies, as the two families of
 * scripts write them: Coinhive-style {@code {"type": "auth"|"job"|"submit"|..., "params": {...}}}
 * (Coinhive, CoinImp, Crypto-Loot and their clones) and webminerpool-style {@code {"identifier":
 * "handshake"|"job"|"solved"|..., ...}}. A message counts only with the fields of its kind in the
 * right shape: a job's blob and target in hex, a share's nonce and 32-byte result.
 */
final class WebMinerMessages {
  /** What a message is and what it says. */
  record Message(String kind, boolean fromClient, String login, String detail) {}

  private WebMinerMessages() {}

  /** The web-miner message in {@code json}, or null if it is none. */
  static Message recognise(Object json) {
    if (!(json instanceof Map<?, ?> m)) {
      return null;
    }
    Object type = m.get("type");
    Object params = m.get("params");
    if (type instanceof String t && params instanceof Map<?, ?> p) {
      return coinhive(t, p);
    }
    if (m.get("identifier") instanceof String id) {
      return webminerpool(id, m);
    }
    return null;
  }

  private static Message coinhive(String type, Map<?, ?> p) {
    return switch (type) {
      case "auth" ->
          p.get("site_key") instanceof String key && !key.isEmpty()
              ? new Message(
                  "auth",
                  true,
                  key,
                  "site key " + key + (p.get("user") instanceof String u ? ", user " + u : ""))
              : null;
      case "job" -> job(p) ? new Message("job", false, null, "job " + p.get("job_id")) : null;
      case "submit" ->
          share(p) ? new Message("submit", true, null, "share for job " + p.get("job_id")) : null;
      case "hash_accepted" ->
          p.get("hashes") instanceof Number n
              ? new Message("hash_accepted", false, null, n + " hashes accepted")
              : null;
      case "authed" ->
          p.get("hashes") instanceof Number || p.get("token") != null
              ? new Message("authed", false, null, "authenticated")
              : null;
      default -> null;
    };
  }

  private static Message webminerpool(String id, Map<?, ?> m) {
    return switch (id) {
      case "handshake" ->
          m.get("login") instanceof String login && !login.isEmpty() && m.containsKey("pool")
              ? new Message(
                  "handshake", true, login, "login " + login + " on pool " + m.get("pool"))
              : null;
      case "job" -> job(m) ? new Message("job", false, null, "job " + m.get("job_id")) : null;
      case "solved" ->
          share(m) ? new Message("solved", true, null, "share for job " + m.get("job_id")) : null;
      case "hashsolved" -> new Message("hashsolved", false, null, "share accepted");
      default -> null;
    };
  }

  /** A CryptoNight job: a hashing blob of at least 76 bytes and a 4- or 8-byte target, in hex. */
  private static boolean job(Map<?, ?> p) {
    return p.get("job_id") instanceof String
        && p.get("blob") instanceof String blob
        && blob.length() >= 152
        && hex(blob)
        && p.get("target") instanceof String target
        && (target.length() == 8 || target.length() == 16)
        && hex(target);
  }

  /** A share: the job, a 4-byte nonce and the 32-byte hash result, in hex. */
  private static boolean share(Map<?, ?> p) {
    return p.get("job_id") instanceof String
        && p.get("nonce") instanceof String nonce
        && nonce.length() == 8
        && hex(nonce)
        && p.get("result") instanceof String result
        && result.length() == 64
        && hex(result);
  }

  private static boolean hex(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  static Object parse(byte[] b, int length) {
    try {
      return JsonTree.parse(b, 0, length);
    } catch (JsonTree.JsonException e) {
      return null;
    }
  }
}
