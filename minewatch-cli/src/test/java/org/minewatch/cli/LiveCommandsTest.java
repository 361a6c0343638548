package org.minewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.minewatch.testkit.ExportMessages.ipfix;
import static org.minewatch.testkit.ExportMessages.set;
import static org.minewatch.testkit.ExportMessages.template;
import static org.minewatch.testkit.ExportMessages.v5;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.testkit.ExportMessages.V5Flow;

/**
 * The live commands end to end: {@code watch} captures on the loopback interface while the test
 * runs a miner and a pool over real sockets; {@code collect} receives NetFlow datagrams the test
 * sends, a malformed one among them.
 */
class LiveCommandsTest extends ConsoleTest {
  private static final String WALLET =
      "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";

  @TempDir Path dir;

  private static boolean installed(String program) {
    return Stream.of(System.getenv("PATH").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }

  /** True if tcpdump may capture here (root, or the capabilities to). */
  private static boolean mayCapture() throws Exception {
    Process p = new ProcessBuilder("tcpdump", "-i", "lo", "-w", "/dev/null", "tcp port 1").start();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
      String first =
          r.readLine(); // "listening on lo, ..." once the interface is open, else why not
      return first != null && first.contains("listening on");
    } finally {
      p.destroyForcibly();
    }
  }

