package org.minewatch.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.minewatch.evidence.Finding;
import org.minewatch.intel.AddressNames;
import org.minewatch.intel.Intel;
import org.minewatch.intel.PoolCatalogue;
import org.minewatch.model.Protocol;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;

/**
 * Flow records alone, with no pool list: the real miner sessions and the real benign sessions of
 * {@code ../shared/corpus/real-miners}, the project's recorded benign sessions of real Debian
 * software ({@code data/benign-tls}) and the 537 captures of other protocols of the nDPI corpus,
 * each exported by softflowd as NetFlow v9 and as IPFIX into MineWatch's collector, and the real
 * sessions also through nfcapd and {@code nfdump -o csv} into the CSV reader. Counts the sessions
 * judged shaped like mining ({@code suspect}) and any stronger verdict (there must be none); the
 * real and recorded sessions also with a short active timeout (a record every 30 or 60 s). Writes
 * the table kept in docs/evaluation.md to target/evaluation-flow-shapes.md. Skips without ../shared
 * or softflowd.
 */
class FlowShapeEvaluationTest {
  private static Path shared() {
    String override = System.getProperty("minewatch.shared");
    return override != null
        ? Path.of(override)
        : Path.of("").toAbsolutePath().getParent().getParent().resolve("shared");
  }

