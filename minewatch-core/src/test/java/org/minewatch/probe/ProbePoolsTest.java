package org.minewatch.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.minewatch.model.Algorithm;
import org.minewatch.model.Coin;
import org.minewatch.model.Protocol;
import org.minewatch.testkit.pools.LineServer;
import org.minewatch.testkit.pools.SimulatedPools;

/**
 * Every dialect of the simulated pools, in clear and over TLS, on loopback: each confirmed, saying
 * what it answered.
 */
class ProbePoolsTest {
  @TempDir Path dir;

  /**
   * A fixed time: a Bitcoin-style job's chain is told by its difficulty within the year's band, and
   * the sentence names the year.
   */
  private static final Clock MARCH_2024 =
      Clock.fixed(Instant.parse("2024-03-13T12:00:00Z"), ZoneOffset.UTC);

  private static final String V1_ANSWER =
      "mining.subscribe: subscription granted with extranonce1 08000002 and a "
          + "4-byte extranonce2; mining.authorize: result true; pushed mining.set_difficulty; "
          + "pushed mining.notify (Bitcoin-style job (coinbase parts and merkle branch))";
  // The pool's job after the authorisation: its previous block hash and nbits name the chain.
  private static final String V1_CLUE =
      "its work for the probe: the job's previous block hash starts with 9 zero bytes (a SHA-256d"
          + " chain's proof of work); its nbits 1703a30c are network difficulty 7.74e+13, within"
          + " bitcoin's band for 2024 (7e+13–2e+14): coin bitcoin, algorithm sha256d";
  private static final String XMR_ANSWER =
      "login: login accepted with a job (target b88d0600, algorithm rx/0)";
  private static final String ETH_ANSWER =
      "eth_submitLogin: result true; eth_getWork: work package (header hash, "
          + "seed hash and share boundary)";

  private static Protocol protocolOf(SimulatedPools.Dialect d) {
    return switch (d) {
      case STRATUM_V1 -> Protocol.STRATUM_V1;
      case XMRIG -> Protocol.STRATUM_XMR;
      case ETH_PROXY -> Protocol.ETH_PROXY;
    };
  }

  private static String answerOf(SimulatedPools.Dialect d) {
    return switch (d) {
      case STRATUM_V1 -> V1_ANSWER;
      case XMRIG -> XMR_ANSWER;
      case ETH_PROXY -> ETH_ANSWER;
    };
  }

  private static Confirmation confirmation(SimulatedPools.Dialect d, Wire wire, String sha) {
    return switch (d) {
      case STRATUM_V1 ->
          new Confirmation(
              Protocol.STRATUM_V1, wire, V1_ANSWER, sha, Coin.BITCOIN, Algorithm.SHA256D, V1_CLUE);
      case XMRIG ->
          new Confirmation(
              Protocol.STRATUM_XMR,
              wire,
              XMR_ANSWER,
              sha,
              Coin.MONERO,
              Algorithm.RANDOMX,
              "its work for the probe: coin monero, algorithm randomx");
      case ETH_PROXY ->
          new Confirmation(
              Protocol.ETH_PROXY,
              wire,
              ETH_ANSWER,
              sha,
              Coin.ETHEREUM_CLASSIC,
              Algorithm.ETHASH,
              "its work for the probe: the job's seed hash is Ethash epoch 648's (Keccak-256"
                  + " applied 648 times to 32 zero bytes): the pool works on the epoch from block"
                  + " 19,440,000; on 2024-03-13 the chains on record stood at: ethereum-classic"
                  + " about 19,495,000; ethereum has been mined by no one since 2022-09-15 (proof"
                  + " of stake): coin ethereum-classic");
    };
  }

  /** What the evidence sentence says after the answer. */
  private static String told(SimulatedPools.Dialect d) {
    Confirmation c = confirmation(d, Wire.CLEAR, null);
    return c.answer() + "; " + c.clue();
  }

