package org.minewatch.capture;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Classic libpcap files: both byte orders, micro- and nanosecond timestamps. A record header
 * that cannot be right (a length beyond any snap length) leaves no way to find the next record,
 * so it ends the file; a record cut short by the end of the file ends it too. Both are reported.
 */
public final class PcapReader {
  static final int MAGIC_MICROS = 0xa1b2c3d4;
  static final int MAGIC_NANOS = 0xa1b23c4d;
  private static final int GLOBAL_HEADER = 24;
  private static final int RECORD_HEADER = 16;
  /** Largest record accepted; libpcap itself refuses records above 256 KiB for most link types. */
  static final int MAX_RECORD = 256 * 1024 * 4;

  private PcapReader() {}

  public static boolean matches(int magicBigEndian) {
    return magicBigEndian == MAGIC_MICROS || magicBigEndian == MAGIC_NANOS
        || magicBigEndian == Integer.reverseBytes(MAGIC_MICROS)
        || magicBigEndian == Integer.reverseBytes(MAGIC_NANOS);
  }

  /** Reads every record; returns the number of packets delivered. */
  public static long read(Path file, CaptureInput in, CaptureListener listener) throws IOException {
    int at = in.window(0, GLOBAL_HEADER);
    if (at < 0) {
      throw new CaptureFormatException(file, "pcap global header is cut short");
    }
    byte[] b = in.array();
    int magic = Bytes.be32(b, at);
    boolean swap = magic == Integer.reverseBytes(MAGIC_MICROS) || magic == Integer.reverseBytes(MAGIC_NANOS);
    int m = swap ? Integer.reverseBytes(magic) : magic;
    if (m != MAGIC_MICROS && m != MAGIC_NANOS) {
      throw new CaptureFormatException(file, "not a pcap file");
    }
    boolean nanos = m == MAGIC_NANOS;
    int linkType = get(b, at + 20, swap) & 0x0fff_ffff; // upper bits carry FCS length
    Packet packet = new Packet();
    long offset = GLOBAL_HEADER;
    long record = 0;
    long delivered = 0;
    while (true) {
      int h = in.window(offset, RECORD_HEADER);
      if (h < 0) {
        long left = in.remaining(offset, RECORD_HEADER);
        if (left > 0) {
          listener.malformedRecord(file, record + 1, offset,
              "record header cut short: " + left + " of 16 bytes before the end of the file");
        }
        return delivered;
      }
      record++;
      b = in.array();
      long seconds = get(b, h, swap) & 0xffff_ffffL;
      long fraction = get(b, h + 4, swap) & 0xffff_ffffL;
      int captured = get(b, h + 8, swap);
      int wire = get(b, h + 12, swap);
      if (captured < 0 || captured > MAX_RECORD) {
        listener.malformedRecord(file, record, offset, "record header gives a captured length of "
            + Integer.toUnsignedString(captured) + " bytes (at most " + MAX_RECORD
            + " accepted); the rest of the file cannot be located and is skipped");
        return delivered;
      }
      int d = in.window(offset + RECORD_HEADER, captured);
      if (d < 0) {
        long left = in.remaining(offset + RECORD_HEADER, captured);
        listener.malformedRecord(file, record, offset, "record cut short: " + left + " of "
            + captured + " captured bytes before the end of the file");
        return delivered;
      }
      // An out-of-range fraction (seen in fuzzed files) only skews the time; the record is kept.
      long ts = seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1000L);
      packet.set(in.array(), d, captured, Math.max(wire, captured), ts, linkType, record, offset);
      listener.packet(packet);
      delivered++;
      offset += RECORD_HEADER + captured;
    }
  }

  private static int get(byte[] b, int index, boolean swap) {
    return Bytes.i32(b, index, swap);
  }
}
