package org.minewatch.detect.stratum;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.minewatch.model.Algorithm;
import org.minewatch.model.Coin;
import org.minewatch.model.Protocol;

/**
 * The mining dialects of JSON-RPC, as their messages are shaped: Bitcoin-style Stratum v1 and its
 * Equihash variant, EthereumStratum/1.0.0, Monero/XMRig-style, Ethereum eth-proxy, and the getwork
 * and getblocktemplate calls made over HTTP. A method name alone is not enough where the name is
 * generic ({@code login}, {@code submit}): the parameters must have the dialect's shape. Methods of
 * other JSON-RPC APIs are not recognised at all.
 */
public final class StratumGrammar {
  private static final Set<String> V1_CLIENT_METHODS =
      Set.of(
          "mining.subscribe",
          "mining.authorize",
          "mining.configure",
          "mining.extranonce.subscribe",
          "mining.submit",
          "mining.get_transactions",
          "mining.suggest_difficulty",
          "mining.suggest_target",
          "mining.multi_version",
          "mining.capabilities",
          "mining.hello",
          "mining.noop");
  private static final Set<String> V1_SERVER_METHODS =
      Set.of(
          "mining.notify",
          "mining.set_difficulty",
          "mining.set_target",
          "mining.set_extranonce",
          "mining.set_version_mask",
          "mining.set_goal");

  /** Words of client software that only mining programs put in their name. */
  static final List<String> MINER_AGENTS =
      List.of(
          "xmrig",
          "xmr-stak",
          "xmr-node-proxy",
          "cpuminer",
          "cgminer",
          "bfgminer",
          "bmminer",
          "sgminer",
          "ccminer",
          "ethminer",
          "claymore",
          "phoenixminer",
          "nbminer",
          "t-rex",
          "trex",
          "gminer",
          "lolminer",
          "teamredminer",
          "bminer",
          "nanominer",
          "srbminer",
          "wildrig",
          "ewbf",
          "nheqminer",
          "excavator",
          "nicehash",
          "minerd",
          "cryptonight",
          "randomx",
          "btcagent",
          "cgminer",
          "bosminer",
          "braiins",
          "miner/");

  private StratumGrammar() {}

  /** Recognises a parsed JSON-RPC message, or returns null if it says nothing about mining. */
  public static Recognition recognise(Object message, boolean overHttp) {
    if (!(message instanceof Map<?, ?> m)) {
      return null;
    }
    Object method = m.get("method");
    Object params = m.get("params");
    if (method instanceof String name) {
      return request(name, params, m, overHttp);
    }
    if (m.containsKey("result")) {
      return response(m.get("result"));
    }
    return null;
  }

