package org.minewatch.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.minewatch.evidence.Finding;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;
import org.minewatch.scan.ScanReporter;
import org.minewatch.scan.Scanner;

/**
 * MineWatch against nDPI's own test captures and results (../shared/corpus/ndpi, LGPL-3.0). Prints
 * the table kept in docs/evaluation.md and writes it to target/evaluation.md. Skips where ../shared
 * is absent (a clone without the shared data).
 */
class CorpusEvaluationTest {
  private static Path corpus;
  private static final List<String> report = new ArrayList<>();

  @BeforeAll
  static void locate() {
    String override = System.getProperty("minewatch.shared");
    Path shared =
        override != null
            ? Path.of(override)
            : Path.of("").toAbsolutePath().getParent().getParent().resolve("shared");
    corpus = shared.resolve("corpus/ndpi");
    assumeTrue(
        Files.isDirectory(corpus.resolve("mining")) && Files.isDirectory(corpus.resolve("other")),
        "skipped: the nDPI corpus is not at "
            + corpus
            + " (../shared is only on developers' machines and in CI)");
  }

  private static List<Finding> scan(Path capture) {
    return new Scanner(ScanReporter.SILENT).scan(List.of(capture)).findings();
  }

  private static String ndpiCoin(String currency) {
    if (currency == null) {
      return null;
    }
    // nDPI writes "ZCash/Monero" when it cannot tell the two apart; MineWatch must name one of
    // them.
    return currency.toLowerCase(Locale.ROOT);
  }

  @Test
  void everyMiningFlowIsFoundWithItsMinerPoolAndCoin() throws IOException {
    List<Path> captures = new ArrayList<>(List.of(corpus.resolve("mining/mining.pcapng")));
    try (Stream<Path> s = Files.list(corpus.resolve("mining/history"))) {
      s.sorted().forEach(d -> captures.add(d.resolve("ethereum.pcap")));
    }
    List<String> rows = new ArrayList<>();
    rows.add(
        "| capture | flow (nDPI) | nDPI | MineWatch miner | MineWatch pool | coin | protocol | login | agent |");
    rows.add("|---|---|---|---|---|---|---|---|---|");
    int flows = 0;
    for (Path capture : captures) {
      NdpiResult ndpi = NdpiResult.read(Path.of(capture + ".out"));
      List<Finding> found = scan(capture);
      for (NdpiResult.Flow f : ndpi.flows()) {
        assertThat(f.mining()).as("nDPI marks every flow of %s as mining", capture).isTrue();
        flows++;
        Finding miner =
            found.stream()
                .filter(
                    x ->
                        x.role() == Role.MINER
                            && x.host().toString().equals(f.clientHost())
                            && x.peers().stream().anyMatch(e -> e.toString().equals(f.server())))
                .findFirst()
                .orElse(null);
        Finding pool =
            found.stream()
                .filter(x -> x.role() == Role.POOL && x.host().toString().equals(f.serverHost()))
                .findFirst()
                .orElse(null);
        assertThat(miner).as("miner %s in %s", f.client(), capture).isNotNull();
        assertThat(pool).as("pool %s in %s", f.server(), capture).isNotNull();
        assertThat(miner.verdict()).isEqualTo(Verdict.MINING);
        assertThat(pool.verdict()).isEqualTo(Verdict.MINING);
        assertThat(miner.coin()).as("coin of %s", f.client()).isNotNull();
        String expected = ndpiCoin(f.currency());
        if (expected != null) {
          assertThat(expected)
              .as("nDPI's currency for %s names MineWatch's coin", f.client())
              .contains(miner.coin().label());
        }
        rows.add(
            "| "
                + corpus.relativize(capture)
                + " | "
                + f.client()
                + " → "
                + f.server()
                + " | "
                + f.protocol()
                + (f.currency() != null ? " (" + f.currency() + ")" : "")
                + " | "
                + miner.host()
                + " | "
                + pool.host()
                + " | "
                + miner.coin().label()
                + " | "
                + miner.protocol().label()
                + " | "
                + cell(miner.login())
                + " | "
                + cell(miner.agent())
                + " |");
      }
    }
    assertThat(flows).isEqualTo(6);
    section("Mining flows: every one found", rows);
  }

