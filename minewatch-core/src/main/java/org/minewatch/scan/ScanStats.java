package org.minewatch.scan;

/** Counters of one scan; read by progress reports and the closing summary. */
public final class ScanStats {
  long files;
  long unreadableFiles;
  long skippedFiles;
  long packets;
  long logRecords;
  long flowRecords;
  long wireBytes;
  long malformedRecords;
  long malformedPackets;
  long notIp;
  long otherIp;
  long fragments;
  long detectorFaults;
  long flows;
  long flowsEvicted;
  long flowsEvictedClaimed;
  long flowsExpired;
  long flowsClosed;
  int peakFlows;
  long bytesNotInspectedBudget;
  long flowsCutByBudget;
  long peakBufferBytes;
  long findings;
  long startNanos = System.nanoTime();
  long endNanos;

  /** Sets the flow-table and inspection counters to the sums of a parallel scan's workers'. */
  void sumWorkers(ScanStats[] workers) {
    detectorFaults = 0;
    flows = 0;
    flowsEvicted = 0;
    flowsEvictedClaimed = 0;
    flowsExpired = 0;
    flowsClosed = 0;
    peakFlows = 0;
    bytesNotInspectedBudget = 0;
    flowsCutByBudget = 0;
    peakBufferBytes = 0;
    for (ScanStats w : workers) {
      add(w);
    }
  }

  private void add(ScanStats w) {
    detectorFaults += w.detectorFaults;
    flows += w.flows;
    flowsEvicted += w.flowsEvicted;
    flowsEvictedClaimed += w.flowsEvictedClaimed;
    flowsExpired += w.flowsExpired;
    flowsClosed += w.flowsClosed;
    peakFlows += w.peakFlows; // the workers' peaks need not coincide: an upper bound
    bytesNotInspectedBudget += w.bytesNotInspectedBudget;
    flowsCutByBudget += w.flowsCutByBudget;
    peakBufferBytes += w.peakBufferBytes;
  }

  public long files() {
    return files;
  }

  /** Files that were not captures or could not be read. */
  public long unreadableFiles() {
    return unreadableFiles;
  }

  /** Files met in directories that are not captures and do not claim to be. */
  public long skippedFiles() {
    return skippedFiles;
  }

  public long packets() {
    return packets;
  }

  /** Records read from sensor logs (Zeek, Suricata EVE). */
  public long logRecords() {
    return logRecords;
  }

  /** Flow records read from flow exports (IPFIX files, nfdump CSV). */
  public long flowRecords() {
    return flowRecords;
  }

  public long wireBytes() {
    return wireBytes;
  }

  public long malformedRecords() {
    return malformedRecords;
  }

  public long malformedPackets() {
    return malformedPackets;
  }

  public long notIp() {
    return notIp;
  }

  public long otherIp() {
    return otherIp;
  }

  public long fragments() {
    return fragments;
  }

  /** Flows a detector failed on (a defect to report); they were counted, not inspected further. */
  public long detectorFaults() {
    return detectorFaults;
  }

  public long flows() {
    return flows;
  }

  /** Flows pushed out of a full flow table, claimed ones included. */
  public long flowsEvicted() {
    return flowsEvicted;
  }

  /**
   * Flows a detector had claimed that were pushed out all the same: the table held nothing else.
   */
  public long flowsEvictedClaimed() {
    return flowsEvictedClaimed;
  }

  public long flowsExpired() {
    return flowsExpired;
  }

  public long flowsClosed() {
    return flowsClosed;
  }

  public int peakFlows() {
    return peakFlows;
  }

  /**
   * Payload dropped to keep the reassembly buffers within their budget (see {@code StreamBudget}).
   */
  public long bytesNotInspectedBudget() {
    return bytesNotInspectedBudget;
  }

  /** Flows whose inspection the buffer budget ended before a decision. */
  public long flowsCutByBudget() {
    return flowsCutByBudget;
  }

  /** The most bytes the reassembly buffers held at once. */
  public long peakBufferBytes() {
    return peakBufferBytes;
  }

  public long findings() {
    return findings;
  }

  public double seconds() {
    long end = endNanos != 0 ? endNanos : System.nanoTime();
    return (end - startNanos) / 1e9;
  }
}
