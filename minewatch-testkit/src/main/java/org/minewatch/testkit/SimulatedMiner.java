package org.minewatch.testkit;

import java.util.Random;

/**
 * A miner of known hash rate in each dialect: the pool sets a difficulty, the miner finds shares as
 * a Poisson process of rate hash rate / work per share, the pool accepts each one. Used to check
 * that hash-rate estimates and their intervals cover the truth as often as they claim.
 */
public final class SimulatedMiner {

  /** The dialects, each with the difficulty it sets and the work per share that means. */
  public enum Dialect {
    /** Bitcoin-style Stratum from an ASIC controller: difficulty 65,536 = 2^48 hashes a share. */
    STRATUM_SHA256(65536.0 * 4294967296.0),
    /** Zcash Stratum: a set_target of 2^256 / 200,000, so 200,000 solutions a share. */
    ZCASH(200_000.0),
    /** XMRig: target "b88d0600", difficulty 10,000 = 10,000 hashes a share. */
    XMRIG(10_000.0),
    /** eth-proxy: a boundary of 2^256 / 4,000,000,000. */
    ETH_PROXY(4_000_000_000.0),
    /** EthereumStratum/1.0.0: difficulty 0.5 = 2^31 hashes a share. */
    ETHEREUM_STRATUM(0.5 * 4294967296.0);

    private final double workPerShare;

    Dialect(double workPerShare) {
      this.workPerShare = workPerShare;
    }

    public double workPerShare() {
      return workPerShare;
    }
  }

  private SimulatedMiner() {}

  /**
   * Adds one session of {@code seconds} at {@code hashrate} (H/s or Sol/s) starting at the
   * builder's time; the flow's last packet is at the end of the window.
   *
   * @return the number of shares drawn
   */
  public static int session(
      TrafficBuilder t,
      Dialect d,
      String miner,
      int port,
      String pool,
      double hashrate,
      double seconds,
      Random r) {
    return session(t, d, miner, port, pool, hashrate, seconds, "rig1", r);
  }

