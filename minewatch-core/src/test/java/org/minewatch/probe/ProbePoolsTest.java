package org.minewatch.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.minewatch.model.Protocol;
import org.minewatch.testkit.pools.LineServer;
import org.minewatch.testkit.pools.SimulatedPools;

/**
 * Every dialect of the simulated pools, in clear and over TLS, on loopback: each confirmed, saying
 * what it answered.
 */
class ProbePoolsTest {
  @TempDir Path dir;

  private static final String V1_ANSWER =
      "mining.subscribe: subscription granted with extranonce1 08000002 and a "
          + "4-byte extranonce2; mining.authorize: result true";
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

  @ParameterizedTest
  @EnumSource(SimulatedPools.Dialect.class)
  void poolsInClearAreConfirmed(SimulatedPools.Dialect dialect) throws Exception {
    try (LineServer pool = LineServer.start(null, SimulatedPools.responder(dialect))) {
      ProbeResult r = ProbeFixtures.loopbackProber().probe(ProbeFixtures.loopback(pool.port()));
      assertThat(r.pool()).isTrue();
      assertThat(r.confirmation())
          .isEqualTo(new Confirmation(protocolOf(dialect), Wire.CLEAR, answerOf(dialect), null));
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
                  + answerOf(dialect)
                  + ")");
    }
  }

  @ParameterizedTest
  @EnumSource(SimulatedPools.Dialect.class)
  void poolsOverTlsAreConfirmedWithTheirCertificate(SimulatedPools.Dialect dialect)
      throws Exception {
    try (LineServer pool =
        LineServer.start(ProbeFixtures.tls(dir), SimulatedPools.responder(dialect))) {
      ProbeResult r = ProbeFixtures.loopbackProber().probe(ProbeFixtures.loopback(pool.port()));
      String sha = ProbeFixtures.sha256OfCertificate(dir);
      assertThat(r.confirmation())
          .isEqualTo(new Confirmation(protocolOf(dialect), Wire.TLS, answerOf(dialect), sha));
      assertThat(r.attempts()).hasSize(dialect.ordinal() + 1);
      assertThat(r.sentence())
          .endsWith(
              "("
                  + protocolOf(dialect).label()
                  + ", TLS, answered: "
                  + answerOf(dialect)
                  + "; certificate SHA-256 "
                  + sha
                  + ")");
    }
  }

  @Test
  void theProbeSpeaksAsItsDocumentedSelf() throws Exception {
    try (LineServer pool =
        LineServer.start(null, SimulatedPools.responder(SimulatedPools.Dialect.ETH_PROXY))) {
      ProbeFixtures.loopbackProber().probe(ProbeFixtures.loopback(pool.port()));
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
