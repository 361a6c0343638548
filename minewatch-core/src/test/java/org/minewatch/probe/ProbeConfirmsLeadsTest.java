package org.minewatch.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.minewatch.evidence.Finding;
import org.minewatch.model.Algorithm;
import org.minewatch.model.Coin;
import org.minewatch.model.Endpoint;
import org.minewatch.model.Protocol;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;
import org.minewatch.scan.ScanReporter;
import org.minewatch.scan.Scanner;
import org.minewatch.testkit.PcapSlice;
import org.minewatch.testkit.pools.XmrigPool;

/**
 * A real XMRig's first minute over TLS (recorded in data/real-xmrig) says too little for a verdict
 * on its own; a scan that probes makes it a lead, asks its server, and when a pool answers there
 * the miner is {@code mining}. The pool answering is the project's XMRig pool, started again on the
 * recorded address and port with the recorded TLS version; the probe is the real one.
 */
class ProbeConfirmsLeadsTest {
  private static final Path RECORDED =
      Path.of("").toAbsolutePath().getParent().resolve("data/real-xmrig/mining");

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "xmrig_rx0_tls12_10443_190s_s5n13.pcap, false, 10443, TLSv1.2, 127.0.0.1",
    "xmrig_rx0_tls13_6_5555_183s_s5n09.pcap, true, 5555, TLSv1.3, ::1"
  })
  void aLeadWhosePoolAnswersMakesItsMinerMining(
      String capture, boolean ipv6, int port, String tlsVersion, String client) throws Exception {
    Path recorded = RECORDED.resolve(capture);
    assumeTrue(Files.isRegularFile(recorded), recorded + " is absent; skipped");
    Path firstMinute = dir.resolve("60s-" + capture);
    PcapSlice.slice(recorded, firstMinute, 0, 60);
    assertThat(miners(new Scanner(ScanReporter.SILENT).scan(List.of(firstMinute)).findings()))
        .as("without probing, the first minute gives no finding")
        .isEmpty();

    SSLContext tls = ProbeFixtures.tls(dir);
    XmrigPool pool;
    try {
      pool =
          XmrigPool.start(
              new XmrigPool.Config(ipv6, port, tls, tlsVersion, 100, 30, 1, 1),
              dir.resolve("pool.jsonl"));
    } catch (IOException e) {
      assumeTrue(false, "port " + port + " is taken here, the recorded pool cannot return: " + e);
      return;
    }
    Prober prober =
        new Prober(
            AllowList.parse(List.of("127.0.0.0/8", "::1/128")),
            new ProbeRateLimit(Duration.ZERO),
            ProbeMemory.inMemory(ProbeMemory.DEFAULT_INTERVAL),
            Clock.systemUTC(),
            ProbeFixtures.CONNECT,
            ProbeFixtures.REPLY);
    List<Endpoint> asked = new ArrayList<>();
    List<Finding> findings;
    try (pool) {
      findings =
          new Scanner(ScanReporter.SILENT)
              .probing(
                  candidates -> {
                    asked.addAll(candidates);
                    for (Endpoint e : candidates) {
                      try {
                        prober.probe(e);
                      } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                      }
                    }
                    return prober.memory().pools();
                  })
              .scan(List.of(firstMinute))
              .findings();
    }
    Endpoint server = asked.get(0);
    assertThat(asked).hasSize(1);
    assertThat(server.port()).isEqualTo(port);
    List<Finding> miners = miners(findings);
    assertThat(miners).hasSize(1);
    Finding miner = miners.get(0);
    assertThat(miner.host().toString()).isEqualTo(client);
    assertThat(miner.verdict()).isEqualTo(Verdict.MINING);
    assertThat(miner.protocol()).isEqualTo(Protocol.STRATUM_XMR);
    assertThat(miner.peers()).containsExactly(server);
    assertThat(miner.evidence())
        .singleElement()
        .asString()
        .contains("opens like a mining session", "too little to judge")
        .contains("pool " + server + " confirmed by probe at ", "stratum-xmr, TLS")
        .contains("its work for the probe: coin monero, algorithm randomx");
    // The miner's own traffic is encrypted: its coin and algorithm are those of the pool's job.
    assertThat(miner.coin()).isEqualTo(Coin.MONERO);
    assertThat(miner.algorithm()).isEqualTo(Algorithm.RANDOMX);
    assertThat(miner.flows()).isEqualTo(1);
    assertThat(prober.memory().pools()).containsOnlyKeys(server);

    // The whole session: its connection is a lead at 30 or 60 s and likely later. Confirmed, it
    // is mining, and still one connection with the bytes a scan without probing counts.
    Finding passive =
        miners(new Scanner(ScanReporter.SILENT).scan(List.of(recorded)).findings()).get(0);
    assertThat(passive.verdict()).isEqualTo(Verdict.LIKELY);
    Finding confirmed =
        miners(
                new Scanner(ScanReporter.SILENT)
                    .probing(candidates -> prober.memory().pools())
                    .scan(List.of(recorded))
                    .findings())
            .get(0);
    assertThat(confirmed.verdict()).isEqualTo(Verdict.MINING);
    assertThat(confirmed.flows()).isEqualTo(1);
    assertThat(confirmed.bytes()).isEqualTo(passive.bytes());
    assertThat(confirmed.firstSeen()).isEqualTo(passive.firstSeen());
    assertThat(confirmed.lastSeen()).isEqualTo(passive.lastSeen());
  }

  private static List<Finding> miners(List<Finding> findings) {
    return findings.stream().filter(f -> f.role() == Role.MINER).toList();
  }
}
