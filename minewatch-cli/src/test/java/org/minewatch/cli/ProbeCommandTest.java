package org.minewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.testkit.BehaviourTraffic;
import org.minewatch.testkit.Openssl;
import org.minewatch.testkit.PcapWriter;
import org.minewatch.testkit.TrafficBuilder;
import org.minewatch.testkit.pools.LineServer;
import org.minewatch.testkit.pools.PemTls;
import org.minewatch.testkit.pools.SimulatedPools;

/**
 * {@code minewatch probe} and {@code scan --probe} end to end, against a simulated pool on
 * loopback.
 */
class ProbeCommandTest extends ConsoleTest {
  @TempDir Path dir;

  /**
   * A capture of a TLS connection shaped like XMRig mining, from 10.9.0.5 to 127.0.0.1:{@code
   * port}.
   */
  private Path miningCapture(int port) throws Exception {
    Random r = new Random(9001);
    TrafficBuilder t = new TrafficBuilder(Instant.parse("2021-06-01T00:00:00Z"));
    BehaviourTraffic.LabelledFlow flow =
        BehaviourTraffic.generate("xmrig-tls", r, t.nowNanos() + 1_000_000_000L);
    BehaviourTraffic.render(flow, t, "10.9.0.5", 51000, "127.0.0.1", port, r);
    Path capture = dir.resolve("tls-miner.pcap");
    PcapWriter.write(
        capture,
        PcapWriter.pcap(t.frames(), PcapWriter.Link.ETHERNET, ByteOrder.LITTLE_ENDIAN, false));
    return capture;
  }

  private LineServer tlsPool() throws Exception {
    Assumptions.assumeTrue(
        Openssl.available(), "openssl is not installed (apt-get install openssl): skipped");
    Path certs = Files.createDirectories(dir.resolve("certs"));
    Openssl.selfSigned(certs);
    return LineServer.start(
        PemTls.serverContext(certs), SimulatedPools.responder(SimulatedPools.Dialect.XMRIG));
  }

  /** {@code scan -q -f FORMAT} of {@code capture} probing loopback, stdout captured afresh. */
  private int scanProbing(String format, Path state, Path capture) {
    out.reset();
    System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    List<String> args = new java.util.ArrayList<>(List.of("scan", "-q", "-f", format));
    args.addAll(probeOnLoopback(state));
    args.add(capture.toString());
    return MineWatch.run(args.toArray(String[]::new));
  }

  @Test
  void scanWithProbeTurnsALikelyMinerIntoMiningWithTheProbesSentence() throws Exception {
    try (LineServer pool = tlsPool()) {
      Path capture = miningCapture(pool.port());
      assertThat(MineWatch.run("scan", "-q", "-f", "csv", capture.toString())).isZero();
      assertThat(stdout()).contains("10.9.0.5,miner,likely,,mining-behaviour,");
      assertThat(pool.connections()).isZero(); // off by default
      Path state = dir.resolve("probe.tsv");
      assertThat(scanProbing("jsonl", state, capture)).isZero(); // a fresh stdout: scan closed it
      String miner =
          stdout()
              .lines()
              .filter(l -> l.contains("\"host\":\"10.9.0.5\""))
              .findFirst()
              .orElseThrow();
      assertThat(miner)
          .contains(
              "\"role\":\"miner\"",
              "\"verdict\":\"mining\"",
              "\"protocol\":\"stratum-xmr\"",
              "pool 127.0.0.1:" + pool.port() + " confirmed by probe at ",
              "(stratum-xmr, TLS, answered: login: login accepted with a job (target b88d0600, algorithm rx/0); "
                  + "its work for the probe: coin monero, algorithm randomx; certificate SHA-256 ",
              // The miner's traffic is encrypted: its coin is that of the pool's job to the probe.
              "\"coin\":\"monero\"",
              "\"algorithm\":\"randomx\"");
      String poolLine =
          stdout()
              .lines()
              .filter(l -> l.contains("\"host\":\"127.0.0.1\""))
              .findFirst()
              .orElseThrow();
      assertThat(poolLine).contains("\"role\":\"pool\"", "\"verdict\":\"mining\"");
      assertThat(stderr())
          .contains(
              "minewatch: probe: 127.0.0.1:"
                  + pool.port()
                  + " pool 127.0.0.1:"
                  + pool.port()
                  + " confirmed by probe at ");
      // Over TLS: Stratum v1 first (answered with an error), then XMRig's login, answered with a
      // job.
      assertThat(pool.connections()).isEqualTo(2);
      assertThat(Files.readString(state)).contains("127.0.0.1:" + pool.port() + "\t");

      // Within the hour the same endpoint is not connected to again, and its confirmation still
      // applies.
      assertThat(scanProbing("csv", state, capture)).isZero();
      assertThat(stdout()).contains("10.9.0.5,miner,mining,monero,stratum-xmr,");
      assertThat(pool.connections()).isEqualTo(2);
      assertThat(stderr()).contains(" (remembered)");
    }
  }

