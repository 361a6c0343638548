package org.minewatch.probe;

import java.util.List;
import org.minewatch.model.Protocol;

/**
 * The mining dialects the probe speaks, each as the messages a miner opens a session with. A
 * request is sent only after the previous one was answered, as miners do.
 */
public enum Dialect {
  /** Stratum v1: subscribe (answered with the extranonce), then authorize. */
  STRATUM_V1(
      Protocol.STRATUM_V1,
      List.of(
          "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"" + ProbeIdentity.AGENT + "\"]}",
          "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\""
              + ProbeIdentity.BITCOIN_LOGIN
              + "."
              + ProbeIdentity.WORKER
              + "\",\"x\"]}")),
  /** XMRig's login, answered by a pool with a job. */
  XMRIG_LOGIN(
      Protocol.STRATUM_XMR,
      List.of(
          "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":\""
              + ProbeIdentity.MONERO_LOGIN
              + "\",\"pass\":\"x\",\"agent\":\""
              + ProbeIdentity.AGENT
              + "\",\"rigid\":\""
              + ProbeIdentity.WORKER
              + "\",\"algo\":[\"rx/0\",\"cn/r\",\"rx/wow\",\"argon2/chukwav2\",\"kawpow\",\"ghostrider\"]}}")),
  /** eth-proxy: a login, then a request for work, answered by a pool with a work package. */
  ETH_PROXY(
      Protocol.ETH_PROXY,
      List.of(
          "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"eth_submitLogin\",\"params\":[\""
              + ProbeIdentity.ETHEREUM_LOGIN
              + "\",\"x\"],\"worker\":\""
              + ProbeIdentity.WORKER
              + "\"}",
          "{\"id\":2,\"jsonrpc\":\"2.0\",\"method\":\"eth_getWork\",\"params\":[],\"worker\":\""
              + ProbeIdentity.WORKER
              + "\"}"));

  private final Protocol protocol;
  private final List<String> requests;

  Dialect(Protocol protocol, List<String> requests) {
    this.protocol = protocol;
    this.requests = requests;
  }

  public Protocol protocol() {
    return protocol;
  }

  /**
   * The requests in order, one JSON object each (without the newline that ends it on the wire); ids
   * count from 1.
   */
  public List<String> requests() {
    return requests;
  }

  /** The method the request at {@code index} calls, e.g. {@code mining.subscribe}. */
  public String method(int index) {
    String r = requests.get(index);
    int from = r.indexOf("\"method\":\"") + 10;
    return r.substring(from, r.indexOf('"', from));
  }

  public String label() {
    return protocol.label();
  }
}