  private static Recognition request(String method, Object params, Map<?, ?> m, boolean overHttp) {
    List<?> list = params instanceof List<?> l ? l : null;
    Map<?, ?> obj = params instanceof Map<?, ?> o ? o : null;
    if (V1_CLIENT_METHODS.contains(method) && list != null) {
      return v1Client(method, list);
    }
    if (V1_SERVER_METHODS.contains(method) && list != null) {
      return v1Server(method, list);
    }
    switch (method) {
      case "login" -> {
        if (obj != null && obj.get("login") instanceof String login && obj.containsKey("pass")) {
          String agent = string(obj.get("agent"));
          boolean minerAgent = agent != null && isMinerAgent(agent);
          boolean algos = obj.get("algo") instanceof List<?>;
          boolean address = looksLikeCryptoNoteAddress(accountOf(login));
          // XMRig sends the rig's name as "rigid"; where it does, that is the worker's name.
          String rig = string(obj.get("rigid"));
          String worker = rig != null && !rig.isBlank() ? rig : workerOf(login);
          return rec(
                  Protocol.STRATUM_XMR,
                  algos ? coinOfAlgorithms((List<?>) obj.get("algo")) : null,
                  "login",
                  true,
                  minerAgent || algos || address,
                  accountOf(login),
                  worker,
                  agent,
                  agent != null ? "agent \"" + agent + "\"" : null)
              .withAlgorithm(algos ? algorithmOf((List<?>) obj.get("algo")) : null);
        }
      }
      case "submit" -> {
        if (obj != null
            && obj.get("job_id") instanceof String
            && isHex(obj.get("nonce"), 8, 8)
            && isHex(obj.get("result"), 64, 64)) {
          return rec(
              Protocol.STRATUM_XMR, null, "share submit", true, true, null, null, null, null);
        }
      }
      case "job" -> {
        if (obj != null && isXmrJob(obj)) {
          return rec(
                  Protocol.STRATUM_XMR,
                  coinOfXmrJob(obj),
                  "job push",
                  false,
                  true,
                  null,
                  null,
                  null,
                  jobDetail(obj))
              .withAlgorithm(algorithmOfXmrJob(obj));
        }
      }
      case "keepalived", "getjob" -> {
        if (obj != null && obj.get("id") instanceof String) {
          return rec(Protocol.STRATUM_XMR, null, method, true, false, null, null, null, null);
        }
      }
      case "eth_submitLogin" -> {
        if (list != null && !list.isEmpty() && list.get(0) instanceof String login) {
          // eth-proxy logins are "wallet", "wallet.worker" or "wallet/worker[/e-mail]".
          // Claymore-style
          // miners also send a top-level "worker" that is usually the protocol marker "eth1.0", so
          // it names the worker only when the login does not and it is something else.
          String topWorker = string(m.get("worker"));
          String worker = workerOf(login);
          if (worker == null
              && topWorker != null
              && !topWorker.isEmpty()
              && !topWorker.equals("eth1.0")) {
            worker = topWorker;
          }
          // The whole login goes into the evidence: "wallet/worker/e-mail" logins carry a contact.
          return rec(
              Protocol.ETH_PROXY,
              null,
              "eth_submitLogin",
              true,
              true,
              accountOf(login),
              worker,
              null,
              "login \"" + login + "\"");
        }
      }
      case "eth_getWork" -> {
        if (list == null || list.isEmpty()) {
          return ethCall("eth_getWork", overHttp, m);
        }
      }
      case "eth_submitWork" -> {
        if (list != null
            && list.size() == 3
            && isHex(list.get(0), 16, 16)
            && isHex(list.get(1), 64, 64)
            && isHex(list.get(2), 64, 64)) {
          return ethCall("eth_submitWork", overHttp, m);
        }
      }
      case "eth_submitHashrate" -> {
        if (list != null
            && list.size() == 2
            && isHex(list.get(0), 1, 64)
            && isHex(list.get(1), 1, 64)) {
          double rate = new BigInteger(strip0x((String) list.get(0)), 16).doubleValue();
          return new Recognition(
              overHttp ? Protocol.GETWORK_HTTP : Protocol.ETH_PROXY,
              null,
              "eth_submitHashrate",
              true,
              true,
              null,
              string(m.get("worker")),
              null,
              String.format(Locale.ROOT, "reports %.2f MH/s", rate / 1e6),
              rate,
              Algorithm.ETHASH,
              null);
        }
      }
      case "getwork" -> {
        if (overHttp && (list == null || list.size() <= 1)) {
          return rec(Protocol.GETWORK_HTTP, null, "getwork", true, true, null, null, null, null);
        }
      }
      case "getblocktemplate", "submitblock", "getauxblock" -> {
        if (overHttp) {
          return rec(
              Protocol.GETBLOCKTEMPLATE_HTTP, null, method, true, true, null, null, null, null);
        }
      }
      case "get_block_template", "submit_block" -> {
        if (overHttp) {
          String wallet = obj != null ? string(obj.get("wallet_address")) : null;
          return rec(
              Protocol.GETBLOCKTEMPLATE_HTTP,
              Coin.MONERO,
              method,
              true,
              true,
              wallet,
              null,
              null,
              null);
        }
      }
      default -> {
        return null;
      }
    }
    return null;
  }