  private void waitFor(String text, long seconds) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!stderr().contains(text) && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertThat(stderr()).contains(text);
  }

  @Test
  void watchFindsAMinerTalkingToAPoolOnTheLoopbackInterface() throws Exception {
    assumeTrue(installed("tcpdump"), "tcpdump is not installed (apt-get install tcpdump); skipped");
    assumeTrue(
        mayCapture(), "tcpdump may not capture on lo here (needs root or CAP_NET_RAW); skipped");
    Path findings = dir.resolve("findings.jsonl");
    try (ServerSocket pool = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = pool.getLocalPort();
      CompletableFuture<Integer> watch =
          CompletableFuture.supplyAsync(
              () ->
                  MineWatch.run(
                      "watch",
                      "-i",
                      "lo",
                      "--filter",
                      "tcp port " + port,
                      "--for",
                      "6",
                      "--stats-every",
                      "2",
                      "-o",
                      findings.toString(),
                      "--intel-dir",
                      dir.resolve("no-intel").toString()));
      waitFor("listening on lo", 15);
      LoopbackXmrig.mineOnce(pool, WALLET, "XMRig/6.16.4 (Linux x86_64) libuv/1.41.0 gcc/9.3.0");
      assertThat(watch.get(30, TimeUnit.SECONDS)).isZero();
    }
    // Printed as made, then written in full at the stop.
    assertThat(stdout().lines().toList())
        .hasSize(2)
        .anyMatch(
            l -> l.startsWith("mining miner 127.0.0.1 stratum-xmr " + "monero with 127.0.0.1:"))
        .anyMatch(l -> l.startsWith("mining pool 127.0.0.1 stratum-xmr monero"));
    List<String> lines = Files.readAllLines(findings);
    assertThat(lines).hasSize(2);
    assertThat(lines)
        .anyMatch(
            l ->
                l.startsWith(
                        "{\"host\":\"127.0.0.1\",\"role\":\"miner\",\"verdict\":\"mining\","
                            + "\"coin\":\"monero\",\"protocol\":\"stratum-xmr\"")
                    && l.contains("\"login\":\"" + WALLET + "\"")
                    && l.contains("\"agent\":\"XMRig/6.16.4"));
    assertThat(stderr())
        .contains("dropped by the kernel (tcpdump's last report)")
        .contains("minewatch: stopped: ");
  }

  @Test
  void watchOnAMissingInterfaceSaysWhy() throws Exception {
    assumeTrue(installed("tcpdump"), "tcpdump is not installed (apt-get install tcpdump); skipped");
    assertThat(
            MineWatch.run(
                "watch",
                "-i",
                "mw-no-such0",
                "--for",
                "5",
                "--intel-dir",
                dir.resolve("no-intel").toString()))
        .isEqualTo(2);
    assertThat(stderr())
        .contains("minewatch: tcpdump: mw-no-such0: ")
        .contains("minewatch watch: tcpdump stopped with status 1 before capturing");
  }

  @Test
  void watchOnJava17SaysTheRingNeedsJava22AndCapturesThroughTcpdump() throws Exception {
    assumeTrue(
        Runtime.version().feature() < 22, "Java 22+ reads the ring (PacketRingTest); skipped");
    assumeTrue(installed("tcpdump"), "tcpdump is not installed (apt-get install tcpdump); skipped");
    assumeTrue(
        mayCapture(), "tcpdump may not capture on lo here (needs root or CAP_NET_RAW); skipped");
    assertThat(
            MineWatch.run(
                "watch",
                "-i",
                "lo",
                "--for",
                "1",
                "--intel-dir",
                dir.resolve("no-intel").toString()))
        .isZero();
    assertThat(stderr())
        .startsWith(
            "minewatch: the kernel's ring needs Java 22 or later (this is Java "
                + Runtime.version().feature()
                + "); capturing through tcpdump\n")
        .contains("dropped by the kernel (tcpdump's last report)");
  }

  @Test
  void watchRefusesAnUnknownCapture() {
    assertThat(MineWatch.run("watch", "-i", "lo", "--capture", "pcap")).isEqualTo(2);
    assertThat(stderr())
        .isEqualTo("minewatch watch: --capture must be auto, ring or tcpdump, not \"pcap\"\n");
  }

  @Test
  void collectReportsPoolConnectionsFromDatagramsAndNamesAMalformedOne() throws Exception {
    Path intel = Files.createDirectories(dir.resolve("intel"));
    Files.writeString(intel.resolve("pools.list"), "203.0.113.9\n");
    int port;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path findings = dir.resolve("collected.jsonl");
    CompletableFuture<Integer> collect =
        CompletableFuture.supplyAsync(
            () ->
                MineWatch.run(
                    "collect",
                    "--listen",
                    "127.0.0.1:" + port,
                    "--for",
                    "3",
                    "--stats-every",
                    "0",
                    "-f",
                    "jsonl",
                    "-o",
                    findings.toString(),
                    "--intel-dir",
                    intel.toString()));
    waitFor("listening for NetFlow/IPFIX on", 15);
    long t0 = 1_636_334_220L;
    try (DatagramSocket exporter = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      byte[] good =
          v5(
              10_000,
              t0,
              0,
              new V5Flow("10.0.0.5", "203.0.113.9", 40000, 3333, 6, 12, 1500, 4_000, 9_000, 0x1b),
              new V5Flow("203.0.113.9", "10.0.0.5", 3333, 40000, 6, 10, 2500, 4_100, 9_100, 0x1b),
              new V5Flow("10.0.0.8", "192.0.2.80", 40001, 443, 6, 10, 2500, 4_100, 9_100, 0x1b));
      byte[] bad = {0, 7, 0, 0};
      for (byte[] m : List.of(good, bad)) {
        exporter.send(new DatagramPacket(m, m.length, InetAddress.getLoopbackAddress(), port));
      }
      int exporterPort = exporter.getLocalPort();
      assertThat(collect.get(20, TimeUnit.SECONDS)).isZero();
      assertThat(stderr())
          .contains(
              "minewatch: 127.0.0.1:"
                  + exporterPort
                  + ": byte 0 of the message: version 7 is "
                  + "not NetFlow v5, v9 or IPFIX (10)");
    }
    assertThat(stderr())
        .contains(
            "minewatch: stopped: 2 datagrams (1 malformed: 1 not NetFlow/IPFIX), 3 flow records, "
                + "0 records and 0 export packets lost by sequence numbers (0 out of order, 0 sequence resets), 0 data sets "
                + "with unknown templates, 0 templates (0 evicted, 0 refused), 2 findings\n");
    List<String> lines = Files.readAllLines(findings);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .startsWith("{\"host\":\"10.0.0.5\",\"role\":\"miner\",\"verdict\":\"suspect\"")
        .contains("\"flows\":1,\"bytes\":4000,")
        .contains("\"source\":\"flow-export\"");
    assertThat(lines.get(1))
        .startsWith("{\"host\":\"203.0.113.9\",\"role\":\"pool\",\"verdict\":\"suspect\"");
    assertThat(stdout().lines().count()).isEqualTo(2);
  }

  @Test
  void collectKeepsTemplatesWithinItsLimitsAndTellsTwentyJunkDatagramsOfAKindThenCountsThem()
      throws Exception {
    int port;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    CompletableFuture<Integer> collect =
        CompletableFuture.supplyAsync(
            () ->
                MineWatch.run(
                    "collect",
                    "--listen",
                    "127.0.0.1:" + port,
                    "--for",
                    "3",
                    "--stats-every",
                    "0",
                    "--max-templates",
                    "100",
                    "--max-templates-per-exporter",
                    "10",
                    "--intel-dir",
                    dir.resolve("no-intel").toString()));
    waitFor("listening for NetFlow/IPFIX on", 15);
    int exporterPort;
    try (DatagramSocket exporter = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      exporterPort = exporter.getLocalPort();
      for (int i = 0; i < 25; i++) {
        byte[] junk = {0, 7, 0, (byte) i};
        exporter.send(
            new DatagramPacket(junk, junk.length, InetAddress.getLoopbackAddress(), port));
      }
      for (int i = 0; i < 50; i++) {
        byte[] m = ipfix(1_636_334_220L, 0, i, set(2, template(256 + i, 8, 4, 12, 4)));
        exporter.send(new DatagramPacket(m, m.length, InetAddress.getLoopbackAddress(), port));
      }
      assertThat(collect.get(20, TimeUnit.SECONDS)).isZero();
    }
    List<String> lines = stderr().lines().toList();
    String junkLine =
        "minewatch: 127.0.0.1:"
            + exporterPort
            + ": byte 0 of the message: version 7 is not NetFlow v5, "
            + "v9 or IPFIX (10)";
    assertThat(lines).filteredOn(l -> l.equals(junkLine)).hasSize(20);
    assertThat(lines)
        .contains(
            "minewatch: further malformed datagrams not NetFlow/IPFIX are counted, not listed");
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo(
            "minewatch: stopped: 75 datagrams (25 malformed: 25 not "
                + "NetFlow/IPFIX), 0 flow records, 0 records and 0 export packets lost by sequence numbers (0 out of order, 0 "
                + "sequence resets), 0 data sets with unknown templates, 10 templates (40 evicted, 0 refused), 0 findings");
  }

  @Test
  void collectRefusesTemplateLimitsThatCannotWork() {
    assertThat(
            MineWatch.run(
                "collect", "--max-templates", "100", "--max-templates-per-exporter", "200"))
        .isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "minewatch collect: --max-templates-per-exporter 200 is more than --max-templates "
                + "100\n");
    err.reset();
    assertThat(MineWatch.run("collect", "--max-templates", "0")).isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "minewatch collect: --max-templates and --max-templates-per-exporter must be at "
                + "least 1\n");
  }
}
