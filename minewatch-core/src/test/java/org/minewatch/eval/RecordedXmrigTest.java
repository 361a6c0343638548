package org.minewatch.eval;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.evidence.Finding;
import org.minewatch.model.Coin;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;
import org.minewatch.scan.ScanReporter;
import org.minewatch.scan.Scanner;
import org.minewatch.testkit.PcapSlice;
import org.minewatch.testkit.miners.XmrigSessions;

/**
 * A real XMRig 6.16.0 mining against the project's own pool ({@code XmrigSessions}, minewatch-
 * testkit): the sessions recorded in {@code data/real-xmrig}, and a fresh one this test records
 * itself, go through the whole engine ({@link Scanner}) with the shipped behaviour model. Each TLS
 * session must be {@code likely} by its end and each clear one {@code mining} (Monero); window by
 * window (the first 30 s, 60 s and 2 minutes of the capture, as a sensor whose capture stopped
 * there sees it, and the whole) the verdicts are those docs/evaluation.md reports. The shipped
 * model never saw these sessions: retraining on them changes the windows' table, here and there.
 */
class RecordedXmrigTest {
  private static final Path RECORDED =
      Path.of("").toAbsolutePath().getParent().resolve("data/real-xmrig/mining");

  /**
   * Sessions the engine cannot judge, and why: a miner starved of CPU (the recording machine was
   * shared) that sent too few messages for its shape to say anything.
   */
  private static final Map<String, String> UNJUDGEABLE =
      Map.of(
          "xmrig_rx0_tls13_443_292s_s5n02.pcap",
          "1 share in 292 s (difficulty 687 at 5.4 H/s): with the login and two keepalived, 3"
              + " client messages past the handshake, under BehaviourFeatures.MIN_MESSAGES (4)");

  /** The windows judged, in seconds of capture; the whole capture after them. */
  private static final double[] WINDOWS = {30, 60, 120};

  /**
   * Each recorded session's verdict (the strongest for its miner; "-" for none) after 30 s, 60 s, 2
   * minutes and at its end.
   */
  private static final Map<String, String> EXPECTED =
      Map.ofEntries(
          entry("xmrig_rx0_tcp_32969_keepalive_268s_s5n08.pcap", "mining mining mining mining"),
          entry("xmrig_rx0_tcp_443_261s_s5n07.pcap", "mining mining mining mining"),
          entry("xmrig_rx0_tcp_8443_keepalive_211s_s5n12.pcap", "mining mining mining mining"),
          entry("xmrig_rx0_tls12_10443_190s_s5n13.pcap", "- - likely likely"),
          entry("xmrig_rx0_tls12_5555_keepalive_274s_s5n06.pcap", "- - likely likely"),
          entry("xmrig_rx0_tls12_6_7777_keepalive_193s_s5n00.pcap", "- - - likely"),
          entry("xmrig_rx0_tls12_7777_keepalive_265s_s5n15.pcap", "suspect likely likely likely"),
          entry("xmrig_rx0_tls12_8443_276s_s5n14.pcap", "- - likely likely"),
          entry("xmrig_rx0_tls13_10443_250s_s5n10.pcap", "- - likely likely"),
          entry("xmrig_rx0_tls13_14444_keepalive_225s_s5n01.pcap", "- - likely likely"),
          entry("xmrig_rx0_tls13_20580_286s_s5n11.pcap", "- likely likely likely"),
          entry("xmrig_rx0_tls13_42777_297s_s5n03.pcap", "- - - likely"),
          entry("xmrig_rx0_tls13_443_292s_s5n02.pcap", "- - - -"),
          entry("xmrig_rx0_tls13_4444_keepalive_283s_s5n04.pcap", "- likely likely likely"),
          entry("xmrig_rx0_tls13_6_5555_183s_s5n09.pcap", "- - - likely"),
          entry("xmrig_rx0_tls13_7777_270s_s5n05.pcap", "suspect suspect likely likely"));

  /**
   * The fresh session's seed, drawn for conditions no recorded session had (those were seed 5) and
   * that give a 90 s session shares and jobs enough to judge: TLS 1.2 over IPv4 on port 8443,
   * difficulty 45 (a share every few seconds), a new block every 15 s, no keep-alive. The same on
   * every build.
   */
  private static final long FRESH_SEED = 1004;

  /** Names the one-minute sessions (their conditions are set, not drawn). */
  private static final long ONE_MINUTE_SEED = 3001;

  @TempDir Path dir;