  /** As above, for a named worker (Bitcoin-style Stratum: user "acct.WORKER"). */
  public static int session(
      TrafficBuilder t,
      Dialect d,
      String miner,
      int port,
      String pool,
      double hashrate,
      double seconds,
      String worker,
      Random r) {
    TrafficBuilder.Tcp c = t.tcp(miner, port, pool, 3333).handshake();
    long start = t.nowNanos();
    switch (d) {
      case STRATUM_SHA256 -> {
        c.client(
            "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"bmminer/2.0.0\"]}\n"
                + "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"acct."
                + worker
                + "\",\"x\"]}\n");
        c.server(
            "{\"id\":1,\"result\":[[[\"mining.notify\",\"ae6812eb4cd7735a302a8a9dd95cf71f\"]],\"08000002\",4],"
                + "\"error\":null}\n{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[65536]}\n"
                + MiningSessions.bitcoinNotify(r, "1"));
      }
      case ZCASH -> {
        c.client(
            "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"EWBF 0.3.4b\",null,\"pool\",\"3333\"]}\n");
        String target =
            java.math.BigInteger.ONE
                .shiftLeft(256)
                .divide(java.math.BigInteger.valueOf(200_000))
                .toString(16);
        target = "0".repeat(64 - target.length()) + target;
        c.server(
            "{\"id\":1,\"result\":[null,\"04d567b212\"],\"error\":null}\n"
                + "{\"id\":null,\"method\":\"mining.set_target\",\"params\":[\""
                + target
                + "\"]}\n");
      }
      case XMRIG -> {
        c.client(
            "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":\"wallet\",\"pass\":\"x\","
                + "\"agent\":\"XMRig/6.21.0\",\"algo\":[\"rx/0\"]}}\n");
        c.server(
            "{\"id\":1,\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"id\":\"s1\",\"job\":"
                + MiningSessions.xmrJob(r)
                + ",\"status\":\"OK\"}}\n");
      }
      case ETH_PROXY -> {
        c.client(
            "{\"id\":2,\"jsonrpc\":\"2.0\",\"method\":\"eth_submitLogin\",\"params\":[\"0x52908400098527886e0f7030069857d2e4169ee7\"]}\n");
        String boundary =
            java.math.BigInteger.ONE
                .shiftLeft(256)
                .divide(java.math.BigInteger.valueOf(4_000_000_000L))
                .toString(16);
        boundary = "0".repeat(64 - boundary.length()) + boundary;
        c.server(
            "{\"id\":2,\"jsonrpc\":\"2.0\",\"result\":true}\n{\"id\":0,\"jsonrpc\":\"2.0\",\"result\":[\"0x"
                + MiningSessions.hex(r, 32)
                + "\",\"0x"
                + MiningSessions.hex(r, 32)
                + "\",\"0x"
                + boundary
                + "\"]}\n");
      }
      case ETHEREUM_STRATUM -> {
        c.client(
            "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"ethminer/0.19.0\",\"EthereumStratum/1.0.0\"]}\n");
        c.server(
            "{\"id\":1,\"result\":[[\"mining.notify\",\"a1\",\"EthereumStratum/1.0.0\"],\"0a\"],\"error\":null}\n"
                + "{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[0.5]}\n");
      }
    }
    double rate = hashrate / d.workPerShare();
    double at = 0;
    int shares = 0;
    while (true) {
      at += -Math.log(1 - r.nextDouble()) / rate;
      if (at >= seconds) {
        break;
      }
      long due = start + (long) (at * 1e9);
      if (due > t.nowNanos()) {
        t.advance(java.time.Duration.ofNanos(due - t.nowNanos()));
      }
      shares++;
      int id = 10 + shares;
      switch (d) {
        case STRATUM_SHA256 ->
            c.client(
                "{\"id\":"
                    + id
                    + ",\"method\":\"mining.submit\",\"params\":[\"acct."
                    + worker
                    + "\",\"1\",\""
                    + MiningSessions.hex(r, 4)
                    + "\",\""
                    + MiningSessions.hex(r, 4)
                    + "\",\""
                    + MiningSessions.hex(r, 4)
                    + "\"]}\n");
        case ZCASH ->
            c.client(
                "{\"id\":"
                    + id
                    + ",\"method\":\"mining.submit\",\"params\":[\"t1a.b\",\"1\",\""
                    + MiningSessions.hex(r, 4)
                    + "\",\""
                    + MiningSessions.hex(r, 28)
                    + "\",\"fd4005"
                    + MiningSessions.hex(r, 1344)
                    + "\"]}\n");
        case XMRIG ->
            c.client(
                "{\"id\":"
                    + id
                    + ",\"jsonrpc\":\"2.0\",\"method\":\"submit\",\"params\":{\"id\":\"s1\","
                    + "\"job_id\":\"j1\",\"nonce\":\""
                    + MiningSessions.hex(r, 4)
                    + "\",\"result\":\""
                    + MiningSessions.hex(r, 32)
                    + "\"}}\n");
        case ETH_PROXY ->
            c.client(
                "{\"id\":"
                    + id
                    + ",\"jsonrpc\":\"2.0\",\"method\":\"eth_submitWork\",\"params\":[\"0x"
                    + MiningSessions.hex(r, 8)
                    + "\",\"0x"
                    + MiningSessions.hex(r, 32)
                    + "\",\"0x"
                    + MiningSessions.hex(r, 32)
                    + "\"]}\n");
        case ETHEREUM_STRATUM ->
            c.client(
                "{\"id\":"
                    + id
                    + ",\"method\":\"mining.submit\",\"params\":[\"a.b\",\"1\",\""
                    + MiningSessions.hex(r, 6)
                    + "\"]}\n");
      }
      c.server(
          d == Dialect.XMRIG
              ? "{\"id\":"
                  + id
                  + ",\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"status\":\"OK\"}}\n"
              : "{\"id\":" + id + ",\"result\":true,\"error\":null}\n");
    }
    long end = start + (long) (seconds * 1e9);
    if (end > t.nowNanos()) {
      t.advance(java.time.Duration.ofNanos(end - t.nowNanos()));
    }
    c.rst(true);
    return shares;
  }
}
