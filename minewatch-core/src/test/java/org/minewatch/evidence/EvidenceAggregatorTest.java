package org.minewatch.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.minewatch.model.Algorithm;
import org.minewatch.model.Coin;
import org.minewatch.model.Endpoint;
import org.minewatch.model.IpAddress;
import org.minewatch.model.Protocol;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;

class EvidenceAggregatorTest {
  private static Evidence evidence(Verdict v, String server, long flow) {
    return new Evidence(
        v,
        v == Verdict.MINING ? Protocol.STRATUM_V1 : null,
        null,
        new Endpoint(IpAddress.parse("10.0.0.1"), 40000),
        new Endpoint(IpAddress.parse(server), 3333),
        Role.MINER,
        Role.POOL,
        flow,
        flow * 1_000_000_000L,
        null,
        null,
        null,
        "seen " + flow);
  }

  @Test
  void theStrongestVerdictWinsWhateverTheOrder() {
    EvidenceAggregator a = new EvidenceAggregator();
    a.accept(evidence(Verdict.SUSPECT, "203.0.113.1", 1));
    a.accept(evidence(Verdict.MINING, "203.0.113.1", 2));
    a.accept(evidence(Verdict.SUSPECT, "203.0.113.1", 3));
    Finding miner =
        a.findings().stream().filter(f -> f.role() == Role.MINER).findFirst().orElseThrow();
    assertThat(miner.verdict()).isEqualTo(Verdict.MINING);
    assertThat(miner.protocol()).isEqualTo(Protocol.STRATUM_V1);
    assertThat(miner.evidence()).containsExactly("seen 1", "seen 2", "seen 3");
  }

  @Test
  void peersAreSortedByAddressAndCutAtTheLimitWithACount() {
    EvidenceAggregator a = new EvidenceAggregator();
    int n = EvidenceAggregator.MAX_PEERS + 5;
    for (int i = 0; i < n; i++) {
      a.accept(evidence(Verdict.MINING, "198.51." + (100 + i / 250) + "." + (i % 250), i));
    }
    a.flowEnded(7, 5_000_000_000L, 9_000_000_000L, 1234);
    Finding miner =
        a.findings().stream().filter(f -> f.role() == Role.MINER).findFirst().orElseThrow();
    assertThat(miner.peers()).hasSize(EvidenceAggregator.MAX_PEERS);
    assertThat(miner.morePeers()).isEqualTo(5);
    assertThat(miner.peers().get(0).toString()).isEqualTo("198.51.100.0:3333");
    assertThat(miner.peers()).isSorted();
    assertThat(miner.flows()).isEqualTo(1);
    assertThat(miner.bytes()).isEqualTo(1234);
    assertThat(miner.evidence()).hasSize(EvidenceAggregator.MAX_SENTENCES + 1);
    assertThat(miner.evidence())
        .last()
        .isEqualTo((n - EvidenceAggregator.MAX_SENTENCES) + " more observations not listed");
    assertThat(a.findings().stream().filter(f -> f.role() == Role.POOL).map(Finding::host).toList())
        .hasSize(n)
        .isEqualTo(
            a.findings().stream()
                .filter(f -> f.role() == Role.POOL)
                .map(Finding::host)
                .sorted()
                .toList());
    assertThat(List.of(miner.firstSeen().getEpochSecond(), miner.lastSeen().getEpochSecond()))
        .containsExactly(0L, (long) (n - 1));
  }

  private static Evidence toPool(String pool) {
    return new Evidence(
        Verdict.SUSPECT,
        null,
        null,
        new Endpoint(IpAddress.parse("10.0.0.2"), 40000),
        new Endpoint(IpAddress.parse("203.0.113.9"), 443),
        Role.MINER,
        Role.POOL,
        1,
        1_000_000_000L,
        null,
        null,
        null,
        "connected to " + pool,
        null,
        null,
        Double.NaN,
        pool,
        null,
        null);
  }

