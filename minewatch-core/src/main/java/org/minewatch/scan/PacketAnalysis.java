package org.minewatch.scan;

import java.nio.file.Path;
import org.minewatch.capture.CaptureListener;

/** The packet pipeline as the scanner drives it: one analyzer, or several on worker threads. */
interface PacketAnalysis extends CaptureListener {
  /** The file whose packets come next, for fault reports. */
  void startFile(Path file);

  /** Reports the faults of the current file that were only counted. */
  void finishFile();

  /** Ends every flow still open: the end of the input. */
  void finish();

  /**
   * Brings the evidence of every packet given so far into the aggregator, before other inputs
   * (logs, flow records) add theirs directly.
   */
  default void drain() {}

  /** Brings the flow counters of the statistics up to date. */
  void updateStats();
}
