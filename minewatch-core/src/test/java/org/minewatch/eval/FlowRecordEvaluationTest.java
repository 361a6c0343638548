package org.minewatch.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.minewatch.evidence.Finding;
import org.minewatch.intel.AddressNames;
import org.minewatch.intel.BlockList;
import org.minewatch.intel.Intel;
import org.minewatch.intel.PoolCatalogue;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;
import org.minewatch.scan.ScanReporter;
import org.minewatch.scan.Scanner;

/**
 * The corpus as flow records only: softflowd exports every capture as IPFIX into MineWatch's
 * collector, and the pools the packet scan found are the block list, as a province would sweep its
 * flows for the pools one site's captures revealed. Prints the table kept in docs/evaluation.md and
 * writes it to target/evaluation-flows.md. Skips without ../shared or softflowd.
 */
class FlowRecordEvaluationTest {

  private static Path corpus() {
    String override = System.getProperty("minewatch.shared");
    Path shared =
        override != null
            ? Path.of(override)
            : Path.of("").toAbsolutePath().getParent().getParent().resolve("shared");
    return shared.resolve("corpus/ndpi");
  }

  private static boolean installed(String program) {
    return Stream.of(System.getenv("PATH").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }

  @Test
  void flowRecordsFindTheMinersOfThePoolsThePacketsRevealedAndNothingElse() throws Exception {
    Path corpus = corpus();
    assumeTrue(
        Files.isDirectory(corpus.resolve("other")), "skipped: the nDPI corpus is not at " + corpus);
    assumeTrue(
        installed("softflowd"), "skipped: softflowd is not installed (apt-get install softflowd)");
    List<Path> mining = new ArrayList<>(List.of(corpus.resolve("mining/mining.pcapng")));
    try (Stream<Path> s = Files.list(corpus.resolve("mining/history"))) {
      s.sorted().forEach(d -> mining.add(d.resolve("ethereum.pcap")));
    }
    List<Path> others;
    try (Stream<Path> s = Files.list(corpus.resolve("other"))) {
      others = s.filter(p -> !p.toString().endsWith(".out")).sorted().toList();
    }
    // What the packets show: the miners, and the pools they mine on.
    Set<String> packetMiners = new TreeSet<>();
    StringBuilder pools = new StringBuilder();
    for (Path capture : mining) {
      for (Finding f : new Scanner(ScanReporter.SILENT).scan(List.of(capture)).findings()) {
        if (f.verdict() == Verdict.MINING && f.role() == Role.MINER) {
          packetMiners.add(f.host().toString());
        } else if (f.verdict() == Verdict.MINING && f.role() == Role.POOL) {
          pools.append(f.host()).append('\n');
        }
      }
    }
    PoolCatalogue catalogue = PoolCatalogue.defaults();
    catalogue.addListed(
        BlockList.read(new java.io.StringReader(pools.toString()), "packet-scan pools"));
    Intel intel = new Intel(catalogue, new AddressNames());

    Set<String> flowMiners = new TreeSet<>();
    List<String> falsePositives = new ArrayList<>();
    long miningRecords;
    long otherRecords;
    try (SoftflowdExporter exporter =
        new SoftflowdExporter(Files.createTempFile("softflowd", ".pid"), "10")) {
      for (Path capture : mining) {
        exporter.findings(capture, new Intel(catalogue, new AddressNames())).stream()
            .filter(
                f ->
                    f.role() == Role.MINER
                        && f.protocol() != org.minewatch.model.Protocol.MINING_BEHAVIOUR)
            .forEach(f -> flowMiners.add(f.host().toString()));
      }
      miningRecords = exporter.records();
      for (Path capture : others) {
        for (Finding f : exporter.findings(capture, intel)) {
          if (f.protocol() == org.minewatch.model.Protocol.MINING_BEHAVIOUR) {
            continue; // shapes on no list are FlowShapeEvaluationTest's; this is the pools the
            // packets revealed
          }
          falsePositives.add(
              "other/" + capture.getFileName() + ": " + f.host() + " " + f.role().label());
        }
      }
      otherRecords = exporter.records() - miningRecords;
    }
    List<String> rows = new ArrayList<>();
    rows.add(
        "| input | mining hosts (packet scan) | found from flow records | findings on the "
            + others.size()
            + " other captures |");
    rows.add("|---|---|---|---|");
    rows.add(
        "| IPFIX from softflowd ("
            + miningRecords
            + " records of the mining captures, "
            + otherRecords
            + " of the others) | "
            + packetMiners.size()
            + " | "
            + flowMiners.stream().filter(packetMiners::contains).count()
            + " ("
            + String.join(", ", flowMiners)
            + ") | "
            + falsePositives.size()
            + " |");
    String table = String.join("\n", rows) + "\n";
    System.out.println(table);
    Files.writeString(Path.of("target/evaluation-flows.md"), table);
    assertThat(packetMiners).hasSize(3);
    assertThat(flowMiners).isEqualTo(packetMiners);
    assertThat(falsePositives).isEmpty();
  }
}
