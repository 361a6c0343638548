package org.minewatch.capture;

import java.nio.file.Path;

/** Receives the packets of a capture and the faults found while reading it. */
public interface CaptureListener {

  void packet(Packet packet);

  /**
   * A record that could not be read. The reader reports each fault once and goes on with the next
   * record where the format allows it, otherwise with the next file.
   */
  void malformedRecord(Path file, long recordNumber, long fileOffset, String reason);
}