  private static Recognition v1Client(String method, List<?> p) {
    switch (method) {
      case "mining.subscribe" -> {
        String agent = p.isEmpty() ? null : string(p.get(0));
        if (p.size() >= 2 && p.get(1) instanceof String v && v.startsWith("EthereumStratum/")) {
          return rec(
              Protocol.ETHEREUM_STRATUM,
              null,
              "mining.subscribe",
              true,
              true,
              null,
              null,
              agent,
              "protocol " + v + (agent != null ? ", agent \"" + agent + "\"" : ""));
        }
        // Some miners name the pool host they were pointed at: ["agent", session, "host", "port"].
        String host =
            p.size() >= 3 && p.get(2) instanceof String h && h.indexOf('.') > 0 ? h : null;
        String detail =
            agent != null && host != null
                ? "agent \"" + agent + "\", host " + host
                : agent != null ? "agent \"" + agent + "\"" : host != null ? "host " + host : null;
        return rec(
                Protocol.STRATUM_V1,
                null,
                "mining.subscribe",
                true,
                true,
                null,
                null,
                agent,
                detail)
            .withAlgorithm(agent != null ? algorithmOfAgent(agent) : null)
            .withServerName(host);
      }
      case "mining.authorize" -> {
        String user = p.isEmpty() ? null : string(p.get(0));
        return rec(
            Protocol.STRATUM_V1,
            null,
            "mining.authorize",
            true,
            true,
            accountOf(user),
            workerOf(user),
            null,
            user != null ? "user \"" + user + "\"" : null);
      }
      case "mining.submit" -> {
        String user = p.isEmpty() ? null : string(p.get(0));
        Coin coin = null;
        String detail = null;
        Algorithm algorithm = null;
        if (p.size() == 5 && p.get(4) instanceof String sol && isHex(sol, 200, 4000)) {
          // Equihash: the fifth parameter is the solution with its compact-size length prefix.
          // (200,9) solutions are 1344 bytes (prefix fd4005), (144,5) ones 100 bytes (prefix 64).
          if (sol.length() == 2 * (1344 + 3)) {
            coin = Coin.ZCASH;
            algorithm = Algorithm.EQUIHASH_200_9;
            detail = "Equihash (200,9) solution";
          } else if (sol.length() == 2 * (100 + 1)) {
            algorithm = Algorithm.EQUIHASH_144_5;
            detail = "Equihash (144,5) solution";
          } else {
            detail = "Equihash solution of " + (sol.length() / 2) + " bytes";
          }
        }
        return rec(
                Protocol.STRATUM_V1,
                coin,
                "mining.submit",
                true,
                true,
                accountOf(user),
                workerOf(user),
                null,
                detail)
            .withAlgorithm(algorithm);
      }
      default -> {
        return rec(Protocol.STRATUM_V1, null, method, true, true, null, null, null, null);
      }
    }
  }

  private static Recognition v1Server(String method, List<?> p) {
    if (method.equals("mining.notify")) {
      if (p.size() == 9
          && isHex(p.get(1), 64, 64)
          && p.get(4) instanceof List<?>
          && isHex(p.get(5), 8, 8)
          && isHex(p.get(6), 8, 8)
          && isHex(p.get(7), 8, 8)) {
        return rec(
            Protocol.STRATUM_V1,
            null,
            "mining.notify",
            false,
            true,
            null,
            null,
            null,
            "Bitcoin-style job (coinbase parts and merkle branch)");
      }
      if (p.size() == 8
          && isHex(p.get(1), 8, 8)
          && isHex(p.get(2), 64, 64)
          && isHex(p.get(3), 64, 64)
          && isHex(p.get(4), 64, 64)
          && isHex(p.get(5), 8, 8)
          && isHex(p.get(6), 8, 8)) {
        // Zcash block header version 4 ("04000000" little-endian) marks the Zcash family.
        boolean zcash = "04000000".equals(p.get(1));
        return rec(
                Protocol.STRATUM_V1,
                zcash ? Coin.ZCASH : null,
                "mining.notify",
                false,
                true,
                null,
                null,
                null,
                "Equihash job, header version " + p.get(1))
            .withAlgorithm(zcash ? Algorithm.EQUIHASH_200_9 : null);
      }
      if (p.size() == 7
          && isHex(p.get(1), 64, 64)
          && isHex(p.get(2), 64, 64)
          && isHex(p.get(3), 64, 64)
          && p.get(4) instanceof Boolean
          && p.get(5) instanceof Number height
          && isHex(p.get(6), 8, 8)) {
        // KawPow (ProgPoW) pools send the header hash, the DAG epoch's seed hash, the share target,
        // the height and
        // the bits: the algorithm, not yet the coin (Ravencoin and its forks use the same job).
        return rec(
                Protocol.STRATUM_V1,
                null,
                "mining.notify",
                false,
                true,
                null,
                null,
                null,
                "KawPow job (header hash, seed hash, target, height "
                    + height.longValue()
                    + ", bits "
                    + p.get(6)
                    + ")")
            .withAlgorithm(Algorithm.KAWPOW);
      }
      if ((p.size() == 4 || p.size() == 5) && isHex(p.get(1), 64, 64) && isHex(p.get(2), 64, 64)) {
        return rec(
            Protocol.ETHEREUM_STRATUM,
            null,
            "mining.notify",
            false,
            true,
            null,
            null,
            null,
            "Ethash job (seed hash and header hash)");
      }
      return rec(
          Protocol.STRATUM_V1,
          null,
          "mining.notify",
          false,
          true,
          null,
          null,
          null,
          "job with " + p.size() + " parameters");
    }
    if (method.equals("mining.set_target") && p.size() == 1 && isHex(p.get(0), 64, 64)) {
      return rec(
          Protocol.STRATUM_V1, null, method, false, true, null, null, null, "256-bit share target");
    }
    return rec(Protocol.STRATUM_V1, null, method, false, true, null, null, null, null);
  }

