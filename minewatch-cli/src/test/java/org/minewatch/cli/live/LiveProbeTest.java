package org.minewatch.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.minewatch.evidence.Evidence;
import org.minewatch.evidence.EvidenceAggregator;
import org.minewatch.evidence.Finding;
import org.minewatch.model.Algorithm;
import org.minewatch.model.Coin;
import org.minewatch.model.Endpoint;
import org.minewatch.model.IpAddress;
import org.minewatch.model.Protocol;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;
import org.minewatch.probe.AllowList;
import org.minewatch.probe.ProbeMemory;
import org.minewatch.probe.ProbeRateLimit;
import org.minewatch.probe.Prober;
import org.minewatch.testkit.MutableClock;
import org.minewatch.testkit.pools.LineServer;
import org.minewatch.testkit.pools.SimulatedPools;

/**
 * The probe beside a live source: suspects probed in the background, confirmations applied once
 * known.
 */
class LiveProbeTest {
  private static Finding likelyMiner(Endpoint pool) {
    return new Finding(
        IpAddress.parse("10.9.0.5"),
        Role.MINER,
        Verdict.LIKELY,
        null,
        Protocol.MINING_BEHAVIOUR,
        List.of(pool),
        0,
        null,
        null,
        null,
        Instant.EPOCH,
        Instant.EPOCH,
        1,
        1000,
        List.of("shaped like a mining session"),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        Map.of(),
        "packets");
  }

  /**
   * Runs nothing until told: the test runs the queued probes by hand. Accepts at most {@code
   * capacity}.
   */
  private static final class ByHand extends AbstractExecutorService {
    final List<Runnable> waiting = new ArrayList<>();
    final int capacity;
    boolean shutdown;

    ByHand(int capacity) {
      this.capacity = capacity;
    }

    void runAll() {
      List<Runnable> now = new ArrayList<>(waiting);
      waiting.clear();
      now.forEach(Runnable::run);
    }

    @Override
    public void execute(Runnable command) {
      if (shutdown || waiting.size() >= capacity) {
        throw new RejectedExecutionException("full");
      }
      waiting.add(command);
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return List.copyOf(waiting);
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }

  // The simulated eth-proxy pool's work is Ethereum Classic's of March 2024 (its seed hash).
  private final MutableClock clock = new MutableClock(Instant.parse("2024-03-13T08:00:00Z"));

  private Prober loopbackProber() {
    return new Prober(
        AllowList.parse(List.of("127.0.0.1/32")),
        new ProbeRateLimit(Duration.ZERO),
        ProbeMemory.inMemory(Duration.ofHours(1)),
        clock,
        Duration.ofSeconds(2),
        Duration.ofSeconds(1));
  }

  @Test
  void aLikelyMinerBecomesMiningOnceItsPoolIsConfirmed() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByHand worker = new ByHand(LiveProbe.MAX_WAITING);
    try (LineServer pool =
        LineServer.start(null, SimulatedPools.responder(SimulatedPools.Dialect.ETH_PROXY))) {
      Endpoint endpoint = new Endpoint(IpAddress.parse("127.0.0.1"), pool.port());
      try (LiveProbe live =
          new LiveProbe(
              loopbackProber(), new PrintStream(err, true, StandardCharsets.UTF_8), worker)) {
        List<Finding> findings = List.of(likelyMiner(endpoint));
        // The first call only queues the probe: the source never waits for it.
        assertThat(live.apply(findings))
            .singleElement()
            .extracting(Finding::verdict)
            .isEqualTo(Verdict.LIKELY);
        assertThat(live.apply(findings))
            .singleElement()
            .extracting(Finding::verdict)
            .isEqualTo(Verdict.LIKELY);
        assertThat(worker.waiting).hasSize(1); // queued once while it waits
        assertThat(pool.connections()).isZero();
        worker.runAll();
        int connections = pool.connections();
        assertThat(connections).isEqualTo(4); // TLS, then v1, XMRig and eth-proxy in clear
        Finding f = live.apply(findings).get(0);
        assertThat(f.verdict()).isEqualTo(Verdict.MINING);
        assertThat(f.protocol()).isEqualTo(Protocol.ETH_PROXY);
        assertThat(f.evidence())
            .hasSize(2)
            .last()
            .asString()
            .startsWith("pool " + endpoint + " confirmed by probe at ")
            .endsWith(
                "(eth-proxy, clear, answered: eth_submitLogin: result true; eth_getWork: work package (header "
                    + "hash, seed hash and share boundary); its work for the probe: the job's seed "
                    + "hash is Ethash epoch 648's (Keccak-256 applied 648 times to 32 zero bytes): "
                    + "the pool works on the epoch from block 19,440,000; on 2024-03-13 the chains "
                    + "on record stood at: ethereum-classic about 19,494,000; ethereum has been "
                    + "mined by no one since 2022-09-15 (proof of stake): coin ethereum-classic)");
        assertThat(f.coin()).isEqualTo(Coin.ETHEREUM_CLASSIC);
        assertThat(f.algorithm()).isEqualTo(Algorithm.ETHASH);
        // Within the hour it is not queued again; past it, it is, and probed again.
        clock.advance(Duration.ofMinutes(59));
        live.apply(findings);
        assertThat(worker.waiting).isEmpty();
        clock.advance(Duration.ofMinutes(2));
        live.apply(findings);
        assertThat(worker.waiting).hasSize(1);
        worker.runAll();
        assertThat(pool.connections()).isEqualTo(2 * connections);
      }
      assertThat(worker.isShutdown()).isTrue();
      assertThat(err.toString(StandardCharsets.UTF_8))
          .contains("minewatch: probe: " + endpoint + " pool ");
    }
  }