  @Test
  void everyRecordedSessionIsFlaggedByItsEndAsItsTransportAllows() throws IOException {
    List<Path> captures = captures();
    Map<String, String> verdicts = new TreeMap<>();
    Map<String, String> ends = new TreeMap<>();
    Map<String, String> expectedEnds = new TreeMap<>();
    List<String> table = new ArrayList<>();
    int[] flagged = new int[WINDOWS.length + 1];
    for (Path capture : captures) {
      List<Verdict> byWindow = new ArrayList<>();
      for (double w : WINDOWS) {
        Path slice = dir.resolve("w" + (int) w + "-" + capture.getFileName());
        PcapSlice.slice(capture, slice, 0, w);
        byWindow.add(minerVerdict(scan(slice)));
      }
      List<Finding> whole = scan(capture);
      byWindow.add(minerVerdict(whole));
      String name = capture.getFileName().toString();
      Verdict atEnd = byWindow.get(WINDOWS.length);
      ends.put(name, label(atEnd));
      expectedEnds.put(name, UNJUDGEABLE.containsKey(name) ? "-" : label(expectedAtEnd(name)));
      if (atEnd == Verdict.MINING) {
        assertThat(whole).as(name).anyMatch(f -> f.role() == Role.MINER && f.coin() == Coin.MONERO);
      }
      for (int i = 0; i < byWindow.size(); i++) {
        Verdict v = byWindow.get(i);
        flagged[i] += v == Verdict.MINING || v == Verdict.LIKELY ? 1 : 0;
      }
      String row = String.join(" ", byWindow.stream().map(RecordedXmrigTest::label).toList());
      verdicts.put(name, row);
      table.add(name + ": " + row + estimate(whole));
    }
    String counts =
        String.format(
            Locale.ROOT,
            "likely or mining: %d after 30 s, %d after 60 s, %d after 2 min, %d at the end, of %d",
            flagged[0],
            flagged[1],
            flagged[2],
            flagged[3],
            captures.size());
    System.out.println(String.join("\n", table) + "\n" + counts);
    assertThat(ends).as("verdicts at the end").isEqualTo(expectedEnds);
    assertThat(verdicts).as(counts).isEqualTo(EXPECTED);
  }

  @Test
  void aFreshSessionIsFlaggedByItsEnd() throws Exception {
    String reason = XmrigSessions.unavailableReason();
    assumeTrue(reason == null, () -> "cannot record a real XMRig here: " + reason + "; skipped");
    // 90 s: past the first two checkpoints; one session, alongside the build.
    XmrigSessions.Session s =
        XmrigSessions.record(dir.resolve("fresh"), FRESH_SEED, 1, 90, 90, 1).get(0);
    String name = s.capture().getFileName().toString();
    Verdict verdict = minerVerdict(scan(s.capture()));
    System.out.println("fresh session: " + s.tsv() + "\t" + label(verdict));
    assertThat(s.shares()).as(s.tsv()).isGreaterThanOrEqualTo(1);
    assertThat(verdict).as(s.tsv()).isEqualTo(expectedAtEnd(name));
  }

  /**
   * The sessions issue 11 found missed: one minute of a real XMRig over TLS 1.3, on port 443 and on
   * a high port, a new job every 20 s and a share every few seconds. Each is recorded fresh, two at
   * once, and must be {@code likely} from its one minute alone. The difficulty (40) gives 21–34
   * shares a minute on an idle 2-core VM (docs/evaluation.md); a miner starved to under 4 shares is
   * not such a session, and the test says so and skips rather than judge it.
   */
  @Test
  void oneMinuteSessionsOverTls13AreLikely() throws Exception {
    String reason = XmrigSessions.unavailableReason();
    assumeTrue(reason == null, () -> "cannot record a real XMRig here: " + reason + "; skipped");
    List<XmrigSessions.Session> sessions =
        XmrigSessions.record(
            dir.resolve("one-minute"),
            ONE_MINUTE_SEED,
            List.of(
                new XmrigSessions.Conditions("tls13", false, 443, 40, 20, 1, false, 60, 11),
                new XmrigSessions.Conditions("tls13", false, 14444, 40, 20, 1, false, 60, 12)),
            2);
    for (XmrigSessions.Session s : sessions) {
      Verdict verdict = minerVerdict(scan(s.capture()));
      System.out.println("one-minute session: " + s.tsv() + "\t" + label(verdict));
      // A miner this machine starved of CPU is not the session the issue names: say so, skip.
      assumeTrue(
          s.shares() >= 4,
          () -> "the miner was starved (" + s.shares() + " shares in 60 s): " + s.tsv());
      assertThat(verdict).as(s.tsv()).isEqualTo(Verdict.LIKELY);
    }
  }

  /** TLS sessions are found by their shape ({@code likely}), clear ones by their messages. */
  private static Verdict expectedAtEnd(String capture) {
    return capture.contains("_tcp") ? Verdict.MINING : Verdict.LIKELY;
  }

  private static List<Path> captures() throws IOException {
    assumeTrue(Files.isDirectory(RECORDED), RECORDED + " is absent; skipped");
    try (Stream<Path> s = Files.list(RECORDED)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".pcap")).sorted().toList();
    }
  }

  private static List<Finding> scan(Path capture) {
    return new Scanner(ScanReporter.SILENT).scan(List.of(capture)).findings();
  }

  /** The strongest verdict about a miner among the findings, or null. */
  private static Verdict minerVerdict(List<Finding> findings) {
    return findings.stream()
        .filter(f -> f.role() == Role.MINER)
        .map(Finding::verdict)
        .min(Comparator.naturalOrder())
        .orElse(null);
  }

  /** A clear session's hash-rate estimate, for docs/evaluation.md's table. */
  private static String estimate(List<Finding> findings) {
    return findings.stream()
        .filter(f -> f.role() == Role.MINER && f.hashRate() != null && !f.hashRate().tooFewShares())
        .map(
            f ->
                String.format(
                    Locale.ROOT,
                    " (estimate %.2f H/s, 90%% %.2f-%.2f, %d shares)",
                    f.hashRate().value(),
                    f.hashRate().low(),
                    f.hashRate().high(),
                    f.hashRate().shares()))
        .findFirst()
        .orElse("");
  }

  private static String label(Verdict v) {
    return v == null ? "-" : v.label();
  }
}