  private static Recognition response(Object result) {
    if (result instanceof Map<?, ?> r && r.get("job") instanceof Map<?, ?> job && isXmrJob(job)) {
      return rec(
              Protocol.STRATUM_XMR,
              coinOfXmrJob(job),
              "login accepted with a job",
              false,
              true,
              null,
              null,
              null,
              jobDetail(job))
          .withAlgorithm(algorithmOfXmrJob(job));
    }
    if (result instanceof List<?> l) {
      // Header hash and seed hash are 32 bytes; some pools strip the boundary's leading zeros.
      if ((l.size() == 3 || l.size() == 4)
          && isHex(l.get(0), 64, 64)
          && isHex(l.get(1), 64, 64)
          && isHex(l.get(2), 1, 64)
          && ((String) l.get(0)).startsWith("0x")) {
        return rec(
            Protocol.ETH_PROXY,
            null,
            "work package",
            false,
            true,
            null,
            null,
            null,
            "header hash, seed hash and share boundary");
      }
      if (l.size() >= 2
          && l.get(0) instanceof List<?> subs
          && !subs.isEmpty()
          && subs.stream()
              .allMatch(
                  s ->
                      s instanceof List<?> pair
                          && !pair.isEmpty()
                          && pair.get(0) instanceof String n
                          && n.startsWith("mining."))) {
        return rec(
            Protocol.STRATUM_V1, null, "subscription granted", false, true, null, null, null, null);
      }
    }
    return null;
  }

  private static boolean isXmrJob(Map<?, ?> job) {
    return isHex(job.get("blob"), 76, 1024)
        && job.get("job_id") instanceof String
        && (isHex(job.get("target"), 8, 8) || isHex(job.get("target"), 16, 16));
  }

  private static String jobDetail(Map<?, ?> job) {
    String algo = string(job.get("algo"));
    return "target " + job.get("target") + (algo != null ? ", algorithm " + algo : "");
  }

  private static Coin coinOfXmrJob(Map<?, ?> job) {
    String algo = string(job.get("algo"));
    return algo == null ? Coin.MONERO : coinOfAlgorithm(algo);
  }

  private static Coin coinOfAlgorithms(List<?> algos) {
    Coin found = null;
    for (Object a : algos) {
      Coin c = a instanceof String s ? coinOfAlgorithm(s) : null;
      if (c != null && found != null && c != found) {
        return null; // a miner offering several coins' algorithms names no one coin
      }
      found = c != null ? c : found;
    }
    return found;
  }