  @Test
  void hashRateFromSharesBesideWhatEveryMinerReports() throws IOException {
    List<String> rows = new ArrayList<>();
    rows.add(
        "| capture | miner | algorithm | shares | estimate from shares [90%] | miner's own figure | power (best) |");
    rows.add("|---|---|---|---|---|---|---|");
    List<Path> captures = new ArrayList<>(List.of(corpus.resolve("mining/mining.pcapng")));
    try (Stream<Path> s = Files.list(corpus.resolve("mining/history"))) {
      s.sorted().forEach(d -> captures.add(d.resolve("ethereum.pcap")));
    }
    int withEstimate = 0;
    for (Path capture : captures) {
      for (Finding f : scan(capture)) {
        if (f.role() != Role.MINER) {
          continue;
        }
        assertThat(f.algorithm()).as("algorithm of %s", f.host()).isNotNull();
        assertThat(f.hashRate()).as("hash rate of %s", f.host()).isNotNull();
        String estimate =
            f.hashRate().tooFewShares()
                ? "too few shares"
                : String.format(
                    Locale.ROOT,
                    "%.4g %s [%.4g – %.4g]",
                    f.hashRate().value(),
                    f.hashRate().unit(),
                    f.hashRate().low(),
                    f.hashRate().high());
        if (!f.hashRate().tooFewShares()) {
          withEstimate++;
        }
        rows.add(
            "| "
                + corpus.relativize(capture)
                + " | "
                + f.host()
                + " | "
                + f.algorithm().label()
                + " | "
                + f.hashRate().shares()
                + " | "
                + estimate
                + " | "
                + (f.reportedHashrate() == null
                    ? "-"
                    : String.format(Locale.ROOT, "%.4g H/s", f.reportedHashrate()))
                + " | "
                + (f.power() == null
                    ? "-"
                    : String.format(
                        Locale.ROOT,
                        "%.0f W (%.0f – %.0f)",
                        f.power().bestWatts(),
                        f.power().lowWatts(),
                        f.power().highWatts()))
                + " |");
      }
    }
    // Monero (30 shares), Zcash (46) and the older Ethereum capture (10) carry enough shares.
    assertThat(withEstimate).isEqualTo(3);
    section("Hash rate and power of the corpus's miners", rows);
  }

  @Test
  void nodeCapturesAreNodesAndNeverMining() throws IOException {
    List<String> rows = new ArrayList<>();
    rows.add(
        "| capture | nDPI flows (Crypto_Currency) | MineWatch node findings | protocols | coins | mining or pool findings |");
    rows.add("|---|---|---|---|---|---|");
    for (String name :
        List.of("bitcoin.pcap", "monero.pcap", "ethereum.pcap", "nano.pcapng", "zug.pcap")) {
      Path capture = corpus.resolve("mining").resolve(name);
      NdpiResult ndpi = NdpiResult.read(Path.of(capture + ".out"));
      List<Finding> found = scan(capture);
      long bad =
          found.stream()
              .filter(f -> f.verdict() == Verdict.MINING || f.role() == Role.POOL)
              .count();
      assertThat(bad).as("mining or pool findings in %s", name).isZero();
      List<Finding> nodes = found.stream().filter(f -> f.verdict() == Verdict.NODE).toList();
      rows.add(
          "| mining/"
              + name
              + " | "
              + ndpi.count(NdpiResult.Flow::crypto)
              + " of "
              + ndpi.flows().size()
              + " | "
              + nodes.size()
              + " | "
              + distinct(nodes, f -> f.protocol().label())
              + " | "
              + distinct(nodes, f -> f.coin() == null ? "-" : f.coin().label())
              + " | "
              + bad
              + " |");
      assertThat(nodes).as("node findings in %s", name).isNotEmpty();
    }
    section("Blockchain node captures: nodes, never mining", rows);
  }

