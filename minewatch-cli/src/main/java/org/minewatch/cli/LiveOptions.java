package org.minewatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.minewatch.intel.PoolCatalogue;
import picocli.CommandLine.Option;

/**
 * The options every live command shares (picocli mixin): output, pool intelligence, counters, time
 * limit.
 */
final class LiveOptions {
  @Option(
      names = {"-f", "--format"},
      defaultValue = "text",
      paramLabel = "FORMAT",
      description = "Findings on stdout as they are made: text (default) or jsonl.")
  String format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "At the stop, write every finding here as " + "JSON lines.")
  Path output;

  @Option(
      names = "--intel-dir",
      paramLabel = "DIR",
      description =
          "Imported block lists to use (default: $MINEWATCH_HOME/intel or ~/.minewatch/intel).")
  Path intelDir;

  @Option(
      names = "--stats-every",
      defaultValue = "60",
      paramLabel = "SECONDS",
      description =
          "Counters on stderr this often, up to a day; 0 for none (default: ${DEFAULT-VALUE}).")
  long statsEvery;

  @Option(
      names = "--for",
      paramLabel = "SECONDS",
      description = "Stop after this long (1 s to a year); without it, run until interrupted.")
  Long seconds;

  /** Null if the options are usable, else the message. */
  String problem() {
    if (!format.equals("text") && !format.equals("jsonl")) {
      return "unknown format: " + format + " (text or jsonl)";
    }
    String wrong =
        Checks.range("--stats-every", statsEvery, 0, Checks.MAX_STATS_EVERY, "seconds (0: none)");
    if (wrong == null && seconds != null) {
      wrong = Checks.range("--for", seconds, 1, Checks.MAX_SECONDS, "seconds");
    }
    return wrong != null ? wrong : Checks.output("--output", output);
  }

  /** How long to run; 0 for until interrupted. */
  long seconds() {
    return seconds == null ? 0 : seconds;
  }

  boolean json() {
    return format.equals("jsonl");
  }

  /** The built-in catalogue with the imported block lists; their bad lines go to {@code err}. */
  PoolCatalogue catalogue(PrintStream err) throws IOException {
    PoolCatalogue catalogue = PoolCatalogue.defaults();
    for (String problem :
        IntelDirectory.loadInto(
            catalogue, intelDir != null ? intelDir : IntelDirectory.defaultDirectory())) {
      err.println("minewatch: " + problem);
    }
    return catalogue;
  }
}