  @Test
  void aPoolOfOneCoinNamesItsMinersCoinAndTheCoinItsAlgorithm() {
    EvidenceAggregator catalogued =
        new EvidenceAggregator(org.minewatch.intel.PoolCatalogue.defaults());
    catalogued.accept(toPool("SupportXMR"));
    Finding xmr =
        catalogued.findings().stream()
            .filter(f -> f.role() == Role.MINER)
            .findFirst()
            .orElseThrow();
    assertThat(xmr.coin()).isEqualTo(org.minewatch.model.Coin.MONERO);
    // Monero changed its algorithm in 2019: the coin alone does not say which.
    assertThat(xmr.algorithm()).isNull();
    assertThat(xmr.evidence())
        .containsExactly(
            "connected to SupportXMR",
            "pool SupportXMR mines monero only (pool catalogue): coin monero");

    EvidenceAggregator bitcoinOnly =
        new EvidenceAggregator(
            name -> null,
            pool ->
                pool.equals("Solo BTC")
                    ? java.util.Set.of(org.minewatch.model.Coin.BITCOIN)
                    : java.util.Set.of());
    bitcoinOnly.accept(toPool("Solo BTC"));
    Finding btc =
        bitcoinOnly.findings().stream()
            .filter(f -> f.role() == Role.MINER)
            .findFirst()
            .orElseThrow();
    assertThat(btc.coin()).isEqualTo(org.minewatch.model.Coin.BITCOIN);
    assertThat(btc.algorithm()).isEqualTo(org.minewatch.model.Algorithm.SHA256D);
    assertThat(btc.evidence())
        .containsExactly(
            "connected to Solo BTC",
            "pool Solo BTC mines bitcoin only (pool catalogue): coin bitcoin",
            "algorithm sha256d follows from the coin bitcoin");

    // A pool of several coins says nothing of the coin.
    EvidenceAggregator several =
        new EvidenceAggregator(org.minewatch.intel.PoolCatalogue.defaults());
    several.accept(toPool("F2Pool"));
    assertThat(several.findings().get(0).coin()).isNull();
  }

  private static final long S = 1_000_000_000L;

  /** Flow {@code flow} from {@code source}: evidence, then its end over [from, to] s. */
  private static void flow(
      EvidenceAggregator a,
      String source,
      long flow,
      int clientPort,
      long from,
      long to,
      long bytes) {
    a.source(source);
    a.accept(
        new Evidence(
            Verdict.SUSPECT,
            null,
            null,
            new Endpoint(IpAddress.parse("10.0.0.1"), clientPort),
            new Endpoint(IpAddress.parse("203.0.113.1"), 3333),
            Role.MINER,
            Role.POOL,
            flow,
            from * S,
            null,
            null,
            null,
            source + " " + flow));
    a.flowEnded(flow, from * S, to * S, bytes);
  }

  private static Finding miner(EvidenceAggregator a) {
    return a.findings().stream().filter(f -> f.role() == Role.MINER).findFirst().orElseThrow();
  }

  @Test
  void aConnectionSeenByPacketsAndInFlowRecordsCountsOnce() {
    EvidenceAggregator a = new EvidenceAggregator();
    flow(a, "packets", 1, 40000, 100, 280, 41_000);
    flow(a, "nfdump", 1L << 62, 40000, 101, 281, 38_000); // the same connection, exported
    Finding m = miner(a);
    assertThat(m.flows()).isEqualTo(1);
    assertThat(m.bytes()).isEqualTo(41_000);
    assertThat(m.source()).isEqualTo("nfdump,packets");
    assertThat(List.of(m.firstSeen().getEpochSecond(), m.lastSeen().getEpochSecond()))
        .containsExactly(100L, 281L);
  }

  @Test
  void otherConnectionsCountEachTime() {
    EvidenceAggregator a = new EvidenceAggregator();
    flow(a, "packets", 1, 40000, 100, 280, 1_000);
    flow(a, "nfdump", 1L << 62, 40001, 100, 280, 2_000); // another client port
    flow(a, "nfdump", (1L << 62) + 1, 40000, 341, 342, 4_000); // 61 s after the packets' last
    flow(a, "packets", 2, 40002, 100, 280, 8_000);
    flow(a, "packets", 3, 40002, 100, 280, 16_000); // one input's two flows are two
    Finding m = miner(a);
    assertThat(m.flows()).isEqualTo(5);
    assertThat(m.bytes()).isEqualTo(31_000);
  }