  @Test
  void noMiningVerdictAndNoPoolAcrossTheOtherCaptures() throws IOException {
    List<Path> captures;
    try (Stream<Path> s = Files.list(corpus.resolve("other"))) {
      captures = s.filter(p -> !p.toString().endsWith(".out")).sorted().toList();
    }
    assertThat(captures).hasSize(537);
    int ndpiMining = 0;
    int ndpiCrypto = 0;
    int mwMining = 0;
    int mwPool = 0;
    int mwNode = 0;
    int mwSuspect = 0;
    List<String> notable = new ArrayList<>();
    notable.add("| capture | nDPI | MineWatch |");
    notable.add("|---|---|---|");
    List<String> all = new ArrayList<>();
    all.add(
        "| capture | nDPI's protocols (first 5) | nDPI mining / crypto-currency flows | MineWatch findings |");
    all.add("|---|---|---|---|");
    for (Path capture : captures) {
      NdpiResult ndpi = NdpiResult.read(Path.of(capture + ".out"));
      List<Finding> found = scan(capture);
      long m = ndpi.count(NdpiResult.Flow::mining);
      long c = ndpi.count(NdpiResult.Flow::crypto);
      ndpiMining += m;
      ndpiCrypto += c;
      // "likely" (encrypted mining by its shape) counts as a mining verdict here.
      long mining =
          found.stream()
              .filter(f -> f.verdict() == Verdict.MINING || f.verdict() == Verdict.LIKELY)
              .count();
      long pools = found.stream().filter(f -> f.role() == Role.POOL).count();
      long nodes = found.stream().filter(f -> f.verdict() == Verdict.NODE).count();
      long suspects = found.stream().filter(f -> f.verdict() == Verdict.SUSPECT).count();
      mwMining += mining;
      mwPool += pools;
      mwNode += nodes;
      mwSuspect += suspects;
      String protocols =
          ndpi.flows().stream()
              .map(NdpiResult.Flow::protocol)
              .distinct()
              .limit(5)
              .collect(Collectors.joining(", "));
      all.add(
          "| "
              + capture.getFileName()
              + " | "
              + cell(protocols)
              + " | "
              + m
              + " / "
              + c
              + " | "
              + (found.isEmpty()
                  ? "none"
                  : found.stream()
                      .map(f -> f.role().label() + " " + f.verdict().label())
                      .collect(Collectors.joining(", ")))
              + " |");
      if (m + c + mining + pools + nodes + suspects > 0) {
        String nd =
            ndpi.flows().stream()
                .filter(f -> f.mining() || f.crypto())
                .map(f -> f.protocol() + " " + f.client() + " → " + f.server())
                .distinct()
                .collect(Collectors.joining("; "));
        notable.add(
            "| other/"
                + capture.getFileName()
                + " | "
                + m
                + " mining, "
                + c
                + " crypto-currency flows: "
                + nd
                + " | "
                + mining
                + " mining, "
                + pools
                + " pool, "
                + nodes
                + " node, "
                + suspects
                + " suspect findings |");
      }
    }
    List<String> rows = new ArrayList<>();
    rows.add(
        "| | captures | mining flows / verdicts | crypto-currency flows / node findings | pool findings | suspect |");
    rows.add("|---|---|---|---|---|---|");
    rows.add(
        "| nDPI | " + captures.size() + " | " + ndpiMining + " | " + ndpiCrypto + " | - | - |");
    rows.add(
        "| MineWatch | "
            + captures.size()
            + " | "
            + mwMining
            + " | "
            + mwNode
            + " | "
            + mwPool
            + " | "
            + mwSuspect
            + " |");
    rows.add("");
    rows.add("Captures where either tool reports anything:");
    rows.add("");
    rows.addAll(notable);
    section("Other protocols (537 captures): not one mining verdict", rows);
    Files.writeString(
        Path.of("target", "evaluation-other-captures.md"),
        "# nDPI and MineWatch on each of the "
            + captures.size()
            + " non-mining captures\n\nWritten by CorpusEvaluationTest; see evaluation.md.\n\n"
            + String.join("\n", all)
            + "\n",
        StandardCharsets.UTF_8);
    assertThat(mwMining).isZero();
    assertThat(mwPool).isZero();
  }

  private static String cell(String s) {
    return s == null ? "-" : s.replace("|", "\\|");
  }

  private static String distinct(
      List<Finding> fs, java.util.function.Function<Finding, String> key) {
    return fs.stream().map(key).distinct().sorted().collect(Collectors.joining(", "));
  }

  private static synchronized void section(String title, List<String> rows) throws IOException {
    report.add("### " + title);
    report.add("");
    report.addAll(rows);
    report.add("");
    String text = String.join("\n", report) + "\n";
    System.out.println("### " + title + "\n" + String.join("\n", rows));
    Path target = Path.of("target");
    Files.createDirectories(target);
    Files.writeString(target.resolve("evaluation.md"), text, StandardCharsets.UTF_8);
  }
}
