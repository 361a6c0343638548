package org.minewatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Argument checks a command makes before any work: a number out of its range or an output file that
 * cannot be written is said in one line naming the option, so that it shows at once, not after a
 * scan has run or a collector's time has elapsed.
 */
final class Checks {
  /**
   * The most flows a table may track: the table costs about 180 bytes a flow (docs/design.md), so
   * this is 3 GB of heap; beyond 2^29 its slot array could not even be allocated.
   */
  static final int MAX_FLOWS = 1 << 24;

  /** --for: a year, far more than any run, and far from overflowing nanoseconds. */
  static final long MAX_SECONDS = 365L * 24 * 3600;

  /** --stats-every: a day. */
  static final int MAX_STATS_EVERY = 24 * 3600;

  private Checks() {}

  /** The first of {@code problems} that is not null, or null: options are told one at a time. */
  static String first(String... problems) {
    for (String p : problems) {
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  /** Null if {@code min <= value <= max}, else "OPTION VALUE is out of range: MIN..MAX UNIT". */
  static String range(String option, long value, long min, long max, String unit) {
    if (value >= min && value <= max) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "%s %d is out of range: it must be %,d to %,d%s",
        option,
        value,
        min,
        max,
        unit.isEmpty() ? "" : " " + unit);
  }

  /**
   * Null if {@code file} can be written (created in an existing folder, or replaced), else why not.
   * Standard output's {@code -} and devices such as /dev/null or /dev/full pass; what fails while
   * writing is reported then.
   */
  static String output(String option, Path file) {
    if (file == null) {
      return null;
    }
    String at = option + " " + file + ": ";
    if (Files.isDirectory(file)) {
      return at + "is a directory";
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      return at
          + (Files.exists(parent)
              ? parent + " is not a directory"
              : "the directory " + parent + " does not exist");
    }
    if (Files.exists(file)
        ? !Files.isWritable(file)
        : parent != null && !Files.isWritable(parent)) {
      return at + "permission denied";
    }
    return null;
  }
}
