package org.minewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.testkit.PcapSlice;

/**
 * {@code watch} judges a connection at its checkpoint when the clock passes it, not at its next
 * packet. The first 61 s of a real XMRig 6.16.0 session over TLS 1.2 (data/real-xmrig, s5n15:
 * suspect after 30 s, likely after 60 s; in the recording its next packet came at 76.5 s) are
 * replayed at their own pace by tcpreplay into one end of a veth pair while {@code watch} captures
 * on the other, for 100 s. Nothing follows the replay, so a sensor that waits for the connection's
 * next packet says nothing more until it stops; this one prints the miner {@code likely} after the
 * connection's 60 s, while it is still capturing. (Addressed to 127.0.0.1, the replayed packets
 * reach no socket on the receiving end, which drops them as martians: no reset ends the connection
 * early.)
 */
class WatchJudgesOnTheClockTest extends ConsoleTest {
  private static final Path SESSION =
      Path.of("")
          .toAbsolutePath()
          .getParent()
          .resolve("data/real-xmrig/mining/xmrig_rx0_tls12_7777_keepalive_265s_s5n15.pcap");

  /** How long watch captures; the replay lasts 61 s. */
  private static final int WATCH_SECONDS = 100;

  @TempDir Path dir;

  @Test
  void aSilentConnectionIsJudgedLikelyAfterItsSixtySecondsWhileWatchStillCaptures()
      throws Exception {
    assumeTrue(Files.exists(SESSION), SESSION + " is absent; skipped");
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/tcpreplay")),
        "tcpreplay is not installed (apt-get install tcpreplay); skipped");
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/tcpdump")),
        "tcpdump is not installed (apt-get install tcpdump); skipped");
    Path replay = dir.resolve("first-61s.pcap");
    PcapSlice.slice(SESSION, replay, 0, 61);
    try (VethPair veth = VethPair.createOrNull("mwc")) {
      assumeTrue(veth != null, "cannot create a veth pair here (ip(8), root); skipped");
      String a = veth.sender;
      String b = veth.receiver;
      Path findings = dir.resolve("findings.jsonl");
      CompletableFuture<Integer> watch =
          CompletableFuture.supplyAsync(
              () ->
                  MineWatch.run(
                      "watch",
                      "-i",
                      b,
                      "--capture",
                      "tcpdump",
                      "--filter",
                      "tcp port 7777",
                      "--for",
                      Integer.toString(WATCH_SECONDS),
                      "-o",
                      findings.toString(),
                      "--intel-dir",
                      dir.resolve("no-intel").toString()));
      waitUntil(() -> stderr().contains("listening on " + b), 15);
      Process replaying =
          new ProcessBuilder("/usr/bin/tcpreplay", "-q", "-i", a, replay.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      assertThat(replaying.waitFor(90, TimeUnit.SECONDS)).as("tcpreplay done").isTrue();
      assertThat(replaying.exitValue()).isZero();
      // The replay has sent its last packet (under 61 s in); the 60 s checkpoint has passed.
      waitUntil(() -> stdout().lines().anyMatch(l -> l.startsWith("likely miner ")), 25);
      assertThat(watch).as("watch still capturing when the miner is printed likely").isNotDone();
      List<String> printed = stdout().lines().toList();
      assertThat(printed)
          .anyMatch(
              l -> l.startsWith("suspect miner 127.0.0.1 mining-behaviour with 127.0.0.1:7777"))
          .anyMatch(
              l -> l.startsWith("likely miner 127.0.0.1 mining-behaviour with 127.0.0.1:7777"));
      assertThat(watch.get(WATCH_SECONDS + 30, TimeUnit.SECONDS)).isZero();
      // The line gives the finding's first evidence (after 30 s); the file at the stop gives all.
      assertThat(Files.readAllLines(findings))
          .anyMatch(
              l ->
                  l.contains("\"role\":\"miner\",\"verdict\":\"likely\"")
                      && l.contains("judged while open, after 60 s"));
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier done, long seconds)
      throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!done.getAsBoolean() && System.nanoTime() < until) {
      Thread.sleep(50);
    }
    assertThat(done.getAsBoolean()).as("within %d s", seconds).isTrue();
  }
}