  /** Client software that names one proof of work (ASIC controllers, single-algorithm miners). */
  static Algorithm algorithmOfAgent(String agent) {
    String a = agent.toLowerCase(Locale.ROOT);
    if (a.contains("bmminer")
        || a.contains("cgminer")
        || a.contains("bfgminer")
        || a.contains("btcagent")
        || a.contains("bosminer")
        || a.contains("braiins")
        || a.contains("whatsminer")
        || a.contains("avalon")) {
      return Algorithm.SHA256D; // the SHA-256 ASIC controllers (scrypt ASICs name themselves below)
    }
    if (a.contains("scrypt") || a.contains("litecoin")) {
      return Algorithm.SCRYPT;
    }
    if (a.contains("ewbf") || a.contains("nheqminer") || a.contains("equihash")) {
      return Algorithm.EQUIHASH_200_9;
    }
    if (a.contains("ethminer") || a.contains("claymore") || a.contains("phoenixminer")) {
      return Algorithm.ETHASH;
    }
    return null;
  }

  private static Algorithm algorithmOf(List<?> algos) {
    Algorithm found = null;
    for (Object o : algos) {
      Algorithm a = o instanceof String s ? algorithmOfXmrig(s) : null;
      if (a != null && found != null && a != found) {
        return null;
      }
      found = a != null ? a : found;
    }
    return found;
  }

  private static Algorithm algorithmOfXmrJob(Map<?, ?> job) {
    String algo = string(job.get("algo"));
    if (algo != null) {
      return algorithmOfXmrig(algo);
    }
    // Without an algo member: Monero's hashing blob opens with the block's major version as a
    // varint; RandomX replaced CryptoNight at major version 12 (November 2019).
    String blob = (String) job.get("blob");
    int major = Integer.parseInt(blob.substring(0, 2), 16);
    return major >= 12 && major < 0x80 ? Algorithm.RANDOMX : Algorithm.CRYPTONIGHT;
  }

  /** The proof of work an XMRig algorithm name stands for. */
  static Algorithm algorithmOfXmrig(String algo) {
    String a = algo.toLowerCase(Locale.ROOT);
    if (a.startsWith("rx") || a.equals("randomx")) {
      return Algorithm.RANDOMX;
    }
    if (a.startsWith("cn") || a.startsWith("cryptonight")) {
      return Algorithm.CRYPTONIGHT;
    }
    if (a.startsWith("argon2")) {
      return Algorithm.ARGON2;
    }
    if (a.equals("kawpow")) {
      return Algorithm.KAWPOW;
    }
    if (a.equals("ghostrider")) {
      return Algorithm.GHOSTRIDER;
    }
    return null;
  }

  /** XMRig's algorithm names, and the coin each one is the proof of work of. */
  static Coin coinOfAlgorithm(String algo) {
    return switch (algo.toLowerCase(Locale.ROOT)) {
      case "rx/0",
          "randomx",
          "rx",
          "cn/r",
          "cn/2",
          "cn/1",
          "cn/0",
          "cryptonight",
          "cryptonight/r",
          "cn" ->
          Coin.MONERO;
      case "rx/wow" -> Coin.WOWNERO;
      case "rx/arq" -> Coin.ARQMA;
      case "rx/graft" -> Coin.GRAFT;
      case "cn-heavy/xhv" -> Coin.HAVEN;
      case "argon2/chukwa", "argon2/chukwav2" -> Coin.TURTLECOIN;
      case "cn/ccx" -> Coin.CONCEAL;
      case "kawpow" -> Coin.RAVENCOIN;
      case "ghostrider" -> Coin.RAPTOREUM;
      default -> null;
    };
  }

  /**
   * The miner words by their first two letters, so that a User-Agent is read once and a word is
   * compared only where its first two letters stand (by the first letter alone, a Chrome User-Agent
   * began 72 comparisons, by two letters 1).
   */
  private static final String[][] MINER_WORDS_BY_PAIR = new String[128 * 128][];

  static {
    java.util.Map<Integer, List<String>> byPair = new java.util.HashMap<>();
    for (String w : MINER_AGENTS) {
      byPair
          .computeIfAbsent(w.charAt(0) * 128 + w.charAt(1), k -> new java.util.ArrayList<>())
          .add(w);
    }
    byPair.forEach((pair, ws) -> MINER_WORDS_BY_PAIR[pair] = ws.toArray(new String[0]));
  }