  @ParameterizedTest
  @EnumSource(SimulatedPools.Dialect.class)
  void poolsInClearAreConfirmed(SimulatedPools.Dialect dialect) throws Exception {
    try (LineServer pool = LineServer.start(null, SimulatedPools.responder(dialect))) {
      ProbeResult r =
          ProbeFixtures.loopbackProber(MARCH_2024).probe(ProbeFixtures.loopback(pool.port()));
      assertThat(r.pool()).isTrue();
      assertThat(r.confirmation()).isEqualTo(confirmation(dialect, Wire.CLEAR, null));
      // TLS is tried first and fails; then the dialects in order until one is answered as a pool.
      assertThat(r.attempts().get(0)).startsWith("stratum-v1 over TLS: TLS handshake failed (");
      assertThat(r.attempts().get(r.attempts().size() - 1))
          .endsWith(" in clear: " + answerOf(dialect));
      assertThat(pool.connections()).isEqualTo(r.attempts().size());
      assertThat(r.sentence())
          .isEqualTo(
              "pool 127.0.0.1:"
                  + pool.port()
                  + " confirmed by probe at "
                  + r.time()
                  + " ("
                  + protocolOf(dialect).label()
                  + ", clear, answered: "
                  + told(dialect)
                  + ")");
    }
  }

  @ParameterizedTest
  @EnumSource(SimulatedPools.Dialect.class)
  void poolsOverTlsAreConfirmedWithTheirCertificate(SimulatedPools.Dialect dialect)
      throws Exception {
    try (LineServer pool =
        LineServer.start(ProbeFixtures.tls(dir), SimulatedPools.responder(dialect))) {
      ProbeResult r =
          ProbeFixtures.loopbackProber(MARCH_2024).probe(ProbeFixtures.loopback(pool.port()));
      String sha = ProbeFixtures.sha256OfCertificate(dir);
      assertThat(r.confirmation()).isEqualTo(confirmation(dialect, Wire.TLS, sha));
      assertThat(r.attempts()).hasSize(dialect.ordinal() + 1);
      assertThat(r.sentence())
          .endsWith(
              "("
                  + protocolOf(dialect).label()
                  + ", TLS, answered: "
                  + told(dialect)
                  + "; certificate SHA-256 "
                  + sha
                  + ")");
    }
  }

  /**
   * A Stratum v1 pool that grants the subscription and the authorisation but pushes no job within
   * the wait: confirmed all the same, with no coin.
   */
  @Test
  void aPoolThatPushesNoJobIsConfirmedWithoutACoin() throws Exception {
    try (LineServer pool =
        LineServer.start(
            null,
            line ->
                SimulatedPools.responder(SimulatedPools.Dialect.STRATUM_V1)
                        .apply(line)
                        .lines()
                        .findFirst()
                        .orElseThrow()
                    + "\n")) {
      long start = System.nanoTime();
      ProbeResult r =
          ProbeFixtures.loopbackProber(MARCH_2024).probe(ProbeFixtures.loopback(pool.port()));
      assertThat(r.confirmation())
          .isEqualTo(
              new Confirmation(
                  Protocol.STRATUM_V1,
                  Wire.CLEAR,
                  "mining.subscribe: subscription granted with extranonce1 08000002 and a "
                      + "4-byte extranonce2; mining.authorize: result true",
                  null,
                  null,
                  null,
                  null));
      // It waited for a job at most the reply timeout (1 s here, under the 2 s wait).
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(ProbeFixtures.REPLY.toNanos());
    }
  }

  @Test
  void theProbeSpeaksAsItsDocumentedSelf() throws Exception {
    try (LineServer pool =
        LineServer.start(null, SimulatedPools.responder(SimulatedPools.Dialect.ETH_PROXY))) {
      ProbeFixtures.loopbackProber(MARCH_2024).probe(ProbeFixtures.loopback(pool.port()));
      assertThat(pool.received())
          .contains(
              "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\""
                  + ProbeIdentity.AGENT
                  + "\"]}",
              "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"eth_submitLogin\",\"params\":[\""
                  + ProbeIdentity.ETHEREUM_LOGIN
                  + "\",\"x\"],\"worker\":\"minewatch-probe\"}");
      assertThat(pool.received())
          .filteredOn(l -> l.contains("\"login\""))
          .singleElement()
          .asString()
          .contains("\"login\":\"" + ProbeIdentity.MONERO_LOGIN + "\"")
          .contains("\"agent\":\"" + ProbeIdentity.AGENT);
    }
  }
}
