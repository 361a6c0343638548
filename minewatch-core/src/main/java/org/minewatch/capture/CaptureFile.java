package org.minewatch.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.minewatch.io.ReadAheadInputStream;

/** Opens a capture file of any supported format, recognised by its content, not its name. */
public final class CaptureFile {
  private static final int GZIP_MAGIC = 0x1f8b;

  private CaptureFile() {}

  /** The formats recognised from a file's first bytes. */
  public enum Format {
    PCAP,
    PCAPNG,
    GZIP,
    UNKNOWN
  }

  public static Format sniff(byte[] head, int length) {
    if (length >= 2 && (((head[0] & 0xff) << 8) | (head[1] & 0xff)) == GZIP_MAGIC) {
      return Format.GZIP;
    }
    if (length < 4) {
      return Format.UNKNOWN;
    }
    int magic = ByteBuffer.wrap(head, 0, 4).getInt();
    if (PcapReader.matches(magic)) {
      return Format.PCAP;
    }
    if (magic == PcapngReader.SHB) {
      return Format.PCAPNG;
    }
    return Format.UNKNOWN;
  }

  /**
   * Reads one file, handing each packet to the listener.
   *
   * @return packets delivered
   * @throws CaptureFormatException if the file is not a capture; packets delivered before a fault
   *     inside the file have been handed over already and stay valid
   */
  public static long read(Path file, CaptureListener listener) throws IOException {
    byte[] head = new byte[4];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, 4);
    }
    switch (sniff(head, n)) {
      case PCAP -> {
        try (CaptureInput input = CaptureInput.file(file)) {
          return PcapReader.read(file, input, listener);
        }
      }
      case PCAPNG -> {
        try (CaptureInput input = CaptureInput.file(file)) {
          return PcapngReader.read(file, input, listener);
        }
      }
      case GZIP -> {
        return readGzip(file, listener);
      }
      default ->
          throw new CaptureFormatException(
              file,
              n == 0
                  ? "empty file"
                  : "not a capture (no pcap, pcapng or gzip magic in the first bytes)");
    }
  }

  /**
   * Reads a capture from a stream that cannot seek (a pipe, standard input), already decompressed,
   * with the same readers as a file; {@code format} was recognised from its first bytes.
   *
   * @param name how messages name the stream
   */
  public static long read(Path name, InputStream in, Format format, CaptureListener listener)
      throws IOException {
    if (format != Format.PCAP && format != Format.PCAPNG) {
      throw new CaptureFormatException(
          name, "not a capture (no pcap, pcapng or gzip magic in the first bytes)");
    }
    try (CaptureInput input = CaptureInput.stream(in)) {
      try {
        return format == Format.PCAP
            ? PcapReader.read(name, input, listener)
            : PcapngReader.read(name, input, listener);
      } catch (java.io.EOFException | java.util.zip.ZipException e) {
        listener.malformedRecord(
            name, 0, -1, "gzip stream ends early or is corrupt: " + e.getMessage());
        return 0;
      }
    }
  }

  private static long readGzip(Path file, CaptureListener listener) throws IOException {
    byte[] head = new byte[4];
    int n;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
      n = in.readNBytes(head, 0, 4);
    } catch (IOException e) {
      throw new CaptureFormatException(file, "gzip data is corrupt: " + e.getMessage());
    }
    Format inner = sniff(head, n);
    if (inner != Format.PCAP && inner != Format.PCAPNG) {
      throw new CaptureFormatException(file, "gzip file does not hold a pcap or pcapng capture");
    }
    // No BufferedInputStream on top: it would discard inflated bytes when a cut stream throws.
    // Inflated on a second core where there is one: inflating costs four to five times the
    // analysis.
    try (CaptureInput input =
        CaptureInput.stream(
            ReadAheadInputStream.of(new GZIPInputStream(Files.newInputStream(file), 1 << 16)))) {
      try {
        return inner == Format.PCAP
            ? PcapReader.read(file, input, listener)
            : PcapngReader.read(file, input, listener);
      } catch (java.io.EOFException | java.util.zip.ZipException e) {
        listener.malformedRecord(
            file, 0, -1, "gzip stream ends early or is corrupt: " + e.getMessage());
        return 0;
      }
    }
  }
}
