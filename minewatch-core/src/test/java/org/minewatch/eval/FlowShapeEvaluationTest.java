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
 * {@code ../shared/corpus/real-miners} and the 537 captures of other protocols of the nDPI corpus, each exported by
 * softflowd as NetFlow v9 and as IPFIX into MineWatch's collector. Counts the sessions judged shaped like mining
 * ({@code suspect}) and any stronger verdict (there must be none). Writes the table kept in docs/evaluation.md to
 * target/evaluation-flow-shapes.md. Skips without ../shared or softflowd.
 */
class FlowShapeEvaluationTest {
  private static Path shared() {
    String override = System.getProperty("minewatch.shared");
    return override != null ? Path.of(override)
        : Path.of("").toAbsolutePath().getParent().getParent().resolve("shared");
  }

  private static List<Path> captures(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).sorted().toList();
    }
  }

  private static boolean installed(String program) {
    return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }

  /** Per set of captures: how many had a suspect miner by shape, and any verdict stronger than suspect. */
  private record Tally(int captures, int flagged, List<String> names, List<String> stronger) {}

  private static Tally tally(SoftflowdExporter exporter, List<Path> captures) throws Exception {
    Intel intel = new Intel(PoolCatalogue.defaults(), new AddressNames());
    int flagged = 0;
    List<String> names = new ArrayList<>();
    List<String> stronger = new ArrayList<>();
    for (Path c : captures) {
      boolean any = false;
      for (Finding f : exporter.findings(c, intel)) {
        if (f.verdict() != Verdict.SUSPECT) {
          stronger.add(c.getFileName() + ": " + f.host() + " " + f.verdict().label());
        }
        any |= f.role() == Role.MINER && f.protocol() == Protocol.MINING_BEHAVIOUR;
      }
      if (any) {
        flagged++;
        names.add(c.getFileName().toString());
      }
    }
    return new Tally(captures.size(), flagged, names, stronger);
  }

  @Test
  void minersOfUnknownPoolsAreSuspectFromTheirFlowRecordsAlone() throws Exception {
    Path real = shared().resolve("corpus/real-miners");
    Path other = shared().resolve("corpus/ndpi/other");
    assumeTrue(Files.isDirectory(real) && Files.isDirectory(other), "skipped: ../shared/corpus is absent");
    assumeTrue(installed("softflowd"), "skipped: softflowd is not installed (apt-get install softflowd)");
    List<Path> others = captures(other);
    StringBuilder table = new StringBuilder("| export | real miner sessions suspect | real benign sessions suspect | "
        + "other captures (" + others.size() + ") with a suspect | stronger than suspect |\n|---|---|---|---|---|\n");
    List<String> failures = new ArrayList<>();
    for (String version : List.of("9", "10")) {
      try (SoftflowdExporter exporter = new SoftflowdExporter(Files.createTempFile("softflowd", ".pid"), version)) {
        Tally mining = tally(exporter, captures(real.resolve("mining")));
        Tally benign = tally(exporter, captures(real.resolve("benign")));
        Tally rest = tally(exporter, others);
        table.append(String.format(Locale.ROOT, "| softflowd %s | %d of %d | %d of %d (%s) | %d (%.1f%%) | %d |%n",
            version.equals("9") ? "NetFlow v9" : "IPFIX", mining.flagged(), mining.captures(), benign.flagged(),
            benign.captures(), String.join(", ", benign.names()), rest.flagged(),
            100.0 * rest.flagged() / rest.captures(), mining.stronger().size() + benign.stronger().size()
                + rest.stronger().size()));
        if (mining.flagged() * 10 < mining.captures() * 8) {
          failures.add(version + ": only " + mining.flagged() + " of " + mining.captures() + " miners: missed "
              + captures(real.resolve("mining")).stream().map(p -> p.getFileName().toString())
                  .filter(n -> !mining.names().contains(n)).toList());
        }
        failures.addAll(mining.stronger());
        failures.addAll(benign.stronger());
        failures.addAll(rest.stronger());
      }
    }
    System.out.print(table);
    Files.writeString(Path.of("target/evaluation-flow-shapes.md"), table);
    assertThat(failures).as(table.toString()).isEmpty();
  }
}
