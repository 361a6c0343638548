package org.minewatch.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.minewatch.evidence.Finding;
import org.minewatch.model.Endpoint;
import org.minewatch.model.IpAddress;
import org.minewatch.model.Protocol;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;
import org.minewatch.probe.AllowList;
import org.minewatch.probe.ProbeMemory;
import org.minewatch.probe.ProbeRateLimit;
import org.minewatch.probe.Prober;
import org.minewatch.testkit.pools.LineServer;
import org.minewatch.testkit.pools.SimulatedPools;

/** The probe beside a live source: suspects probed in the background, confirmations applied once known. */
class LiveProbeTest {
  private static Finding likelyMiner(Endpoint pool) {
    return new Finding(IpAddress.parse("10.9.0.5"), Role.MINER, Verdict.LIKELY, null, Protocol.MINING_BEHAVIOUR,
        List.of(pool), 0, null, null, null, Instant.EPOCH, Instant.EPOCH, 1, 1000,
        List.of("shaped like a mining session"), null, null, null, null, null, null, null, null, Map.of(), "packets");
  }

  @Test
  void aLikelyMinerBecomesMiningOnceItsPoolIsConfirmed() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (LineServer pool = LineServer.start(null, SimulatedPools.responder(SimulatedPools.Dialect.ETH_PROXY))) {
      Endpoint endpoint = new Endpoint(IpAddress.parse("127.0.0.1"), pool.port());
      Prober prober = new Prober(AllowList.parse(List.of("127.0.0.1/32")), new ProbeRateLimit(Duration.ZERO),
          ProbeMemory.inMemory(Duration.ofHours(1)), Clock.systemUTC(), Duration.ofSeconds(2), Duration.ofSeconds(1));
      try (LiveProbe live = new LiveProbe(prober, new PrintStream(err, true, StandardCharsets.UTF_8))) {
        List<Finding> findings = List.of(likelyMiner(endpoint));
        // The first call only queues the probe: the source never waits for it.
        assertThat(live.apply(findings)).singleElement().extracting(Finding::verdict).isEqualTo(Verdict.LIKELY);
        long deadline = System.nanoTime() + 20_000_000_000L;
        Finding f;
        do {
          Thread.sleep(50);
          f = live.apply(findings).get(0);
        } while (f.verdict() != Verdict.MINING && System.nanoTime() < deadline);
        assertThat(f.verdict()).isEqualTo(Verdict.MINING);
        assertThat(f.protocol()).isEqualTo(Protocol.ETH_PROXY);
        assertThat(f.evidence()).hasSize(2).last().asString().startsWith("pool " + endpoint + " confirmed by probe at ")
            .endsWith("(eth-proxy, clear, answered: eth_submitLogin: result true; eth_getWork: work package (header "
                + "hash, seed hash and share boundary))");
        int connections = pool.connections();
        live.apply(findings);
        Thread.sleep(200);
        assertThat(pool.connections()).isEqualTo(connections); // queued once, never again
      }
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("minewatch: probe: " + endpoint + " pool ");
    }
  }

  @Test
  void suspectsOutsideTheAllowListAreNamedAndLeftAlone() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Prober prober = new Prober(AllowList.parse(List.of("10.0.0.0/8")), new ProbeRateLimit(Duration.ZERO),
        ProbeMemory.inMemory(Duration.ofHours(1)), Clock.systemUTC(), Duration.ofSeconds(2), Duration.ofSeconds(1));
    try (LiveProbe live = new LiveProbe(prober, new PrintStream(err, true, StandardCharsets.UTF_8))) {
      Endpoint outside = new Endpoint(IpAddress.parse("192.0.2.9"), 443);
      assertThat(live.apply(List.of(likelyMiner(outside))).get(0).verdict()).isEqualTo(Verdict.LIKELY);
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
        "minewatch: probe: not probed, outside --probe-allow (10.0.0.0/8): 192.0.2.9:443\n");
  }
}