  /** Whether a client names itself with a word only mining programs use. */
  public static boolean isMinerAgent(String agent) {
    byte[] b = agent.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    return isMinerAgent(b, 0, b.length);
  }

  /** The same over the raw bytes of a header value, without making a string of it. */
  public static boolean isMinerAgent(byte[] d, int from, int to) {
    int next = to > from ? lower(d[from]) : -1;
    for (int i = from; i + 1 < to; i++) {
      int c = next;
      next = lower(d[i + 1]);
      String[] words = c < 0 || next < 0 ? null : MINER_WORDS_BY_PAIR[c * 128 + next];
      if (words == null) {
        continue;
      }
      for (String w : words) {
        if (org.minewatch.detect.Ascii.startsWithIgnoreCase(d, i, to, w)) {
          return true;
        }
      }
    }
    return false;
  }

  /** An ASCII byte in lower case; -1 for a byte outside ASCII. */
  private static int lower(byte b) {
    return b < 0 ? -1 : b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
  }

  /** Monero-family standard (95), integrated (106) and sub-addresses in base58. */
  static boolean looksLikeCryptoNoteAddress(String s) {
    if (s == null || (s.length() != 95 && s.length() != 106)) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean base58 =
          (c >= '1' && c <= '9')
              || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'O')
              || (c >= 'a' && c <= 'z' && c != 'l');
      if (!base58) {
        return false;
      }
    }
    return true;
  }

  /**
   * The account part of a pool login: before the first separator, without a fixed-difficulty
   * suffix.
   */
  static String accountOf(String login) {
    if (login == null || login.isEmpty()) {
      return null;
    }
    int cut = login.length();
    for (int i = 0; i < login.length(); i++) {
      char c = login.charAt(i);
      if (c == '.' || c == '/' || c == '+' || c == ':') {
        cut = i;
        break;
      }
    }
    return cut == 0 ? login : login.substring(0, cut);
  }

  /** The worker part of a pool login: after the last '.' or the first '/', if any. */
  static String workerOf(String login) {
    if (login == null) {
      return null;
    }
    int slash = login.indexOf('/');
    if (slash > 0) {
      int end = login.indexOf('/', slash + 1);
      String w = login.substring(slash + 1, end < 0 ? login.length() : end);
      return w.isEmpty() ? null : w;
    }
    int plus = login.indexOf('+');
    String base = plus > 0 ? login.substring(0, plus) : login;
    int dot = base.lastIndexOf('.');
    return dot > 0 && dot < base.length() - 1 ? base.substring(dot + 1) : null;
  }

  private static Recognition rec(
      Protocol p,
      Coin c,
      String what,
      boolean fromClient,
      boolean conclusive,
      String login,
      String worker,
      String agent,
      String detail) {
    return new Recognition(
        p,
        c,
        what,
        fromClient,
        conclusive,
        login,
        worker,
        agent,
        detail,
        -1,
        p == Protocol.ETH_PROXY || p == Protocol.ETHEREUM_STRATUM ? Algorithm.ETHASH : null,
        null);
  }

  /** A miner's eth-proxy call, or the same over HTTP: Ethash work, whatever the chain. */
  private static Recognition ethCall(String what, boolean overHttp, Map<?, ?> m) {
    return rec(
            overHttp ? Protocol.GETWORK_HTTP : Protocol.ETH_PROXY,
            null,
            what,
            true,
            true,
            null,
            string(m.get("worker")),
            null,
            null)
        .withAlgorithm(Algorithm.ETHASH);
  }

  private static String string(Object o) {
    return o instanceof String s ? s : null;
  }

  private static String strip0x(String s) {
    return s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
  }

  /** A hex string of {@code min..max} digits, with or without 0x. */
  static boolean isHex(Object o, int min, int max) {
    if (!(o instanceof String s)) {
      return false;
    }
    int from = s.startsWith("0x") || s.startsWith("0X") ? 2 : 0;
    int n = s.length() - from;
    if (n < min || n > max) {
      return false;
    }
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }
}
