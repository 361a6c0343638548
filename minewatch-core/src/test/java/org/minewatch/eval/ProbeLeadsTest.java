package org.minewatch.eval;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.evidence.Finding;
import org.minewatch.model.Endpoint;
import org.minewatch.scan.ScanReporter;
import org.minewatch.scan.Scanner;
import org.minewatch.testkit.PcapSlice;

/**
 * What a scan that probes would ask (the servers of suspects and of leads, {@code
 * BehaviourJudge.withLeads}) after the first 30 s, the first 60 s and the whole of each real
 * session: every real TLS miner's pool where its first minute said anything past the login, and no
 * benign server in its first minute. A lead is no finding: these scans' findings are those of a
 * scan without probing, and only a probe that finds a pool turns a lead into {@code mining}
 * (ProbeConfirmsLeadsTest). docs/evaluation.md, "Leads for the probe", reports these tables.
 */
class ProbeLeadsTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path RECORDED_MINERS = ROOT.resolve("data/real-xmrig/mining");
  private static final Path RECORDED_BENIGN = ROOT.resolve("data/benign-tls");
  private static final Path SHARED = ROOT.resolve("../shared/corpus/real-miners");

  /** The windows, in seconds of capture; then the whole capture. */
  private static final double[] WINDOWS = {30, 60};

  /**
   * Per recorded TLS session (data/real-xmrig): whether its pool would be probed after 30 s, 60 s
   * and at its end. s5n02 sent nothing past its login in its first 60 s (1 share in 292 s).
   */
  private static final Map<String, String> RECORDED_EXPECTED =
      Map.ofEntries(
          entry("xmrig_rx0_tls12_10443_190s_s5n13.pcap", "- probed probed"),
          entry("xmrig_rx0_tls12_5555_keepalive_274s_s5n06.pcap", "- probed probed"),
          entry("xmrig_rx0_tls12_6_7777_keepalive_193s_s5n00.pcap", "- probed probed"),
          entry("xmrig_rx0_tls12_7777_keepalive_265s_s5n15.pcap", "probed probed probed"),
          entry("xmrig_rx0_tls12_8443_276s_s5n14.pcap", "- probed probed"),
          entry("xmrig_rx0_tls13_10443_250s_s5n10.pcap", "probed probed probed"),
          entry("xmrig_rx0_tls13_14444_keepalive_225s_s5n01.pcap", "- probed probed"),
          entry("xmrig_rx0_tls13_20580_286s_s5n11.pcap", "probed probed probed"),
          entry("xmrig_rx0_tls13_42777_297s_s5n03.pcap", "- probed probed"),
          entry("xmrig_rx0_tls13_443_292s_s5n02.pcap", "- - probed"),
          entry("xmrig_rx0_tls13_4444_keepalive_283s_s5n04.pcap", "probed probed probed"),
          entry("xmrig_rx0_tls13_6_5555_183s_s5n09.pcap", "- probed probed"),
          entry("xmrig_rx0_tls13_7777_270s_s5n05.pcap", "probed probed probed"));

  /**
   * The same for the real TLS miners of ../shared: cpuminer 7443 (no share in its first 203 s, its
   * pool's first push at 60.02 s) is not probed in its first minute; cpuminer 3443 (one share in
   * the first minute) is, by its pool's pushes (a job every 15 s), from 60 s.
   */
  private static final Map<String, String> SHARED_EXPECTED =
      Map.ofEntries(
          entry("cpuminer_scrypt_tls6443_180s.pcap", "- probed probed"),
          entry("cpuminer_sha256d_tls3358_300s.pcap", "probed probed probed"),
          entry("cpuminer_sha256d_tls3443_180s.pcap", "- probed probed"),
          entry("cpuminer_sha256d_tls6_9999_240s.pcap", "- probed probed"),
          entry("cpuminer_sha256d_tls7443_360s.pcap", "- - probed"),
          entry("xmrig_rx0_tls14444_300s.pcap", "probed probed probed"),
          entry("xmrig_rx0_tls443_180s.pcap", "probed probed probed"),
          entry("xmrig_rx0_tls443_240s.pcap", "- probed probed"),
          entry("xmrig_rx0_tls5555_300s.pcap", "probed probed probed"),
          entry("xmrig_rx0_tls6_443_240s.pcap", "probed probed probed"),
          entry("xmrig_rx0_tls7777_keepalive_300s.pcap", "- probed probed"),
          entry("xmrig_rx0_tls8443_480s.pcap", "probed probed probed"),
          entry("xmrig_rx0_tls9443_30s.pcap", "probed probed probed"));

  @TempDir Path dir;

  @Test
  void theRecordedMinersPoolsAreProbedOnceTheirFirstMinuteSaysAnything() throws IOException {
    assumeTrue(Files.isDirectory(RECORDED_MINERS), RECORDED_MINERS + " is absent; skipped");
    assertThat(minerRows(captures(RECORDED_MINERS, "_tls"))).isEqualTo(RECORDED_EXPECTED);
  }

  @Test
  void theSharedRealMinersPoolsAreProbedOnceTheirFirstMinuteSaysAnything() throws IOException {
    assumeTrue(
        Files.isDirectory(SHARED.resolve("mining")),
        "../shared/corpus/real-miners is absent here: its miners are not measured; skipped");
    assertThat(minerRows(captures(SHARED.resolve("mining"), "_tls"))).isEqualTo(SHARED_EXPECTED);
  }

  /**
   * No real benign capture's first minute asks about its server; over whole recordings one does:
   * rsyslog forwarding a short line every ~2 s over RELP, each answered at once (the shape of a
   * fast share submitter), becomes a lead at its connection's 30 s checkpoint (score 0.32 on 2
   * messages each way); that connection began 37.5 s into its capture, so the capture's first 60 s
   * hold 22.5 s of it. A probe of it finds no pool.
   */
  @Test
  void noRealBenignServerIsProbedOnItsFirstMinute() throws IOException {
    assumeTrue(Files.isDirectory(RECORDED_BENIGN), RECORDED_BENIGN + " is absent; skipped");
    List<Path> benign = new ArrayList<>(captures(RECORDED_BENIGN, ""));
    if (Files.isDirectory(SHARED.resolve("benign"))) {
      benign.addAll(captures(SHARED.resolve("benign"), ""));
    }
    Map<String, String> probed = new TreeMap<>();
    for (Path capture : benign) {
      List<String> row = new ArrayList<>();
      boolean any = false;
      for (List<Endpoint> asked : askedByWindow(capture)) {
        row.add(asked.toString());
        any |= !asked.isEmpty();
      }
      if (any) {
        probed.put(capture.getFileName().toString(), String.join(" ", row));
      }
    }
    assertThat(benign).hasSize(Files.isDirectory(SHARED.resolve("benign")) ? 64 : 58);
    assertThat(probed)
        .as("benign captures whose servers would be probed, after 30 s, 60 s and at their end")
        .isEqualTo(Map.of("benign_rsyslog-relp_4_06.pcap", "[] [] [127.0.0.1:35025]"));
  }

  /** Each miner's row: "probed" where exactly its pool's server would be asked, "-" where none. */
  private Map<String, String> minerRows(List<Path> captures) throws IOException {
    Map<String, String> rows = new TreeMap<>();
    int[] probed = new int[WINDOWS.length + 1];
    for (Path capture : captures) {
      List<String> row = new ArrayList<>();
      List<List<Endpoint>> asked = askedByWindow(capture);
      List<Endpoint> whole = asked.get(asked.size() - 1);
      assertThat(whole).as(capture + ": the pool, and nothing else, at the end").hasSize(1);
      for (int i = 0; i < asked.size(); i++) {
        List<Endpoint> a = asked.get(i);
        assertThat(a).as(capture + ": window " + i).isSubsetOf(whole);
        row.add(a.isEmpty() ? "-" : "probed");
        probed[i] += a.isEmpty() ? 0 : 1;
      }
      rows.put(capture.getFileName().toString(), String.join(" ", row));
    }
    System.out.printf(
        Locale.ROOT,
        "%s: pools probed after 30 s %d, after 60 s %d, at the end %d, of %d%n",
        captures.isEmpty() ? "none" : captures.get(0).getParent(),
        probed[0],
        probed[1],
        probed[2],
        captures.size());
    return rows;
  }

  /** The servers a probing scan asks about after each window, then for the whole capture. */
  private List<List<Endpoint>> askedByWindow(Path capture) throws IOException {
    List<List<Endpoint>> out = new ArrayList<>();
    for (double w : WINDOWS) {
      Path slice = dir.resolve("w" + (int) w + "-" + capture.getFileName());
      PcapSlice.slice(capture, slice, 0, w);
      out.add(asked(slice));
    }
    out.add(asked(capture));
    return out;
  }

  /**
   * The servers asked about (the same on one thread and on three); the findings must be those of a
   * scan that does not probe.
   */
  private static List<Endpoint> asked(Path capture) {
    List<Endpoint> asked = new ArrayList<>();
    List<Finding> probing =
        new Scanner(ScanReporter.SILENT)
            .probing(
                candidates -> {
                  asked.addAll(candidates);
                  return Map.of();
                })
            .scan(List.of(capture))
            .findings();
    assertThat(probing)
        .as(capture + ": findings with leads made and no pool confirmed")
        .isEqualTo(new Scanner(ScanReporter.SILENT).scan(List.of(capture)).findings());
    List<Endpoint> askedInParallel = new ArrayList<>();
    new Scanner(ScanReporter.SILENT)
        .threads(3)
        .probing(
            candidates -> {
              askedInParallel.addAll(candidates);
              return Map.of();
            })
        .scan(List.of(capture));
    assertThat(askedInParallel).as(capture + ": asked by a scan on 3 threads").isEqualTo(asked);
    return asked;
  }

  private static List<Path> captures(Path directory, String contains) throws IOException {
    try (Stream<Path> s = Files.list(directory)) {
      return s.filter(
              p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".pcap") && n.contains(contains);
              })
          .sorted()
          .toList();
    }
  }

  /**
   * A lead is no flag: under a flow table too small for the sessions (all 16 recordings in one
   * scan, 4 or 8 flows at most), a scan that probes and confirms nothing evicts what one that does
   * not probe evicts (none here), and finds the same. When a lead claimed its flow as a flag does,
   * the probing scan evicted 2 flows at 8 and found otherwise.
   */
  @Test
  void leadsDoNotChangeWhatAFullFlowTableKeeps() throws IOException {
    assumeTrue(Files.isDirectory(RECORDED_MINERS), RECORDED_MINERS + " is absent; skipped");
    List<Path> all = captures(RECORDED_MINERS, "");
    for (int maxFlows : new int[] {4, 8}) {
      org.minewatch.scan.Scanner.Result passive = small(maxFlows).scan(all);
      List<Endpoint> asked = new ArrayList<>();
      org.minewatch.scan.Scanner.Result probing =
          small(maxFlows)
              .probing(
                  candidates -> {
                    asked.addAll(candidates);
                    return Map.of();
                  })
              .scan(all);
      assertThat(asked).as("leads made").isNotEmpty();
      assertThat(probing.findings()).as("at most %d flows", maxFlows).isEqualTo(passive.findings());
      assertThat(probing.stats().flowsEvicted()).isEqualTo(passive.stats().flowsEvicted());
      assertThat(probing.stats().flowsEvictedClaimed())
          .isEqualTo(passive.stats().flowsEvictedClaimed());
    }
  }

  private static Scanner small(int maxFlows) {
    return new Scanner(
        ScanReporter.SILENT,
        maxFlows,
        org.minewatch.estimate.PowerModel.defaults(),
        org.minewatch.intel.PoolCatalogue.defaults());
  }

  /**
   * The price of leads on the nDPI corpus (537 captures of other protocols, 7 of mining in clear):
   * a scan of each with a check that confirms nothing asks about 7 servers, web and chat on 443 and
   * Z39.50 on 9991, none of them a pool; their findings are those of a scan that does not probe.
   */
  @Test
  void theCorpusAsksAboutFewServers() throws IOException {
    Path corpus = ROOT.resolve("../shared/corpus/ndpi");
    assumeTrue(Files.isDirectory(corpus), "../shared/corpus/ndpi is absent here; skipped");
    List<Path> captures;
    try (Stream<Path> s = Files.walk(corpus)) {
      captures =
          s.filter(p -> p.getFileName().toString().matches(".*\\.(pcap|pcapng|cap)$"))
              .sorted()
              .toList();
    }
    Map<String, String> asked = new TreeMap<>();
    for (Path capture : captures) {
      List<Endpoint> servers = asked(capture);
      if (!servers.isEmpty()) {
        asked.put(corpus.relativize(capture).toString(), servers.toString());
      }
    }
    assertThat(captures).hasSize(544);
    assertThat(asked)
        .isEqualTo(
            Map.of(
                "other/dnscrypt-v2-doh.pcap", "[193.70.85.11:443]",
                "other/line.pcap", "[147.92.242.232:443]",
                "other/netflix.pcap", "[54.69.204.241:443, 52.32.196.36:443, 52.89.39.139:443]",
                "other/wechat.pcap", "[203.205.158.34:443]",
                "other/z3950.pcapng", "[129.187.139.43:9991]"));
  }

  private static final Pattern LEAD_SCORE =
      Pattern.compile("behaviour model score (\\d\\.\\d\\d), lead threshold");
  private static final String PUSH_LEAD = "as a pool pushes jobs";

  /**
   * The scores that made leads (docs/evaluation.md, "Leads for the probe"): each connection's lead
   * sentence when the whole capture is read, its score as the sentence gives it. Miners 0.36
   * (s5n02, one share in 292 s) to 0.99; the one benign lead at 0.32, over the threshold 0.30. Two
   * miners' leads are their pools' pushes instead (cpuminer 3443, a job every 15 s, at 60 s with
   * the authorize and one share answered; 7443, a job every 60 s, at 5 minutes, its first share
   * answered at 203 s), and no benign connection's.
   */
  @Test
  void leadScoresAreThoseTheDocsGive() throws IOException {
    assumeTrue(Files.isDirectory(RECORDED_MINERS), RECORDED_MINERS + " is absent; skipped");
    List<Path> miningCaptures = new ArrayList<>(captures(RECORDED_MINERS, "_tls"));
    boolean shared = Files.isDirectory(SHARED.resolve("mining"));
    if (shared) {
      miningCaptures.addAll(captures(SHARED.resolve("mining"), "_tls"));
    }
    List<Double> miners = new ArrayList<>();
    Map<String, Integer> minersByPushes = new TreeMap<>();
    for (Path capture : miningCaptures) {
      for (String lead : leads(capture)) {
        if (lead.contains(PUSH_LEAD)) {
          minersByPushes.merge(capture.getFileName().toString(), 1, Integer::sum);
        } else {
          miners.add(score(lead));
        }
      }
    }
    Map<String, List<String>> benign = new TreeMap<>();
    for (Path capture : captures(RECORDED_BENIGN, "")) {
      List<String> leads = leads(capture);
      if (!leads.isEmpty()) {
        benign.put(capture.getFileName().toString(), leads);
      }
    }
    assertThat(miners).hasSizeGreaterThanOrEqualTo(11);
    assertThat(java.util.Collections.min(miners)).isEqualTo(0.36);
    assertThat(java.util.Collections.max(miners)).isEqualTo(0.99);
    assertThat(minersByPushes)
        .isEqualTo(
            shared
                ? Map.of(
                    "cpuminer_sha256d_tls3443_180s.pcap",
                    1,
                    "cpuminer_sha256d_tls7443_360s.pcap",
                    1)
                : Map.of());
    assertThat(benign).containsOnlyKeys("benign_rsyslog-relp_4_06.pcap");
    assertThat(benign.get("benign_rsyslog-relp_4_06.pcap"))
        .singleElement()
        .satisfies(lead -> assertThat(score(lead)).isEqualTo(0.32));
  }

  private static double score(String lead) {
    Matcher m = LEAD_SCORE.matcher(lead);
    assertThat(m.find()).as(lead).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /** The lead sentences of one capture read whole by a judge that makes leads. */
  private static List<String> leads(Path capture) throws IOException {
    List<String> leads = new ArrayList<>();
    org.minewatch.evidence.FlowEvidence sink =
        new org.minewatch.evidence.FlowEvidence() {
          @Override
          public void accept(org.minewatch.evidence.Evidence e) {
            if (e.isLead()) {
              leads.add(e.text());
            }
          }

          @Override
          public void flowEnded(org.minewatch.flow.Flow flow) {}
        };
    org.minewatch.scan.Analyzer analyzer =
        new org.minewatch.scan.Analyzer(
            org.minewatch.scan.Detectors.standard(
                new org.minewatch.intel.Intel(
                    org.minewatch.intel.PoolCatalogue.defaults(),
                    new org.minewatch.intel.AddressNames())),
            sink,
            new org.minewatch.scan.ScanStats(),
            ScanReporter.SILENT,
            org.minewatch.flow.FlowTable.DEFAULT_MAX_FLOWS,
            org.minewatch.detect.behaviour.BehaviourJudge.builtIn().withLeads());
    analyzer.startFile(capture);
    org.minewatch.capture.CaptureFile.read(
        capture,
        new org.minewatch.capture.CaptureListener() {
          @Override
          public void packet(org.minewatch.capture.Packet packet) {
            analyzer.packet(packet);
          }

          @Override
          public void malformedRecord(Path file, long record, long offset, String reason) {}
        });
    analyzer.finish();
    return leads;
  }
}
