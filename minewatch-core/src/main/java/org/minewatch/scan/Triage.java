package org.minewatch.scan;

import java.nio.file.Path;
import org.minewatch.capture.Packet;
import org.minewatch.decode.DecodedPacket;
import org.minewatch.decode.PacketDecoder;

/**
 * The first step of the packet pipeline: decodes a packet, counts it, and reports it if it is
 * malformed, so that only packets with a transport header go on to the flow table. Faults are
 * reported one by one up to {@link #REPORT_PER_FILE} per file and counted after that.
 */
final class Triage {
  /** Faults reported one by one per file; the rest are counted. */
  static final int REPORT_PER_FILE = 5;

  private final ScanStats stats;
  private final ScanReporter reporter;
  private Path file;
  private int reportedInFile;
  private long unreportedInFile;

  Triage(ScanStats stats, ScanReporter reporter) {
    this.stats = stats;
    this.reporter = reporter;
  }

  /** The file whose packets come next, for fault reports. */
  void startFile(Path next) {
    finishFile();
    this.file = next;
    this.reportedInFile = 0;
    this.unreportedInFile = 0;
  }

  Path file() {
    return file;
  }

  /** Reports the faults of the current file that were only counted. */
  void finishFile() {
    if (unreportedInFile > 0) {
      reporter.problem(
          file
              + ": "
              + unreportedInFile
              + " more malformed packets or flow faults (not listed one by one)");
    }
    unreportedInFile = 0;
  }

  /**
   * Decodes {@code p} into {@code decoded} and counts it; true if it has a transport header (a
   * first fragment too) and goes on to the flow table.
   */
  boolean admit(Packet p, DecodedPacket decoded) {
    stats.packets++;
    stats.wireBytes += p.wireLength();
    PacketDecoder.decode(p, decoded);
    switch (decoded.status()) {
      case TRANSPORT -> {
        if (decoded.fragment()) {
          stats.fragments++; // a first fragment: its transport header is still inspected
        }
        return true;
      }
      case MALFORMED -> {
        stats.malformedPackets++;
        fault(p, "malformed packet: " + decoded.problem());
        return false;
      }
      case NOT_IP -> {
        stats.notIp++;
        return false;
      }
      default -> {
        stats.otherIp++;
        if (decoded.fragment()) {
          stats.fragments++;
        }
        return false;
      }
    }
  }

  /** Reports a fault of a packet (or of the flow it belongs to), or counts it past the limit. */
  void fault(Packet p, String what) {
    if (reportedInFile < REPORT_PER_FILE) {
      reportedInFile++;
      reporter.problem(
          file + ": record " + p.recordNumber() + " at byte " + p.fileOffset() + ": " + what);
    } else {
      unreportedInFile++;
    }
  }

  /** A record the capture reader could not read; always reported. */
  void malformedRecord(Path f, long recordNumber, long fileOffset, String reason) {
    stats.malformedRecords++;
    reporter.problem(
        f
            + ": record "
            + recordNumber
            + (fileOffset >= 0 ? " at byte " + fileOffset : "")
            + ": "
            + reason);
  }
}