  @Test
  void whatTheQueueCannotHoldIsNamedAndQueuedWhenSeenAgain() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByHand worker = new ByHand(1);
    try (LiveProbe live =
        new LiveProbe(
            loopbackProber(), new PrintStream(err, true, StandardCharsets.UTF_8), worker)) {
      Endpoint a = new Endpoint(IpAddress.parse("127.0.0.1"), 3333);
      Endpoint b = new Endpoint(IpAddress.parse("127.0.0.1"), 4444);
      live.apply(List.of(likelyMiner(a), likelyMiner(b)));
      assertThat(worker.waiting).hasSize(1);
      assertThat(err.toString(StandardCharsets.UTF_8))
          .isEqualTo(
              "minewatch: probe: 256 probes are waiting already: "
                  + b
                  + " not queued (it will be when seen again)\n");
      worker.waiting.clear(); // as if a's probe had been taken off the queue
      live.apply(List.of(likelyMiner(b)));
      assertThat(worker.waiting).hasSize(1);
    }
  }

  @Test
  void suspectsOutsideTheAllowListAreNamedAndLeftAlone() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Prober prober =
        new Prober(
            AllowList.parse(List.of("10.0.0.0/8")),
            new ProbeRateLimit(Duration.ZERO),
            ProbeMemory.inMemory(Duration.ofHours(1)),
            Clock.systemUTC(),
            Duration.ofSeconds(2),
            Duration.ofSeconds(1));
    try (LiveProbe live =
        new LiveProbe(prober, new PrintStream(err, true, StandardCharsets.UTF_8))) {
      Endpoint outside = new Endpoint(IpAddress.parse("192.0.2.9"), 443);
      assertThat(live.apply(List.of(likelyMiner(outside))).get(0).verdict())
          .isEqualTo(Verdict.LIKELY);
    }
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "minewatch: probe: not probed, outside --probe-allow (10.0.0.0/8): 192.0.2.9:443\n");
  }

  private static Evidence lead(long flowId, Endpoint client, Endpoint server) {
    return new Evidence(
        null,
        Protocol.MINING_BEHAVIOUR,
        null,
        client,
        server,
        Role.MINER,
        Role.POOL,
        flowId,
        1_740_816_000_000_000_000L,
        null,
        null,
        null,
        "flow " + flowId + ": opens like a mining session, too little to judge");
  }

  @Test
  void aLeadWhosePoolAnswersBecomesMiningAndALeadToNoPoolIsForgotten() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByHand worker = new ByHand(LiveProbe.MAX_WAITING);
    EvidenceAggregator aggregator = new EvidenceAggregator();
    Endpoint client = new Endpoint(IpAddress.parse("10.9.0.5"), 40000);
    try (LineServer pool =
            LineServer.start(null, SimulatedPools.responder(SimulatedPools.Dialect.XMRIG));
        ServerSocket closed = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Endpoint toPool = new Endpoint(IpAddress.parse("127.0.0.1"), pool.port());
      Endpoint toNothing = new Endpoint(IpAddress.parse("127.0.0.1"), closed.getLocalPort());
      closed.close();
      aggregator.accept(lead(1, client, toPool));
      aggregator.flowEnded(1, 1_740_816_000_000_000_000L, 1_740_816_060_000_000_000L, 4709);
      aggregator.accept(lead(2, client, toNothing));
      try (LiveProbe live =
          new LiveProbe(
              loopbackProber(), new PrintStream(err, true, StandardCharsets.UTF_8), worker)) {
        live.takeLeads(aggregator);
        assertThat(worker.waiting).hasSize(2);
        assertThat(aggregator.findings()).as("a lead is no finding").isEmpty();
        live.takeLeads(aggregator);
        assertThat(worker.waiting).as("queued once while it waits").hasSize(2);
        worker.runAll();
        live.takeLeads(aggregator);
        assertThat(aggregator.leadServers()).as("both settled").isEmpty();
        Finding miner = aggregator.findings().get(0);
        assertThat(aggregator.findings()).hasSize(2); // the miner, and the pool
        assertThat(miner.role()).isEqualTo(Role.MINER);
        assertThat(miner.verdict()).isEqualTo(Verdict.MINING);
        assertThat(miner.protocol()).isEqualTo(Protocol.STRATUM_XMR);
        assertThat(miner.peers()).containsExactly(toPool);
        assertThat(miner.flows()).isEqualTo(1);
        assertThat(miner.bytes()).isEqualTo(4709);
        assertThat(miner.evidence())
            .singleElement()
            .asString()
            .startsWith("flow 1: opens like a mining session, too little to judge; pool " + toPool)
            .contains(" confirmed by probe at ");
      }
    }
  }

  /** A live session that probes takes the aggregator's leads before each list of findings. */
  @Test
  void aLiveSessionPrintsALeadAsMiningOnceItsPoolIsConfirmed() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByHand worker = new ByHand(LiveProbe.MAX_WAITING);
    EvidenceAggregator aggregator = new EvidenceAggregator();
    java.io.StringWriter printed = new java.io.StringWriter();
    PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
    LiveSession session =
        new LiveSession(
            new org.minewatch.intel.Intel(
                org.minewatch.intel.PoolCatalogue.defaults(),
                new org.minewatch.intel.AddressNames()),
            aggregator,
            org.minewatch.estimate.PowerModel.defaults(),
            true,
            printed,
            errors,
            () -> "0 packets",
            0,
            0);
    try (LineServer pool =
            LineServer.start(null, SimulatedPools.responder(SimulatedPools.Dialect.XMRIG));
        LiveProbe live = new LiveProbe(loopbackProber(), errors, worker)) {
      Endpoint toPool = new Endpoint(IpAddress.parse("127.0.0.1"), pool.port());
      aggregator.accept(lead(1, new Endpoint(IpAddress.parse("10.9.0.5"), 40000), toPool));
      session.probeWith(live);
      Thread.sleep(1100); // findings are printed at most once a second
      session.tick();
      assertThat(worker.waiting).hasSize(1);
      assertThat(printed.toString()).isEmpty();
      worker.runAll();
      Thread.sleep(1100);
      session.tick();
      assertThat(printed.toString().lines().toList())
          .hasSize(2)
          .first()
          .asString()
          .contains("\"host\":\"10.9.0.5\"", "\"verdict\":\"mining\"", "confirmed by probe at");
    }
  }

  @Test
  void leadsOutsideTheAllowListAreForgottenAndAFullQueueIsSaidOnce() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByHand worker = new ByHand(1);
    EvidenceAggregator aggregator = new EvidenceAggregator();
    Endpoint client = new Endpoint(IpAddress.parse("10.9.0.5"), 40000);
    Endpoint outside = new Endpoint(IpAddress.parse("192.0.2.9"), 443);
    Endpoint a = new Endpoint(IpAddress.parse("127.0.0.1"), 3333);
    Endpoint b = new Endpoint(IpAddress.parse("127.0.0.1"), 4444);
    aggregator.accept(lead(1, client, outside));
    aggregator.accept(lead(2, client, a));
    aggregator.accept(lead(3, client, b));
    try (LiveProbe live =
        new LiveProbe(
            loopbackProber(), new PrintStream(err, true, StandardCharsets.UTF_8), worker)) {
      live.takeLeads(aggregator);
      live.takeLeads(aggregator);
      assertThat(aggregator.leadServers()).containsExactly(a, b);
      assertThat(worker.waiting).hasSize(1);
      assertThat(err.toString(StandardCharsets.UTF_8).lines().toList())
          .containsExactly(
              "minewatch: probe: not probed, outside --probe-allow (127.0.0.1/32): 192.0.2.9:443",
              "minewatch: probe: 256 probes are waiting already: leads wait until there is room");
      worker.waiting.clear(); // as if a's probe had been taken off the queue
      live.takeLeads(aggregator);
      assertThat(worker.waiting).hasSize(1); // b's, now that there is room
    }
  }
}