  @Test
  void probeRefusesToStartWithoutAnAllowList() throws Exception {
    Path capture = miningCapture(3333);
    assertThat(MineWatch.run("scan", "--probe", capture.toString())).isEqualTo(2);
    assertThat(stderr())
        .contains(
            "minewatch scan: probing needs at least one --probe-allow CIDR: nothing is probed "
                + "outside the networks you allow");
    assertThat(MineWatch.run("probe", "127.0.0.1:3333")).isEqualTo(2);
    // The limits have floors: probing never turns into a burst or into hammering one endpoint.
    assertThat(
            MineWatch.run(
                "scan",
                "--probe",
                "--probe-allow",
                "127.0.0.0/8",
                "--probe-spacing",
                "0",
                capture.toString()))
        .isEqualTo(2);
    assertThat(stderr())
        .contains("minewatch scan: --probe-spacing must be 0.1..3600 seconds, not 0.0");
    assertThat(
            MineWatch.run(
                "scan",
                "--probe",
                "--probe-allow",
                "127.0.0.0/8",
                "--probe-interval",
                "5",
                capture.toString()))
        .isEqualTo(2);
    assertThat(stderr())
        .contains(
            "minewatch scan: --probe-interval must be 60..2592000 seconds (1 minute to 30 "
                + "days), not 5");
    assertThat(
            MineWatch.run("scan", "--probe", "--probe-allow", "127.0.0.1/33", capture.toString()))
        .isEqualTo(2);
    assertThat(stderr())
        .contains(
            "minewatch scan: --probe-allow 127.0.0.1/33: the prefix length must be 0..32 for IPv4");
    assertThat(MineWatch.run("scan", "--probe-allow", "127.0.0.0/8", capture.toString()))
        .isEqualTo(2);
    assertThat(stderr()).contains("minewatch scan: --probe-allow has no effect without --probe");
    assertThat(MineWatch.run("watch", "-i", "lo", "--probe")).isEqualTo(2);
    assertThat(MineWatch.run("collect", "--probe")).isEqualTo(2);
    assertThat(stderr())
        .contains("minewatch watch: probing needs", "minewatch collect: probing needs");
  }

  @Test
  void wideBlocksNeedProbeAllowWideAndNeverOpenLoopback() throws Exception {
    try (LineServer pool =
        LineServer.start(null, SimulatedPools.responder(SimulatedPools.Dialect.STRATUM_V1))) {
      assertThat(MineWatch.run("probe", "--probe-allow", "0.0.0.0/0", "127.0.0.1:" + pool.port()))
          .isEqualTo(2);
      assertThat(stderr())
          .contains(
              "minewatch probe: --probe-allow 0.0.0.0/0: a /0 block is wider than /8, the widest "
                  + "allowed for IPv4; give --probe-allow-wide if you mean it");
      assertThat(
              MineWatch.run(
                  "probe",
                  "--probe-allow",
                  "0.0.0.0/0",
                  "--probe-allow-wide",
                  "--probe-state",
                  dir.resolve("probe.tsv").toString(),
                  "127.0.0.1:" + pool.port()))
          .isEqualTo(1);
      assertThat(stderr())
          .contains(
              "minewatch probe: 127.0.0.1:"
                  + pool.port()
                  + " is a loopback address "
                  + "(127.0.0.0/8), probed only when a --probe-allow block inside 127.0.0.0/8 admits it: not contacted");
      assertThat(stdout()).isEmpty();
      assertThat(pool.connections()).isZero();
    }
  }

