package org.minewatch.capture;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The capture readers on arbitrary bytes (docs/fuzzing.md). Their contract: a file that is not a
 * capture is a {@link CaptureFormatException}; a fault inside one is reported through the listener
 * with a record number and offset, and every packet delivered lies inside the reader's buffer.
 * Nothing else may escape.
 */
class CaptureFuzzTest {
  private static final Path FILE = Path.of("fuzz.cap");

  /** Checks every packet against the buffer it is a view of. */
  private static final class Checker implements CaptureListener {
    @Override
    public void packet(Packet p) {
      if (p.offset() < 0
          || p.capturedLength() < 0
          || p.offset() + p.capturedLength() > p.buffer().length
          || p.wireLength() < p.capturedLength()) {
        throw new AssertionError(
            "packet outside its buffer: offset "
                + p.offset()
                + ", captured "
                + p.capturedLength()
                + ", wire "
                + p.wireLength()
                + ", buffer "
                + p.buffer().length);
      }
    }

    @Override
    public void malformedRecord(Path file, long recordNumber, long fileOffset, String reason) {
      if (reason == null || reason.isBlank() || recordNumber < 1 || fileOffset < -1) {
        throw new AssertionError(
            "fault without a place or reason: #" + recordNumber + "@" + fileOffset);
      }
    }
  }

  @FuzzTest(maxDuration = "20s")
  void pcap(byte[] data) throws IOException {
    try (CaptureInput in = CaptureInput.stream(new ByteArrayInputStream(data))) {
      PcapReader.read(FILE, in, new Checker());
    } catch (CaptureFormatException e) {
      // not a capture: the documented answer
    }
  }

  @FuzzTest(maxDuration = "20s")
  void pcapng(byte[] data) throws IOException {
    try (CaptureInput in = CaptureInput.stream(new ByteArrayInputStream(data))) {
      PcapngReader.read(FILE, in, new Checker());
    } catch (CaptureFormatException e) {
      // not a capture: the documented answer
    }
  }
}