  private static Evidence onFlow9(Verdict v, String text) {
    return new Evidence(
        v,
        null,
        null,
        new Endpoint(IpAddress.parse("10.0.0.1"), 40000),
        new Endpoint(IpAddress.parse("203.0.113.1"), 443),
        Role.MINER,
        Role.POOL,
        9,
        100 * S,
        null,
        null,
        null,
        text);
  }

  /** A flow with evidence of its own before its lead: confirmed, it is still one flow. */
  @Test
  void aConfirmedLeadOnAFlowWithEvidenceCountsItOnce() {
    EvidenceAggregator a = new EvidenceAggregator();
    a.accept(onFlow9(Verdict.SUSPECT, "a known pool's name"));
    a.accept(onFlow9(null, "opens like a mining session"));
    a.flowEnded(9, 100 * S, 400 * S, 5_000);
    assertThat(a.leadServers()).hasSize(1);
    a.confirmLeads(
        a.leadServers().get(0),
        Protocol.STRATUM_XMR,
        Coin.MONERO,
        Algorithm.RANDOMX,
        "pool confirmed by probe");
    Finding m = miner(a);
    assertThat(m.verdict()).isEqualTo(Verdict.MINING);
    // The lead said no coin: the pool's work for the probe did.
    assertThat(m.coin()).isEqualTo(Coin.MONERO);
    assertThat(m.algorithm()).isEqualTo(Algorithm.RANDOMX);
    assertThat(m.flows()).isEqualTo(1);
    assertThat(m.bytes()).isEqualTo(5_000);
    assertThat(a.leadServers()).isEmpty();
  }

  /** A lead whose flow then gives evidence of its own is settled: no lead is left to confirm. */
  @Test
  void aLeadWhoseFlowIsFlaggedLaterIsSettled() {
    EvidenceAggregator a = new EvidenceAggregator();
    a.accept(onFlow9(null, "opens like a mining session"));
    assertThat(a.findings()).isEmpty();
    a.accept(onFlow9(Verdict.LIKELY, "shaped like a mining session"));
    a.flowEnded(9, 100 * S, 400 * S, 5_000);
    assertThat(a.leadServers()).isEmpty();
    assertThat(miner(a).flows()).isEqualTo(1);
    assertThat(miner(a).evidence()).containsExactly("shaped like a mining session");
  }

  @Test
  void inputsReadInEitherOrderCountAConnectionAlike() {
    EvidenceAggregator packetsFirst = new EvidenceAggregator();
    flow(packetsFirst, "packets", 1, 40000, 100, 280, 41_000);
    flow(packetsFirst, "nfdump", 1L << 62, 40000, 100, 160, 15_000); // three records of it
    flow(packetsFirst, "nfdump", (1L << 62) + 1, 40000, 160, 220, 12_000);
    flow(packetsFirst, "nfdump", (1L << 62) + 2, 40000, 220, 281, 13_000);
    EvidenceAggregator recordsFirst = new EvidenceAggregator();
    flow(recordsFirst, "nfdump", 1L << 62, 40000, 100, 160, 15_000);
    flow(recordsFirst, "nfdump", (1L << 62) + 1, 40000, 160, 220, 12_000);
    flow(recordsFirst, "nfdump", (1L << 62) + 2, 40000, 220, 281, 13_000);
    flow(recordsFirst, "packets", 1, 40000, 100, 280, 41_000);
    for (EvidenceAggregator a : List.of(packetsFirst, recordsFirst)) {
      Finding m = miner(a);
      assertThat(m.flows()).as("the records, one a flow, as without packets").isEqualTo(3);
      assertThat(m.bytes()).as("the larger of 41,000 and 40,000").isEqualTo(41_000);
    }
  }
}
