package org.minewatch.cli.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.minewatch.testkit.ExportMessages.v5;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.cli.MineWatch;
import org.minewatch.testkit.ExportMessages.V5Flow;

/**
 * {@code scan}, {@code collect} and {@code push} with {@code --server}, end to end, against a
 * stand-in server.
 */
class ServerOptionsCommandsTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream savedOut;
  private PrintStream savedErr;
  private final Receiver receiver;

  ServerOptionsCommandsTest() throws IOException {
    receiver = new Receiver();
  }

  @BeforeEach
  void captureConsole() {
    savedOut = System.out;
    savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(savedOut);
    System.setErr(savedErr);
    receiver.close();
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /**
   * The repository's sample capture, found from the module's directory (where tests run) or the
   * root.
   */
  private static Path sample() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve("samples/campus-mining.pcapng");
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException("samples/campus-mining.pcapng not found");
  }

  private String[] scan(Path output, String... more) {
    List<String> a =
        new java.util.ArrayList<>(
            List.of(
                "scan",
                "-q",
                "-f",
                "jsonl",
                "-o",
                output.toString(),
                "--intel-dir",
                dir.resolve("no-intel").toString(),
                "--server",
                receiver.url(),
                "--token",
                Receiver.TOKEN,
                "--spool",
                dir.resolve("spool").toString()));
    a.addAll(List.of(more));
    a.add(sample().toString());
    return a.toArray(String[]::new);
  }

  private static List<String> miners(List<String> lines) {
    return lines.stream()
        .filter(l -> l.contains("\"role\":\"miner\""))
        .map(l -> l.substring("{\"host\":\"".length(), l.indexOf('"', "{\"host\":\"".length())))
        .sorted()
        .toList();
  }

  @Test
  void scanSendsTheFindingsAsWrittenInJsonLines() throws Exception {
    receiver.start();
    Path written = dir.resolve("findings.jsonl");
    assertThat(MineWatch.run(scan(written))).as(stderr()).isZero();
    List<String> lines = Files.readAllLines(written);
    assertThat(lines).hasSize(8);
    assertThat(receiver.accepted()).isEqualTo(lines);
    assertThat(miners(receiver.accepted()))
        .containsExactly("10.20.1.15", "10.20.7.33", "192.168.40.9");
    assertThat(receiver.requests()).hasSize(1);
    assertThat(stderr()).isEmpty(); // -q: nothing to say when all went well
    try (Spool spool = Spool.open(dir.resolve("spool"))) {
      assertThat(spool.backlog()).isEqualTo(new Spool.Backlog(0, 0));
    }

    // The same scan again: the server already has all of it.
    assertThat(MineWatch.run(withoutQuiet(scan(written)))).isZero();
    assertThat(stderr())
        .contains(
            "minewatch: server "
                + receiver.url()
                + ": 8 findings sent in 1 batch: received 8, "
                + "created 0, updated 0, unchanged 8\n");
    assertThat(receiver.accepted()).hasSize(16);
  }

  private static String[] withoutQuiet(String[] args) {
    return java.util.Arrays.stream(args).filter(a -> !a.equals("-q")).toArray(String[]::new);
  }

  @Test
  void scanWithTheServerAwayLeavesTheFindingsInTheSpoolForPush() throws Exception {
    Path written = dir.resolve("findings.jsonl");
    assertThat(MineWatch.run(scan(written, "--retry-for", "0s"))).isEqualTo(2);
    assertThat(stderr())
        .contains("minewatch: cannot send findings: cannot connect to 127.0.0.1:")
        .contains("minewatch: stopped sending: the server has been unreachable for 0 s (")
        .contains(
            "minewatch: 1 batch (8 findings) left in spool "
                + dir.resolve("spool")
                + ": the next command with "
                + "--server "
                + receiver.url()
                + " and this spool sends them (e.g. minewatch push --server "
                + receiver.url()
                + " --spool "
                + dir.resolve("spool")
                + ")");
    assertThat(Files.readAllLines(written))
        .hasSize(8); // the scan's own output is there all the same
    assertThat(receiver.requests()).isEmpty();

    receiver.start();
    out.reset();
    err.reset();
    assertThat(
            MineWatch.run(
                "push",
                "--server",
                receiver.url(),
                "--token",
                Receiver.TOKEN,
                "--spool",
                dir.resolve("spool").toString()))
        .isZero();
    assertThat(stdout())
        .isEqualTo(
            "spool "
                + dir.resolve("spool")
                + ": 8 findings sent in 1 batch: received 8, "
                + "created 8, updated 0, unchanged 0\n");
    assertThat(stderr())
        .isEqualTo(
            "minewatch: spool "
                + dir.resolve("spool")
                + " holds 1 batch (8 findings) from an "
                + "earlier run: sending them first\n");
    assertThat(receiver.accepted()).isEqualTo(Files.readAllLines(written));
    assertThat(miners(receiver.accepted()))
        .containsExactly("10.20.1.15", "10.20.7.33", "192.168.40.9");
  }

  @Test
  void aSpoolInUseIsAClearErrorBeforeTheScan() throws Exception {
    receiver.start();
    try (Spool held = Spool.open(dir.resolve("spool"))) {
      assertThat(MineWatch.run(scan(dir.resolve("findings.jsonl")))).isEqualTo(2);
      assertThat(stderr())
          .isEqualTo(
              "minewatch scan: spool "
                  + dir.resolve("spool")
                  + " is in use by another minewatch "
                  + "process (process "
                  + ProcessHandle.current().pid()
                  + "); wait for it to end or give this one another "
                  + "--spool DIR\n");
    }
    assertThat(receiver.requests()).isEmpty();
  }

  @Test
  void aSpoolHoldingAnotherServersFindingsIsNotSentHere() throws Exception {
    receiver.start();
    try (Spool other = Spool.open(dir.resolve("spool"))) {
      other.server("https://elsewhere.example.org");
      other.append(Findings.lines(1, 2));
    }
    assertThat(MineWatch.run(scan(dir.resolve("findings.jsonl")))).isEqualTo(2);
    assertThat(stderr())
        .startsWith(
            "minewatch scan: spool "
                + dir.resolve("spool")
                + " holds 1 batch (2 findings) "
                + "for https://elsewhere.example.org, not "
                + receiver.url()
                + ": send them there first");
    assertThat(receiver.requests()).isEmpty();
  }

  @Test
  void collectSendsFindingsAsTheyAreMade() throws Exception {
    receiver.start();
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
                    "-o",
                    findings.toString(),
                    "--intel-dir",
                    intel.toString(),
                    "--server",
                    receiver.url(),
                    "--token",
                    Receiver.TOKEN,
                    "--spool",
                    dir.resolve("spool").toString()));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!stderr().contains("listening for NetFlow/IPFIX on") && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    try (DatagramSocket exporter = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      byte[] m =
          v5(
              10_000,
              1_636_334_220L,
              0,
              new V5Flow("10.0.0.5", "203.0.113.9", 40000, 3333, 6, 12, 1500, 4_000, 9_000, 0x1b),
              new V5Flow("203.0.113.9", "10.0.0.5", 3333, 40000, 6, 10, 2500, 4_100, 9_100, 0x1b));
      exporter.send(new DatagramPacket(m, m.length, InetAddress.getLoopbackAddress(), port));
    }
    assertThat(collect.get(30, TimeUnit.SECONDS)).as(stderr()).isZero();
    List<String> written = Files.readAllLines(findings);
    assertThat(written).hasSize(2);
    // What the server holds is the final state of each finding; nothing was sent twice unchanged.
    assertThat(receiver.stored().values()).containsExactlyInAnyOrderElementsOf(written);
    assertThat(receiver.accepted()).doesNotHaveDuplicates();
    assertThat(stderr()).contains("minewatch: server " + receiver.url() + ": ");
    try (Spool spool = Spool.open(dir.resolve("spool"))) {
      assertThat(spool.backlog()).isEqualTo(new Spool.Backlog(0, 0));
    }
  }

  private void waitFor(String text) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!stderr().contains(text) && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertThat(stderr()).contains(text);
  }

  /** True if tcpdump is installed and may capture on lo here (root, or the capabilities to). */
  private static boolean mayCapture() throws Exception {
    if (Stream.of(System.getenv("PATH").split(":"))
        .noneMatch(d -> Files.isExecutable(Path.of(d, "tcpdump")))) {
      return false;
    }
    Process p = new ProcessBuilder("tcpdump", "-i", "lo", "-w", "/dev/null", "tcp port 1").start();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
      String first = r.readLine();
      return first != null && first.contains("listening on");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void watchSendsTheMinerAndPoolItSeesOnTheLoopbackInterface() throws Exception {
    assumeTrue(mayCapture(), "tcpdump is not installed or may not capture on lo here; skipped");
    receiver.start();
    String wallet =
        "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";
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
                      "5",
                      "--stats-every",
                      "0",
                      "-o",
                      findings.toString(),
                      "--intel-dir",
                      dir.resolve("no-intel").toString(),
                      "--server",
                      receiver.url(),
                      "--token",
                      Receiver.TOKEN,
                      "--spool",
                      dir.resolve("spool").toString()));
      waitFor("listening on lo");
      org.minewatch.cli.LoopbackXmrig.mineOnce(pool, wallet, "XMRig/6.16.4");
      assertThat(watch.get(30, TimeUnit.SECONDS)).as(stderr()).isZero();
    }
    List<String> written = Files.readAllLines(findings);
    assertThat(written).hasSize(2);
    assertThat(receiver.stored().values()).containsExactlyInAnyOrderElementsOf(written);
    assertThat(receiver.accepted()).doesNotHaveDuplicates();
    assertThat(receiver.stored().keySet())
        .containsExactlyInAnyOrder("127.0.0.1|miner", "127.0.0.1|pool");
  }
}