  @Test
  void probeCommandSaysWhatEachEndpointIs() throws Exception {
    try (LineServer pool =
            LineServer.start(null, SimulatedPools.responder(SimulatedPools.Dialect.STRATUM_V1));
        LineServer other = LineServer.start(null, line -> null)) {
      Path state = dir.resolve("probe.tsv");
      assertThat(
              MineWatch.run(
                  "probe",
                  "--probe-allow",
                  "127.0.0.0/8",
                  "--probe-spacing",
                  "0.1",
                  "--probe-timeout",
                  "0.5",
                  "--probe-state",
                  state.toString(),
                  "127.0.0.1:" + pool.port(),
                  "localhost:" + other.port(),
                  "192.0.2.1:3333"))
          .isEqualTo(1);
      List<String> lines = stdout().lines().toList();
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0))
          .startsWith(
              "127.0.0.1:"
                  + pool.port()
                  + " pool 127.0.0.1:"
                  + pool.port()
                  + " confirmed by probe at ")
          .contains(
              "(stratum-v1, clear, answered: mining.subscribe: subscription granted "
                  + "with extranonce1 08000002 and a 4-byte extranonce2; mining.authorize: result true; "
                  + "pushed mining.set_difficulty; pushed mining.notify (Bitcoin-style job (coinbase "
                  + "parts and merkle branch)); its work for the probe: the job's previous block hash "
                  + "starts with 9 zero bytes (a SHA-256d chain's proof of work); its nbits 1703a30c "
                  + "are network difficulty 7.74e+13, within bitcoin's band for ")
          // The year is the probe's: the band is that year's, or the table's last one widened.
          .endsWith(": coin bitcoin, algorithm sha256d)");
      assertThat(lines.get(1))
          .startsWith("127.0.0.1:" + other.port() + " not a pool (probed at ")
          .endsWith(
              "stratum-v1 over TLS: TLS handshake failed (not completed within 0.5 s); stratum-v1 in clear: mining.subscribe: "
                  + "no answer within 0.5 s; stratum-xmr in clear: login: no answer within 0.5 s; eth-proxy in clear: "
                  + "eth_submitLogin: no answer within 0.5 s");
      assertThat(stderr())
          .contains(
              "minewatch probe: 192.0.2.1:3333 is outside the networks allowed to be probed "
                  + "(127.0.0.0/8): not contacted");
      assertThat(
              MineWatch.run(
                  "probe",
                  "--probe-allow",
                  "127.0.0.0/8",
                  "--probe-state",
                  state.toString(),
                  "127.0.0.1"))
          .isEqualTo(2);
      assertThat(stderr()).contains("minewatch probe: 127.0.0.1: expected HOST:PORT");
    }
  }

  /**
   * The first minute of a real XMRig session over TLS (data/real-xmrig) is too short to judge;
   * {@code scan --probe} asks its server as a lead, and the project's XMRig pool, started again on
   * the recorded port, answers the probe: the miner is mining.
   */
  @Test
  void scanWithProbeAsksALeadsServerAndMakesItsMinerMining() throws Exception {
    Path recorded =
        Path.of("")
            .toAbsolutePath()
            .getParent()
            .resolve("data/real-xmrig/mining/xmrig_rx0_tls12_8443_276s_s5n14.pcap");
    Assumptions.assumeTrue(Files.isRegularFile(recorded), recorded + " is absent; skipped");
    Assumptions.assumeTrue(
        Openssl.available(), "openssl is not installed (apt-get install openssl): skipped");
    Path slice = dir.resolve("first-minute.pcap");
    org.minewatch.testkit.PcapSlice.slice(recorded, slice, 0, 60);
    assertThat(MineWatch.run("scan", "-q", "-f", "csv", slice.toString())).isZero();
    assertThat(stdout()).doesNotContain(",miner,");
    Path certs = Files.createDirectories(dir.resolve("certs"));
    Openssl.selfSigned(certs);
    org.minewatch.testkit.pools.XmrigPool pool;
    try {
      pool =
          org.minewatch.testkit.pools.XmrigPool.start(
              new org.minewatch.testkit.pools.XmrigPool.Config(
                  false, 8443, PemTls.serverContext(certs), "TLSv1.2", 100, 30, 1, 1),
              dir.resolve("pool.jsonl"));
    } catch (java.io.IOException e) {
      Assumptions.assumeTrue(false, "port 8443 is taken here: " + e.getMessage() + "; skipped");
      return;
    }
    try (pool) {
      assertThat(scanProbing("csv", dir.resolve("probe.tsv"), slice)).isZero();
    }
    assertThat(stdout()).contains("127.0.0.1,miner,mining,monero,stratum-xmr,");
    assertThat(stderr())
        .contains("minewatch: probe: 127.0.0.1:8443 pool 127.0.0.1:8443 confirmed by probe at ");
  }
}
