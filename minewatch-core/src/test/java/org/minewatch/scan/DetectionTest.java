package org.minewatch.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.crypto.Keccak256;
import org.minewatch.evidence.Finding;
import org.minewatch.model.Algorithm;
import org.minewatch.model.Coin;
import org.minewatch.model.Protocol;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;
import org.minewatch.testkit.EthashSeeds;
import org.minewatch.testkit.MiningSessions;
import org.minewatch.testkit.PcapWriter;
import org.minewatch.testkit.TrafficBuilder;

class DetectionTest {
  private static final String XMR_WALLET =
      "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";

  @TempDir Path dir;

  private final Random random = new Random(7);

  private TrafficBuilder builder() {
    return new TrafficBuilder(Instant.parse("2021-06-01T08:00:00Z"));
  }

  private static Object[] summary(Finding f) {
    return new Object[] {
      f.host().toString(),
      f.role(),
      f.verdict(),
      f.coin(),
      f.protocol(),
      f.login(),
      f.worker(),
      f.agent(),
      f.peers().stream().map(Object::toString).toList(),
      f.flows()
    };
  }

  @Test
  void bitcoinStratumV1MinerAndPool() {
    TrafficBuilder t = builder();
    MiningSessions.stratumV1(
            t, "10.1.1.10", 40001, "203.0.113.5", 3333, "bmminer/2.0.0", "acct.rig7", 3, random)
        .fin();
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.findings())
        .extracting(DetectionTest::summary)
        .containsExactly(
            new Object[] {
              "10.1.1.10",
              Role.MINER,
              Verdict.MINING,
              null,
              Protocol.STRATUM_V1,
              "acct",
              "rig7",
              "bmminer/2.0.0",
              List.of("203.0.113.5:3333"),
              1L
            },
            new Object[] {
              "203.0.113.5",
              Role.POOL,
              Verdict.MINING,
              null,
              Protocol.STRATUM_V1,
              null,
              null,
              null,
              List.of("10.1.1.10:40001"),
              1L
            });
    Finding miner = s.only("10.1.1.10", Role.MINER);
    assertThat(miner.evidence())
        .first()
        .asString()
        .startsWith(
            "TCP 10.1.1.10:40001 -> 203.0.113.5:3333 at 2021-06-01T08:00:00.000603Z: client sent mining.subscribe");
    assertThat(miner.evidence())
        .last()
        .asString()
        .endsWith(
            "8 mining messages in all: 1 × mining.subscribe, 1 × subscription granted, 1 × mining.authorize, "
                + "1 × mining.set_difficulty, 1 × mining.notify, 3 × mining.submit; "
                + "3 shares accepted over 15 s (sha256d work 8.444e+14 hashes)");
    // 3 shares of difficulty 65,536 (2^48 hashes each): below the minimum for a number.
    assertThat(miner.algorithm()).isEqualTo(org.minewatch.model.Algorithm.SHA256D);
    assertThat(miner.hashRate().tooFewShares()).isTrue();
    assertThat(miner.hashRate().shares()).isEqualTo(3);
    assertThat(miner.power()).isNull();
    assertThat(miner.bytes()).isEqualTo(s.result().stats().wireBytes());
  }

  @Test
  void zcashEquihashStratumNamesTheCoin() {
    TrafficBuilder t = builder();
    MiningSessions.zcashStratum(
        t,
        "10.1.1.11",
        40002,
        "203.0.113.6",
        3357,
        "t1abcdefghijklmnopqrstuvwxyz12345.w1",
        2,
        random);
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.findings())
        .extracting(DetectionTest::summary)
        .containsExactly(
            new Object[] {
              "10.1.1.11",
              Role.MINER,
              Verdict.MINING,
              Coin.ZCASH,
              Protocol.STRATUM_V1,
              "t1abcdefghijklmnopqrstuvwxyz12345",
              "w1",
              "nheqminer/0.5c",
              List.of("203.0.113.6:3357"),
              1L
            },
            new Object[] {
              "203.0.113.6",
              Role.POOL,
              Verdict.MINING,
              Coin.ZCASH,
              Protocol.STRATUM_V1,
              null,
              null,
              null,
              List.of("10.1.1.11:40002"),
              1L
            });
  }

  @Test
  void xmrigMoneroSessionOverIpv6() {
    TrafficBuilder t = builder();
    MiningSessions.xmrig(
        t,
        "2001:db8:10::15",
        51000,
        "2001:db8:99::1",
        443,
        XMR_WALLET + ".srv15",
        "XMRig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/11.2.0",
        2,
        random);
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.findings())
        .extracting(DetectionTest::summary)
        .containsExactly(
            new Object[] {
              "2001:db8:10::15",
              Role.MINER,
              Verdict.MINING,
              Coin.MONERO,
              Protocol.STRATUM_XMR,
              XMR_WALLET,
              "srv15",
              "XMRig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/11.2.0",
              List.of("[2001:db8:99::1]:443"),
              1L
            },
            new Object[] {
              "2001:db8:99::1",
              Role.POOL,
              Verdict.MINING,
              Coin.MONERO,
              Protocol.STRATUM_XMR,
              null,
              null,
              null,
              List.of("[2001:db8:10::15]:51000"),
              1L
            });
  }

  @Test
  void ethProxyAndEthereumStratum() {
    TrafficBuilder t = builder();
    MiningSessions.ethProxy(
        t,
        "10.1.1.12",
        40003,
        "203.0.113.7",
        8008,
        "0x52908400098527886e0f7030069857d2e4169ee7",
        "gpu1",
        1,
        EthashSeeds.EPOCH_418,
        random);
    MiningSessions.ethereumStratum(
        t,
        "10.1.1.13",
        40004,
        "203.0.113.8",
        4444,
        "0x52908400098527886e0f7030069857d2e4169ee7.gpu2",
        1,
        EthashSeeds.EPOCH_418,
        random);
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.findings())
        .extracting(
            f -> f.host().toString(),
            Finding::role,
            Finding::coin,
            Finding::protocol,
            Finding::login,
            Finding::worker)
        .containsExactlyInAnyOrder(
            tuple(
                "10.1.1.12",
                Role.MINER,
                Coin.ETHEREUM,
                Protocol.ETH_PROXY,
                "0x52908400098527886e0f7030069857d2e4169ee7",
                "gpu1"),
            tuple("203.0.113.7", Role.POOL, Coin.ETHEREUM, Protocol.ETH_PROXY, null, null),
            tuple(
                "10.1.1.13",
                Role.MINER,
                Coin.ETHEREUM,
                Protocol.ETHEREUM_STRATUM,
                "0x52908400098527886e0f7030069857d2e4169ee7",
                "gpu2"),
            tuple("203.0.113.8", Role.POOL, Coin.ETHEREUM, Protocol.ETHEREUM_STRATUM, null, null));
    assertThat(s.only("10.1.1.12", Role.MINER).evidence())
        .anyMatch(e -> e.endsWith("client sent eth_submitHashrate (reports 30.44 MH/s)"));
  }

  /**
   * After the Merge an eth-proxy session is no Ethereum miner's, whatever its 0x login says: the
   * seed of Ethereum Classic's height names that chain; a seed of no chain's height names none.
   */
  @Test
  void ethProxyAfterTheMergeIsNamedByItsSeedNeverEthereum() {
    TrafficBuilder t = new TrafficBuilder(Instant.parse("2024-03-13T12:00:00Z"));
    MiningSessions.ethProxy(
        t,
        "10.1.1.30",
        40030,
        "203.0.113.30",
        8008,
        "0x52908400098527886e0f7030069857d2e4169ee7",
        "rig1",
        1,
        EthashSeeds.EPOCH_648,
        random);
    MiningSessions.ethProxy(
        t,
        "10.1.1.31",
        40031,
        "203.0.113.31",
        8008,
        "0x52908400098527886e0f7030069857d2e4169ee7",
        "rig2",
        1,
        EthashSeeds.EPOCH_418,
        random);
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.findings())
        .extracting(f -> f.host().toString(), Finding::role, Finding::coin, Finding::algorithm)
        .containsExactlyInAnyOrder(
            tuple("10.1.1.30", Role.MINER, Coin.ETHEREUM_CLASSIC, Algorithm.ETHASH),
            tuple("203.0.113.30", Role.POOL, Coin.ETHEREUM_CLASSIC, Algorithm.ETHASH),
            tuple("10.1.1.31", Role.MINER, null, Algorithm.ETHASH),
            tuple("203.0.113.31", Role.POOL, null, Algorithm.ETHASH));
    assertThat(s.only("10.1.1.31", Role.MINER).evidence())
        .anyMatch(e -> e.endsWith(": none fits, an Ethash chain not on record: no coin"));
    assertThat(s.only("10.1.1.30", Role.MINER).evidence().get(0))
        .isEqualTo(
            "login 0x52908400098527886e0f7030069857d2e4169ee7 is a valid ethereum mainnet account"
                + " address (hex (no checksum in one case) checksum verified), a format every"
                + " Ethash chain's accounts share");
  }

  @Test
  void minersHttpGetworkAndGetblocktemplate() {
    TrafficBuilder t = builder();
    MiningSessions.getworkHttp(t, "10.1.1.14", 40005, "203.0.113.9", 8332, random);
    MiningSessions.getblocktemplateHttp(t, "10.1.1.15", 40006, "10.1.1.200", 8332);
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.findings())
        .extracting(
            f -> f.host().toString(),
            Finding::role,
            Finding::verdict,
            Finding::protocol,
            Finding::agent)
        .containsExactlyInAnyOrder(
            tuple("10.1.1.14", Role.MINER, Verdict.MINING, Protocol.GETWORK_HTTP, "cgminer 4.10.0"),
            tuple("203.0.113.9", Role.POOL, Verdict.MINING, Protocol.GETWORK_HTTP, null),
            tuple("10.1.1.15", Role.MINER, Verdict.MINING, Protocol.GETBLOCKTEMPLATE_HTTP, null),
            tuple("10.1.1.200", Role.POOL, Verdict.MINING, Protocol.GETBLOCKTEMPLATE_HTTP, null));
    assertThat(s.only("203.0.113.9", Role.POOL).evidence())
        .anyMatch(
            e ->
                e.endsWith(
                    "HTTP response with mining headers X-Long-Polling: /LP, X-Roll-NTime: expire=120"));
  }

  @Test
  void aBlockTemplatesChainNamesTheCoinAndAlgorithm() {
    // A solo miner asks its node for a template (BIP 22); the answer's previous block hash has
    // Bitcoin's proof of
    // work (nine zero bytes) and its bits are Bitcoin's network difficulty in July 2023.
    TrafficBuilder t = builder();
    TrafficBuilder.Tcp c = t.tcp("10.1.1.17", 40008, "10.1.1.201", 8332).handshake();
    String call =
        "{\"jsonrpc\":\"1.0\",\"id\":\"gbt\",\"method\":\"getblocktemplate\",\"params\":[{\"rules\":[\"segwit\"]}]}";
    c.client(
        "POST / HTTP/1.1\r\nHost: 10.1.1.201:8332\r\nContent-Type: application/json\r\nContent-Length: "
            + call.length()
            + "\r\n\r\n"
            + call);
    String reply =
        "{\"result\":{\"version\":536870912,\"previousblockhash\":\"000000000000000000"
            + "02a7c4c1e48d76c5a37902165a270156b7a8d72728a054\",\"bits\":\"17053894\",\"curtime\":1690168629,"
            + "\"height\":800000},\"error\":null,\"id\":\"gbt\"}";
    c.server(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + reply.length()
            + "\r\n\r\n"
            + reply);
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    Finding miner = s.only("10.1.1.17", Role.MINER);
    assertThat(miner.verdict()).isEqualTo(Verdict.MINING);
    assertBitcoinTemplateOf2023(miner);
  }

  /** The chain clue of a getblocktemplate answer of Bitcoin's block 800,000 (2023). */
  private static void assertBitcoinTemplateOf2023(Finding miner) {
    assertThat(miner.coin()).isEqualTo(Coin.BITCOIN);
    assertThat(miner.algorithm()).isEqualTo(org.minewatch.model.Algorithm.SHA256D);
    assertThat(miner.evidence())
        .anyMatch(
            e ->
                e.endsWith(
                    "block template: the job's previous block hash starts with "
                        + "9 zero bytes (a SHA-256d chain's proof of work); its nbits 17053894 are network difficulty 5.39e+13, within "
                        + "bitcoin's band for 2023 (3e+13–8e+13): coin bitcoin, algorithm sha256d"));
  }

  /**
   * A getblocktemplate exchange whose answer carries 400 transactions (about 240 KiB, as real ones
   * do), its chain members written before or after them, sent in segments of the MSS.
   */
  private static TrafficBuilder largeBlockTemplate(boolean chainFirst) {
    TrafficBuilder t = new TrafficBuilder(Instant.parse("2023-07-24T03:17:09Z"));
    TrafficBuilder.Tcp c = t.tcp("10.1.1.20", 40011, "10.1.1.202", 8332).handshake();
    String call =
        "{\"jsonrpc\":\"1.0\",\"id\":\"gbt\",\"method\":\"getblocktemplate\",\"params\":[{\"rules\":[\"segwit\"]}]}";
    c.client(
        "POST / HTTP/1.1\r\nHost: 10.1.1.202:8332\r\nContent-Type: application/json\r\nContent-Length: "
            + call.length()
            + "\r\n\r\n"
            + call);
    StringBuilder transactions = new StringBuilder("[");
    for (int i = 0; i < 400; i++) {
      String id = String.format("%064x", i * 7919L + 1);
      transactions
          .append(i == 0 ? "" : ",")
          .append("{\"data\":\"")
          .append("02000000".repeat(60))
          .append("\",\"txid\":\"")
          .append(id)
          .append("\",\"hash\":\"")
          .append(id)
          .append("\",\"depends\":[],\"fee\":")
          .append(1000 + i)
          .append(",\"sigops\":4,\"weight\":960}");
    }
    transactions.append(']');
    String prev =
        "\"previousblockhash\":\"00000000000000000002a7c4c1e48d76c5a37902165a270156b7a8d72728a054\"";
    String chain = "\"curtime\":1690168629,\"bits\":\"17053894\",\"height\":800000";
    String result =
        chainFirst
            // btcd's order: bits, curtime, height, previous block hash, then the transactions
            ? "{" + chain + "," + prev + ",\"transactions\":" + transactions + "}"
            // Bitcoin Core's: the previous block hash before the transactions, the rest after
            : "{\"capabilities\":[\"proposal\"],\"version\":536870912,\"rules\":[\"csv\",\"!segwit\"],"
                + "\"vbavailable\":{},\"vbrequired\":0,"
                + prev
                + ",\"transactions\":"
                + transactions
                + ",\"coinbaseaux\":{},\"coinbasevalue\":637090465,\"mintime\":1690165000,"
                + chain
                + "}";
    String reply = "{\"result\":" + result + ",\"error\":null,\"id\":\"gbt\"}";
    assertThat(reply.length()).isGreaterThan(200 * 1024);
    c.server(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + reply.length()
            + "\r\n\r\n"
            + reply);
    // The miner then submits a block on the same connection: the session reads on past the long
    // body.
    String submit =
        "{\"jsonrpc\":\"1.0\",\"id\":\"sb\",\"method\":\"submitblock\",\"params\":[\"0000\"]}";
    c.client(
        "POST / HTTP/1.1\r\nHost: 10.1.1.202:8332\r\nContent-Type: application/json\r\nContent-Length: "
            + submit.length()
            + "\r\n\r\n"
            + submit);
    return t;
  }

  @Test
  void aLargeBlockTemplatesChainIsReadFromWhatTheBufferHolds() {
    Fixtures.Scan s = Fixtures.scan(dir, largeBlockTemplate(true).frames());
    Finding miner = s.only("10.1.1.20", Role.MINER);
    assertThat(s.problems()).isEmpty();
    assertThat(miner.evidence()).anyMatch(e -> e.endsWith("HTTP POST / calls submitblock"));
    assertBitcoinTemplateOf2023(miner);
  }

  @Test
  void aLargeBlockTemplatesBitsAfterTheCutAreNotGuessed() {
    // Bitcoin Core writes bits and curtime after the transactions, past what the buffer holds: the
    // previous block hash still shows a SHA-256d chain, and no coin is named.
    Fixtures.Scan s = Fixtures.scan(dir, largeBlockTemplate(false).frames());
    Finding miner = s.only("10.1.1.20", Role.MINER);
    assertThat(miner.coin()).isNull();
    assertThat(miner.algorithm()).isEqualTo(org.minewatch.model.Algorithm.SHA256D);
    assertThat(miner.evidence())
        .anyMatch(
            e ->
                e.endsWith(
                    "block template: the job's previous block hash starts with 9 zero bytes: a "
                        + "SHA-256d chain's proof of work (algorithm sha256d)"))
        .noneMatch(e -> e.contains("nbits"));
  }

  @Test
  void aKawPowJobNamesItsAlgorithm() {
    // The job a Ravencoin-style (KawPow) pool pushes: header hash, seed hash, target, clean,
    // height, bits.
    TrafficBuilder t = builder();
    TrafficBuilder.Tcp c = t.tcp("10.1.1.18", 40009, "203.0.113.40", 3636).handshake();
    c.client("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"kawpowminer/1.2.4\"]}\n");
    c.server("{\"id\":1,\"result\":[null,\"a1b2c3d4\"],\"error\":null}\n");
    c.client("{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"rigX\",\"x\"]}\n");
    c.server(
        "{\"id\":2,\"result\":true,\"error\":null}\n{\"id\":null,\"method\":\"mining.notify\",\"params\":[\"7\",\""
            + "ab".repeat(32)
            + "\",\""
            + "cd".repeat(32)
            + "\",\"00000000ffff"
            + "0".repeat(52)
            + "\",true,2800000,"
            + "\"1b00f2a1\"]}\n");
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    Finding miner = s.only("10.1.1.18", Role.MINER);
    assertThat(miner.verdict()).isEqualTo(Verdict.MINING);
    assertThat(miner.algorithm()).isEqualTo(org.minewatch.model.Algorithm.KAWPOW);
    assertThat(miner.evidence())
        .anyMatch(
            e ->
                e.endsWith(
                    "server sent mining.notify (KawPow job (header hash, seed "
                        + "hash, target, height 2800000, bits 1b00f2a1))"));
  }

  /** A KawPow (Ravencoin-style) session whose pool pushes one job of this height and bits. */
  private static TrafficBuilder kawpowSession(Instant at, long height, String bits) {
    TrafficBuilder t = new TrafficBuilder(at);
    TrafficBuilder.Tcp c = t.tcp("10.1.1.19", 40010, "203.0.113.41", 3636).handshake();
    c.client("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"kawpowminer/1.2.4\"]}\n");
    c.server("{\"id\":1,\"result\":[null,\"a1b2c3d4\"],\"error\":null}\n");
    c.client("{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"rigY\",\"x\"]}\n");
    c.server(
        "{\"id\":2,\"result\":true,\"error\":null}\n{\"id\":null,\"method\":\"mining.notify\",\"params\":[\"8\",\""
            + "5e".repeat(32)
            + "\",\""
            + "a3".repeat(32)
            + "\",\"00000000ffff"
            + "0".repeat(52)
            + "\",true,"
            + height
            + ",\""
            + bits
            + "\"]}\n");
    return t;
  }

  @Test
  void aKawPowJobsBitsAndHeightNameRavencoin() {
    // Ravencoin in mid-2023: about 5 TH/s (difficulty near 7e4) and block 2,800,000 (one block a
    // minute since January 2018).
    Fixtures.Scan s =
        Fixtures.scan(
            dir,
            kawpowSession(Instant.parse("2023-06-01T08:00:00Z"), 2_800_000, "1b00f2a1").frames());
    Finding miner = s.only("10.1.1.19", Role.MINER);
    assertThat(miner.coin()).isEqualTo(Coin.RAVENCOIN);
    assertThat(miner.algorithm()).isEqualTo(org.minewatch.model.Algorithm.KAWPOW);
    assertThat(miner.evidence())
        .anyMatch(
            e ->
                e.endsWith(
                    "the job has KawPow's shape (header hash, seed hash and target of 64 hex digits, "
                        + "block height 2800000): algorithm kawpow; its bits 1b00f2a1 are network "
                        + "difficulty 6.91e+04 and its height 2800000, within ravencoin's band for 2023 "
                        + "(difficulty 1e+04–3e+05, heights 2580000–3150000): coin ravencoin"));
  }

  @Test
  void aKawPowJobOutsideEveryBandNamesItsAlgorithmOnly() {
    // Difficulty 1 is no KawPow chain's of 2023; a height of 400,000 in 2023 is a young chain's
    // (Ravencoin passed it in 2018), whatever its difficulty.
    for (TrafficBuilder t :
        List.of(
            kawpowSession(Instant.parse("2023-06-01T08:00:00Z"), 2_800_000, "1d00ffff"),
            kawpowSession(Instant.parse("2023-06-01T08:00:00Z"), 400_000, "1b00f2a1"))) {
      Fixtures.Scan s = Fixtures.scan(dir, t.frames());
      Finding miner = s.only("10.1.1.19", Role.MINER);
      assertThat(miner.coin()).isNull();
      assertThat(miner.algorithm()).isEqualTo(org.minewatch.model.Algorithm.KAWPOW);
      assertThat(miner.evidence()).noneMatch(e -> e.contains("ravencoin"));
    }
  }

  @Test
  void aMinersUserAgentAloneIsOnlySuspect() {
    TrafficBuilder t = builder();
    t.tcp("10.1.1.16", 40007, "192.0.2.80", 80)
        .handshake()
        .client("GET /update HTTP/1.1\r\nHost: example.com\r\nUser-Agent: xmrig/6.21.0\r\n\r\n");
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.findings())
        .extracting(f -> f.host().toString(), Finding::role, Finding::verdict, Finding::protocol)
        .containsExactly(tuple("10.1.1.16", Role.MINER, Verdict.SUSPECT, Protocol.MINER_HTTP));
  }

  @Test
  void sessionJoinedMidwayIsFoundFromServerPushesAlone() {
    TrafficBuilder t = builder();
    TrafficBuilder.Tcp c = t.tcp("10.1.1.17", 40008, "203.0.113.10", 3333);
    // The capture starts inside a message: the first segment holds its tail, then whole pushes.
    String tail = "3\",true]}\n";
    c.server(tail + MiningSessions.bitcoinNotify(random, "2b"));
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.findings())
        .extracting(f -> f.host().toString(), Finding::role, Finding::verdict)
        .containsExactly(
            tuple("10.1.1.17", Role.MINER, Verdict.MINING),
            tuple("203.0.113.10", Role.POOL, Verdict.MINING));
    assertThat(s.only("10.1.1.17", Role.MINER).evidence().get(0))
        .contains("server sent mining.notify");
  }

  @Test
  void sessionJoinedMidwayIsFoundFromClientSubmitsAlone() {
    TrafficBuilder t = builder();
    TrafficBuilder.Tcp c = t.tcp("10.1.1.18", 40009, "203.0.113.11", 14444);
    c.client(
        "{\"id\":12,\"jsonrpc\":\"2.0\",\"method\":\"submit\",\"params\":{\"id\":\"a1\",\"job_id\":\"b2\","
            + "\"nonce\":\"deadbeef\",\"result\":\""
            + "ab".repeat(32)
            + "\"}}\n");
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.findings())
        .extracting(f -> f.host().toString(), Finding::role, Finding::protocol, Finding::coin)
        .containsExactly(
            tuple("10.1.1.18", Role.MINER, Protocol.STRATUM_XMR, null),
            tuple("203.0.113.11", Role.POOL, Protocol.STRATUM_XMR, null));
  }

  @Test
  void messagesSplitAcrossSegmentsOutOfOrderAndRetransmittedAreReassembled() {
    TrafficBuilder t = builder();
    byte[] subscribe =
        ("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"cpuminer/2.5.1\"]}\n"
                + "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"split.user\",\"x\"]}\n")
            .getBytes(StandardCharsets.US_ASCII);
    t.tcp("10.1.1.19", 40010, "203.0.113.12", 3333)
        .handshake()
        .sendSplit(true, subscribe, 5, 30, 71);
    t.tcp("10.1.1.20", 40011, "203.0.113.12", 3333).handshake().sendOutOfOrder(true, subscribe, 40);
    t.tcp("10.1.1.21", 40012, "203.0.113.12", 3333)
        .handshake()
        .sendWithRetransmission(true, subscribe);
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.findings())
        .filteredOn(f -> f.role() == Role.MINER)
        .extracting(f -> f.host().toString(), Finding::login, Finding::worker, Finding::agent)
        .containsExactlyInAnyOrder(
            tuple("10.1.1.19", "split", "user", "cpuminer/2.5.1"),
            tuple("10.1.1.20", "split", "user", "cpuminer/2.5.1"),
            tuple("10.1.1.21", "split", "user", "cpuminer/2.5.1"));
    assertThat(s.only("203.0.113.12", Role.POOL).flows()).isEqualTo(3);
    // The retransmitted segment must not be read twice.
    assertThat(s.only("10.1.1.21", Role.MINER).evidence()).hasSize(2);
  }

  @Test
  void bitcoinNodesOnAnyPortAreNodesNotMining() {
    TrafficBuilder t = builder();
    t.tcp("10.1.1.22", 40013, "198.51.100.30", 18444)
        .handshake()
        .send(true, MiningSessions.bitcoinVersion(0xf9beb4d9, random))
        .send(false, MiningSessions.bitcoinVersion(0xf9beb4d9, random));
    t.tcp("10.1.1.23", 40014, "198.51.100.31", 9333)
        .handshake()
        .send(true, MiningSessions.bitcoinVersion(0xfbc0b6db, random));
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.findings())
        .extracting(f -> f.host().toString(), Finding::role, Finding::verdict, Finding::coin)
        .containsExactlyInAnyOrder(
            tuple("10.1.1.22", Role.NODE, Verdict.NODE, Coin.BITCOIN),
            tuple("198.51.100.30", Role.NODE, Verdict.NODE, Coin.BITCOIN),
            tuple("10.1.1.23", Role.NODE, Verdict.NODE, Coin.LITECOIN),
            tuple("198.51.100.31", Role.NODE, Verdict.NODE, Coin.LITECOIN));
  }

  @Test
  void earlyBitcoinHandshakeWithoutChecksumIsRecognisedByItsStructure() {
    // Before protocol 60002 "version" had a 20-byte header: magic, command, length, no checksum.
    java.nio.ByteBuffer payload = java.nio.ByteBuffer.allocate(85).order(ByteOrder.LITTLE_ENDIAN);
    payload.putInt(32001).putLong(1).putLong(1_301_328_000L); // 2011-03-28
    java.nio.ByteBuffer msg = java.nio.ByteBuffer.allocate(20 + 85);
    msg.putInt(0xf9beb4d9).put("version".getBytes(StandardCharsets.US_ASCII)).put(new byte[5]);
    msg.order(ByteOrder.LITTLE_ENDIAN).putInt(85).order(ByteOrder.BIG_ENDIAN).put(payload.array());
    TrafficBuilder t = builder();
    t.tcp("10.1.1.40", 40030, "198.51.100.40", 8333).handshake().send(true, msg.array());
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.only("10.1.1.40", Role.NODE).evidence().get(0))
        .endsWith(
            "client sent a \"version\" message of the Bitcoin mainnet peer-to-peer protocol "
                + "(early format without checksum, payload structure verified)");
    // The same bytes with a protocol version from after checksums came in are not accepted.
    msg.order(ByteOrder.LITTLE_ENDIAN).putInt(20, 70016);
    TrafficBuilder t2 = builder();
    t2.tcp("10.1.1.41", 40031, "198.51.100.41", 8333).handshake().send(true, msg.array());
    assertThat(Fixtures.scan(dir, t2.frames()).findings()).isEmpty();
  }

  @Test
  void aBitcoinHeaderWithAWrongChecksumIsNothing() {
    TrafficBuilder t = builder();
    byte[] msg = MiningSessions.bitcoinVersion(0xf9beb4d9, random);
    msg[20] ^= 0x55;
    t.tcp("10.1.1.24", 40015, "198.51.100.32", 8333).handshake().send(true, msg);
    assertThat(Fixtures.scan(dir, t.frames()).findings()).isEmpty();
  }

  @Test
  void moneroLevinAndEthereumDiscoveryAreNodes() {
    TrafficBuilder t = builder();
    t.tcp("10.1.1.25", 40016, "198.51.100.33", 18080)
        .handshake()
        .send(true, MiningSessions.levinHandshake(random));
    // A discovery v4 ping: keccak256(signature || type || data) || signature || type || data.
    // signature (r, s, recovery id 0), type 1 (ping), then the RLP list
    // [version 4, from [ip, udp, tcp], to [ip, udp, tcp], expiration].
    byte[] rlp = {
      (byte) 0xd8,
      0x04,
      (byte) 0xc9,
      (byte) 0x84,
      10,
      1,
      1,
      26,
      (byte) 0x82,
      0x76,
      0x5f,
      (byte) 0x80,
      (byte) 0xc7,
      (byte) 0x84,
      (byte) 198,
      51,
      100,
      34,
      (byte) 0x80,
      (byte) 0x80,
      (byte) 0x84,
      0x65,
      0x00,
      0x00,
      0x00
    };
    byte[] body = new byte[65 + 1 + rlp.length];
    random.nextBytes(body);
    body[64] = 0;
    body[65] = 1;
    System.arraycopy(rlp, 0, body, 66, rlp.length);
    byte[] packet = new byte[32 + body.length];
    System.arraycopy(Keccak256.digest(body), 0, packet, 0, 32);
    System.arraycopy(body, 0, packet, 32, body.length);
    t.udp("10.1.1.26", 30303, "198.51.100.34", 30303, packet);
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.findings())
        .extracting(f -> f.host().toString(), Finding::verdict, Finding::coin, Finding::protocol)
        .containsExactlyInAnyOrder(
            tuple("10.1.1.25", Verdict.NODE, Coin.MONERO, Protocol.MONERO_LEVIN),
            tuple("198.51.100.33", Verdict.NODE, Coin.MONERO, Protocol.MONERO_LEVIN),
            tuple("10.1.1.26", Verdict.NODE, Coin.ETHEREUM, Protocol.ETHEREUM_DEVP2P),
            tuple("198.51.100.34", Verdict.NODE, Coin.ETHEREUM, Protocol.ETHEREUM_DEVP2P));
    assertThat(s.only("10.1.1.25", Role.NODE).evidence().get(0))
        .endsWith("client sent a Levin handshake request for Monero mainnet");
  }

  @Test
  void nanoNodeHandshakesAreNodesAndOtherLengthsAreNothing() {
    byte[] query = new byte[8 + 32];
    byte[] header = {
      'R', 'C', 20, 20, 18, 0x0a, 0x05, 0x00
    }; // live network, versions 18..20, query + v2
    System.arraycopy(header, 0, query, 0, 8);
    random.nextBytes(java.util.Arrays.copyOfRange(query, 8, 40));
    byte[] response = new byte[8 + 32 + 160];
    byte[] responseHeader = {'R', 'C', 20, 20, 18, 0x0a, 0x07, 0x00}; // query + response + v2
    System.arraycopy(responseHeader, 0, response, 0, 8);
    TrafficBuilder t = builder();
    t.tcp("10.1.1.50", 40050, "198.51.100.50", 7075)
        .handshake()
        .send(true, query)
        .send(false, response);
    byte[] wrongLength = java.util.Arrays.copyOf(query, 41);
    t.tcp("10.1.1.51", 40051, "198.51.100.51", 7075).handshake().send(true, wrongLength);
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.findings())
        .extracting(f -> f.host().toString(), Finding::verdict, Finding::coin, Finding::protocol)
        .containsExactlyInAnyOrder(
            tuple("10.1.1.50", Verdict.NODE, Coin.NANO, Protocol.NANO_NODE),
            tuple("198.51.100.50", Verdict.NODE, Coin.NANO, Protocol.NANO_NODE));
  }

  @Test
  void casperZugDatagramsAreNodesWhenTheirLengthFieldMatches() {
    byte[] zug = new byte[122];
    random.nextBytes(zug);
    zug[0] = 0;
    zug[1] = 122;
    zug[2] = 'U';
    zug[3] = 'G';
    zug[4] = 0x10;
    byte[] off = zug.clone();
    off[1] = 121; // the length field no longer matches
    TrafficBuilder t = builder();
    t.udp("10.1.1.60", 44000, "198.51.100.60", 19000, zug);
    t.udp("10.1.1.61", 44001, "198.51.100.61", 19000, off);
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.findings())
        .extracting(f -> f.host().toString(), Finding::verdict, Finding::coin, Finding::protocol)
        .containsExactlyInAnyOrder(
            tuple("10.1.1.60", Verdict.NODE, Coin.CASPER, Protocol.CASPER_ZUG),
            tuple("198.51.100.60", Verdict.NODE, Coin.CASPER, Protocol.CASPER_ZUG));
  }

  @Test
  void stratumV2HandshakeShapeIsLikelyMining() {
    byte[] clientHello = new byte[64];
    byte[] serverHello = new byte[170];
    random.nextBytes(clientHello);
    random.nextBytes(serverHello);
    byte[] frame = new byte[90];
    random.nextBytes(frame);
    TrafficBuilder t = builder();
    t.tcp("10.1.1.70", 40070, "198.51.100.70", 34255)
        .handshake()
        .send(true, clientHello)
        .send(false, serverHello)
        .send(true, frame)
        .send(false, frame);
    // The same shape with an answer one byte short, and one seen without its handshake, are
    // nothing.
    t.tcp("10.1.1.71", 40071, "198.51.100.71", 34255)
        .handshake()
        .send(true, clientHello)
        .send(false, java.util.Arrays.copyOf(serverHello, 169))
        .send(true, frame);
    t.tcp("10.1.1.72", 40072, "198.51.100.72", 34255)
        .send(true, clientHello)
        .send(false, serverHello);
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.findings())
        .extracting(f -> f.host().toString(), Finding::role, Finding::verdict, Finding::protocol)
        .containsExactlyInAnyOrder(
            tuple("10.1.1.70", Role.MINER, Verdict.LIKELY, Protocol.STRATUM_V2),
            tuple("198.51.100.70", Role.POOL, Verdict.LIKELY, Protocol.STRATUM_V2));
  }

  @Test
  void nonMiningLookAlikesGiveNoFinding() {
    TrafficBuilder t = builder();
    MiningSessions.genericJsonRpc(t, "10.1.1.27", 40017, "10.1.1.28", 3333);
    t.tcp("10.1.1.29", 40018, "192.0.2.81", 8080)
        .handshake()
        .client(
            "POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 61\r\n\r\n"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"eth_getBalance\",\"params\":[],\"id\":1}");
    byte[] noise = new byte[600];
    random.nextBytes(noise);
    t.tcp("10.1.1.30", 40019, "192.0.2.82", 4444).handshake().send(true, noise).send(false, noise);
    for (int port : new int[] {3333, 4444, 5555, 7777, 8333}) {
      t.tcp("10.1.1.31", 50000 + port, "192.0.2.83", port).rst(true); // a scan probe: no payload
    }
    t.tcp("10.1.1.32", 40020, "192.0.2.84", 3333)
        .handshake()
        .client("{\"hello\":\"world\"}\n{\"a\":1}\n{\"b\":2}\n");
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.findings()).isEmpty();
  }

  @Test
  void malformedPacketsAreCountedAndDoNotStopDetection() {
    TrafficBuilder t = builder();
    t.raw(new byte[] {0x45, 0, 0, 10});
    t.raw(new byte[] {0x60, 0, 0});
    MiningSessions.stratumV1(
        t, "10.1.1.33", 40021, "203.0.113.13", 3333, "cgminer/4.12.1", "a.b", 1, random);
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.result().stats().malformedPackets()).isEqualTo(2);
    assertThat(s.problems()).hasSize(2).allMatch(p -> p.contains(": malformed packet: "));
    assertThat(s.problems().get(0))
        .endsWith("record 1 at byte 24: malformed packet: IPv4 header cut short");
    assertThat(s.findings()).hasSize(2);
  }

  @Test
  void aBadFileIsReportedAndTheOtherFilesAreStillScanned() throws Exception {
    TrafficBuilder t = builder();
    MiningSessions.stratumV1(
        t, "10.1.1.34", 40022, "203.0.113.14", 3333, "cgminer/4.12.1", "a.b", 1, random);
    Path good = dir.resolve("good.pcapng");
    PcapWriter.write(
        good,
        PcapWriter.pcapng(t.frames(), ByteOrder.BIG_ENDIAN, true, PcapWriter.Link.ETHERNET_VLAN));
    Path bad = dir.resolve("bad.pcap");
    Files.writeString(bad, "this is not a capture");
    Path notes = dir.resolve("README.txt");
    Files.writeString(notes, "ignored quietly: it does not claim to be a capture");
    Fixtures.Scan s = Fixtures.scanPaths(List.of(dir));
    assertThat(s.problems())
        .containsExactly(
            bad
                + ": not a capture (no pcap, pcapng or gzip magic in the first bytes); nor a flow export (IPFIX file, "
                + "nfdump CSV) or a Zeek or Suricata EVE log");
    assertThat(s.result().stats().files()).isEqualTo(1);
    assertThat(s.result().stats().unreadableFiles()).isEqualTo(1);
    assertThat(s.result().stats().skippedFiles()).isEqualTo(1);
    assertThat(s.findings()).hasSize(2);
  }

  @Test
  void aFlowSplitOverTwoRotatedFilesIsOneFlow() throws Exception {
    TrafficBuilder t = builder();
    MiningSessions.stratumV1(
        t, "10.1.1.35", 40023, "203.0.113.15", 3333, "cgminer/4.12.1", "a.b", 4, random);
    List<TrafficBuilder.Frame> frames = t.frames();
    Path one = dir.resolve("part1.pcap");
    Path two = dir.resolve("part2.pcap");
    int half = frames.size() / 2;
    PcapWriter.write(
        one,
        PcapWriter.pcap(
            frames.subList(0, half), PcapWriter.Link.ETHERNET, ByteOrder.LITTLE_ENDIAN, false));
    PcapWriter.write(
        two,
        PcapWriter.pcap(
            frames.subList(half, frames.size()),
            PcapWriter.Link.ETHERNET,
            ByteOrder.LITTLE_ENDIAN,
            false));
    Fixtures.Scan s = Fixtures.scanPaths(List.of(one, two));
    assertThat(s.only("10.1.1.35", Role.MINER).flows()).isEqualTo(1);
    assertThat(s.result().stats().flows()).isEqualTo(1);
  }
}
