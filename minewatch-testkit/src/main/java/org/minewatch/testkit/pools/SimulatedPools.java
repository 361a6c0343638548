package org.minewatch.testkit.pools;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.minewatch.testkit.EthashSeeds;

/**
 * Responders that answer as mining pools do, after the public pool software's messages: Stratum v1
 * (ckpool/node-stratum-pool style subscribe, authorize, then difficulty and a job), XMRig's login
 * answered with a job (xmrig-proxy style), and eth-proxy (login, then a work package). Each answers
 * the other dialects' methods with its own "unknown method" error, as pools do.
 */
public final class SimulatedPools {
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
  private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]+)\"");

  public enum Dialect {
    STRATUM_V1,
    XMRIG,
    ETH_PROXY
  }

  private SimulatedPools() {}

  public static Function<String, String> responder(Dialect dialect) {
    return switch (dialect) {
      case STRATUM_V1 -> SimulatedPools::stratumV1;
      case XMRIG -> SimulatedPools::xmrig;
      case ETH_PROXY -> SimulatedPools::ethProxy;
    };
  }

  static String stratumV1(String line) {
    String id = id(line);
    return switch (method(line)) {
      case "mining.subscribe" ->
          "{\"id\":"
              + id
              + ",\"result\":[[[\"mining.set_difficulty\",\"6b1a0f2e01\"],"
              + "[\"mining.notify\",\"6b1a0f2e01\"]],\"08000002\",4],\"error\":null}\n";
      case "mining.authorize" ->
          "{\"id\":"
              + id
              + ",\"result\":true,\"error\":null}\n"
              + "{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[8192]}\n"
              // A Bitcoin block's hash in Stratum's order (the displayed words last to first): nine
              // zero bytes lead the displayed hash, as a SHA-256d chain's proof of work makes them.
              + "{\"id\":null,\"method\":\"mining.notify\",\"params\":[\"4d2\",\""
              + "d4e5f60790a1b2c35c6d7e8f18293a4bd4e5f6070001b2c3"
              + "00".repeat(8)
              + "\","
              + "\"01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff20\","
              + "\"ffffffff0100f2052a010000001976a914"
              + "11".repeat(20)
              + "88ac00000000\",[],\"20000000\","
              + "\"1703a30c\",\"65f1a2b3\",true]}\n";
      default -> "{\"id\":" + id + ",\"result\":null,\"error\":[20,\"Unknown method\",null]}\n";
    };
  }

  static String xmrig(String line) {
    String id = id(line);
    if (method(line).equals("login")) {
      return "{\"id\":"
          + id
          + ",\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"id\":\"b7e4c1a0\",\"job\":{"
          + "\"blob\":\"1010"
          + "ab".repeat(37)
          + "00000000"
          + "cd".repeat(33)
          + "01\",\"job_id\":\"271828\","
          + "\"target\":\"b88d0600\",\"algo\":\"rx/0\",\"height\":3100000,\"seed_hash\":\""
          + "5e".repeat(32)
          + "\"},\"extensions\":[\"algo\",\"nicehash\",\"keepalive\"],\"status\":\"OK\"}}\n";
    }
    return "{\"id\":"
        + id
        + ",\"jsonrpc\":\"2.0\",\"error\":{\"code\":-1,\"message\":\"Invalid method\"}}\n";
  }

  static String ethProxy(String line) {
    String id = id(line);
    return switch (method(line)) {
      case "eth_submitLogin" -> "{\"id\":" + id + ",\"jsonrpc\":\"2.0\",\"result\":true}\n";
      case "eth_getWork" ->
          "{\"id\":"
              + id
              + ",\"jsonrpc\":\"2.0\",\"result\":[\"0x"
              + "3f".repeat(32)
              + "\",\"0x"
              + EthashSeeds.EPOCH_648
              + "\",\"0x00000000ffff"
              + "00".repeat(26)
              + "\"]}\n";
      default ->
          "{\"id\":"
              + id
              + ",\"jsonrpc\":\"2.0\",\"result\":null,\"error\":{\"code\":-32601,"
              + "\"message\":\"Method not found\"}}\n";
    };
  }

  private static String id(String line) {
    Matcher m = ID.matcher(line);
    return m.find() ? m.group(1) : "null";
  }

  private static String method(String line) {
    Matcher m = METHOD.matcher(line);
    return m.find() ? m.group(1) : "";
  }
}