  private static List<Path> captures(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
          .sorted()
          .toList();
    }
  }

  /** The project's own recordings of a real XMRig against its own pool (data/real-xmrig). */
  private static final Path XMRIG =
      Path.of("").toAbsolutePath().getParent().resolve("data/real-xmrig/mining");

  /** The project's own recordings of real benign TLS software (data/benign-tls). */
  private static final Path RECORDED =
      Path.of("").toAbsolutePath().getParent().resolve("data/benign-tls");

  /** "mqtt-idle 2, redis-poll 1": how many captures of each workload, from their file names. */
  private static String workloads(List<String> names) {
    java.util.Map<String, Integer> n = new java.util.TreeMap<>();
    for (String name : names) {
      String w = name.replaceFirst("^benign_", "").replaceFirst("_\\d+_\\d+\\.pcap$", "");
      n.merge(w, 1, Integer::sum);
    }
    return n.isEmpty()
        ? "none"
        : String.join(
            ", ", n.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
  }

  private static boolean installed(String program) {
    return Stream.of(System.getenv("PATH").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }

  /**
   * Per set of captures: how many had a suspect miner by shape, and any verdict stronger than
   * suspect.
   */
  private record Tally(int captures, int flagged, List<String> names, List<String> stronger) {}

  /**
   * Counts, capture by capture, the miners suspect by shape and any verdict stronger than suspect.
   */
  private static final class Counter {
    private final List<String> names = new ArrayList<>();
    private final List<String> stronger = new ArrayList<>();
    private int captures;

    void add(Path capture, List<Finding> findings) {
      captures++;
      boolean any = false;
      for (Finding f : findings) {
        if (f.verdict() != Verdict.SUSPECT) {
          stronger.add(capture.getFileName() + ": " + f.host() + " " + f.verdict().label());
        }
        any |= f.role() == Role.MINER && f.protocol() == Protocol.MINING_BEHAVIOUR;
      }
      if (any) {
        names.add(capture.getFileName().toString());
      }
    }

    Tally tally() {
      return new Tally(captures, names.size(), names, stronger);
    }
  }

  private static Tally tally(SoftflowdExporter exporter, List<Path> captures) throws Exception {
    Intel intel = new Intel(PoolCatalogue.defaults(), new AddressNames());
    Counter counter = new Counter();
    for (Path c : captures) {
      counter.add(c, exporter.findings(c, intel));
    }
    return counter.tally();
  }

  @Test
  void minersOfUnknownPoolsAreSuspectFromTheirFlowRecordsAlone() throws Exception {
    Path real = shared().resolve("corpus/real-miners");
    Path other = shared().resolve("corpus/ndpi/other");
    assumeTrue(
        Files.isDirectory(real) && Files.isDirectory(other), "skipped: ../shared/corpus is absent");
    assumeTrue(
        installed("softflowd"), "skipped: softflowd is not installed (apt-get install softflowd)");
    List<Path> others = captures(other);
    StringBuilder table =
        new StringBuilder(
            "| export | real miner sessions suspect | recorded XMRig sessions suspect"
                + " (data/real-xmrig) | real benign sessions suspect | "
                + "recorded benign sessions suspect (data/benign-tls) | other captures ("
                + others.size()
                + ") with a suspect | stronger than suspect |\n|---|---|---|---|---|---|---|\n");
    List<String> failures = new ArrayList<>();
    for (String version : List.of("9", "10")) {
      try (SoftflowdExporter exporter =
          new SoftflowdExporter(Files.createTempFile("softflowd", ".pid"), version)) {
        Tally mining = tally(exporter, captures(real.resolve("mining")));
        Tally xmrig = tally(exporter, captures(XMRIG));
        Tally benign = tally(exporter, captures(real.resolve("benign")));
        Tally recorded = tally(exporter, captures(RECORDED));
        Tally rest = tally(exporter, others);
        table.append(
            String.format(
                Locale.ROOT,
                "| softflowd %s | %d of %d | %d of %d | %d of %d (%s) | %d of %d (%s) | %d (%.1f%%)"
                    + " | %d |%n",
                version.equals("9") ? "NetFlow v9" : "IPFIX",
                mining.flagged(),
                mining.captures(),
                xmrig.flagged(),
                xmrig.captures(),
                benign.flagged(),
                benign.captures(),
                String.join(", ", benign.names()),
                recorded.flagged(),
                recorded.captures(),
                workloads(recorded.names()),
                rest.flagged(),
                100.0 * rest.flagged() / rest.captures(),
                mining.stronger().size()
                    + xmrig.stronger().size()
                    + benign.stronger().size()
                    + recorded.stronger().size()
                    + rest.stronger().size()));
        if (mining.flagged() * 10 < mining.captures() * 8) {
          failures.add(
              version
                  + ": only "
                  + mining.flagged()
                  + " of "
                  + mining.captures()
                  + " miners: missed "
                  + captures(real.resolve("mining")).stream()
                      .map(p -> p.getFileName().toString())
                      .filter(n -> !mining.names().contains(n))
                      .toList());
        }
        if (xmrig.flagged() * 10 < xmrig.captures() * 8) {
          failures.add("recorded XMRig: only " + xmrig.flagged() + " of " + xmrig.captures());
        }
        failures.addAll(mining.stronger());
        failures.addAll(xmrig.stronger());
        failures.addAll(benign.stronger());
        failures.addAll(recorded.stronger());
        failures.addAll(rest.stronger());
      }
    }
    for (String maxlife : List.of("60", "30")) {
      // A short active timeout: a long connection in a record every 30 or 60 s. Reading a capture,
      // softflowd expires flows only between batches of -m packets, hence -m 4. Not run on the
      // other captures: with room for 4 flows, softflowd would cut their many flows short.
      try (SoftflowdExporter exporter =
          new SoftflowdExporter(
              Files.createTempFile("softflowd", ".pid"),
              "10",
              List.of("-m", "4", "-t", "maxlife=" + maxlife))) {
        Tally mining = tally(exporter, captures(real.resolve("mining")));
        Tally xmrig = tally(exporter, captures(XMRIG));
        Tally benign = tally(exporter, captures(real.resolve("benign")));
        Tally recorded = tally(exporter, captures(RECORDED));
        table.append(
            String.format(
                Locale.ROOT,
                "| softflowd IPFIX, active timeout %s s (`-t maxlife=%s -m 4`) | %d of %d | %d of %d"
                    + " | %d of %d (%s) | %d of %d (%s) | not run | %d |%n",
                maxlife,
                maxlife,
                mining.flagged(),
                mining.captures(),
                xmrig.flagged(),
                xmrig.captures(),
                benign.flagged(),
                benign.captures(),
                String.join(", ", benign.names()),
                recorded.flagged(),
                recorded.captures(),
                workloads(recorded.names()),
                mining.stronger().size()
                    + xmrig.stronger().size()
                    + benign.stronger().size()
                    + recorded.stronger().size()));
        if (mining.flagged() * 10 < mining.captures() * 8) {
          failures.add(
              "maxlife " + maxlife + ": only " + mining.flagged() + " of " + mining.captures());
        }
        if (xmrig.flagged() * 10 < xmrig.captures() * 8) {
          failures.add("recorded XMRig: only " + xmrig.flagged() + " of " + xmrig.captures());
        }
        failures.addAll(mining.stronger());
        failures.addAll(xmrig.stronger());
        failures.addAll(benign.stronger());
        failures.addAll(recorded.stronger());
      }
    }
    if (org.minewatch.testkit.exporters.NfdumpExport.installed()) {
      // The path an ISP's archive takes: softflowd -> nfcapd files -> nfdump -o csv, read as `scan`
      // reads it.
      Tally mining = nfdumpTally(captures(real.resolve("mining")));
      Tally benign = nfdumpTally(captures(real.resolve("benign")));
      table.append(
          String.format(
              Locale.ROOT,
              "| softflowd NetFlow v9 -> nfcapd -> nfdump CSV | %d of %d | not run | %d of %d (%s) "
                  + "| not run | not run (three processes per capture) | %d |%n",
              mining.flagged(),
              mining.captures(),
              benign.flagged(),
              benign.captures(),
              String.join(", ", benign.names()),
              mining.stronger().size() + benign.stronger().size()));
      if (mining.flagged() * 10 < mining.captures() * 8) {
        failures.add("nfdump: only " + mining.flagged() + " of " + mining.captures() + " miners");
      }
      failures.addAll(mining.stronger());
      failures.addAll(benign.stronger());
    }
    System.out.print(table);
    Files.writeString(Path.of("target/evaluation-flow-shapes.md"), table);
    assertThat(failures).as(table.toString()).isEmpty();
  }

  /**
   * Each capture through softflowd (NetFlow v9) into nfcapd, then {@code nfdump -o csv}, then the
   * CSV reader.
   */
  private static Tally nfdumpTally(List<Path> captures) throws Exception {
    Path dir = Files.createTempDirectory("nfdump-eval");
    Counter counter = new Counter();
    for (Path c : captures) {
      Path csv = org.minewatch.testkit.exporters.NfdumpExport.csvOf(c, dir);
      if (csv == null) {
        counter.add(c, List.of());
        continue;
      }
      Intel intel = new Intel(PoolCatalogue.defaults(), new AddressNames());
      org.minewatch.evidence.EvidenceAggregator aggregator =
          new org.minewatch.evidence.EvidenceAggregator();
      org.minewatch.flowrecord.FlowRecordAnalyzer flows =
          new org.minewatch.flowrecord.FlowRecordAnalyzer(
              intel, new org.minewatch.logs.LogAnalyzer(intel, aggregator, "nfdump"));
      try (var in = Files.newBufferedReader(csv)) {
        org.minewatch.flowrecord.NfdumpCsv.read(csv.toString(), in, flows::record, problem -> {});
      }
      flows.finish();
      counter.add(c, aggregator.findings());
    }
    return counter.tally();
  }
}
