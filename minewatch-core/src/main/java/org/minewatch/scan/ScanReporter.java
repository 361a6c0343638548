package org.minewatch.scan;

/** Where a scan tells a person about faults and progress while it runs. */
public interface ScanReporter {
  /** One line about a fault in the input: a file, a record or a packet. */
  void problem(String line);

  /** Called now and then during long scans. */
  default void progress(ScanStats stats, String currentFile) {}

  ScanReporter SILENT = line -> {};
}
