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

  /**
   * An array of at least {@code minLength} bytes for the reader to read the capture's next bytes
   * into, or null (the default) to have it reuse its one array, so that a packet is valid only
   * during the call that hands it over. A listener that keeps packets past that call (a parallel
   * scan hands them to other threads by reference) supplies fresh arrays: the reader then never
   * writes again over bytes it has given packets from (it may still read on into the unused tail of
   * the array it was given last).
   */
  default byte[] freshArray(int minLength) {
    return null;
  }
}
