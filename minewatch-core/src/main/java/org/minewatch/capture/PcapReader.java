package org.minewatch.capture;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Classic libpcap files: both byte orders, micro- and nanosecond timestamps. A record header that
 * cannot be right (a length beyond any snap length) leaves no way to find the next record, so it
 * ends the file; a record cut short by the end of the file ends it too. Both are reported.
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
    return magicBigEndian == MAGIC_MICROS
        || magicBigEndian == MAGIC_NANOS
        || magicBigEndian == Integer.reverseBytes(MAGIC_MICROS)
        || magicBigEndian == Integer.reverseBytes(MAGIC_NANOS);
  }

  /** Reads every record; returns the number of packets delivered. */
  public static long read(Path file, CaptureInput in, CaptureListener listener) throws IOException {
    in.arraysFrom(listener);
    int at = in.window(0, GLOBAL_HEADER);
    if (at < 0) {
      throw new CaptureFormatException(file, "pcap global header is cut short");
    }
    byte[] b = in.array();
    int magic = Bytes.be32(b, at);
    boolean swap =
        magic == Integer.reverseBytes(MAGIC_MICROS) || magic == Integer.reverseBytes(MAGIC_NANOS);
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
          listener.malformedRecord(
              file,
              record + 1,
              offset,
              "record header cut short: " + left + " of 16 bytes before the end of the file");
        }
        return delivered;
      }
      record++;
      b = in.array();
      // The four header fields, read inline: this loop runs once per packet.
      long seconds;
      long fraction;
      int captured;
      int wire;
      if (swap) {
        seconds =
            (b[h] & 0xffL)
                | (b[h + 1] & 0xffL) << 8
                | (b[h + 2] & 0xffL) << 16
                | (b[h + 3] & 0xffL) << 24;
        fraction =
            (b[h + 4] & 0xffL)
                | (b[h + 5] & 0xffL) << 8
                | (b[h + 6] & 0xffL) << 16
                | (b[h + 7] & 0xffL) << 24;
        captured =
            (b[h + 8] & 0xff) | (b[h + 9] & 0xff) << 8 | (b[h + 10] & 0xff) << 16 | b[h + 11] << 24;
        wire =
            (b[h + 12] & 0xff)
                | (b[h + 13] & 0xff) << 8
                | (b[h + 14] & 0xff) << 16
                | b[h + 15] << 24;
      } else {
        seconds =
            (b[h] & 0xffL) << 24
                | (b[h + 1] & 0xffL) << 16
                | (b[h + 2] & 0xffL) << 8
                | (b[h + 3] & 0xffL);
        fraction =
            (b[h + 4] & 0xffL) << 24
                | (b[h + 5] & 0xffL) << 16
                | (b[h + 6] & 0xffL) << 8
                | (b[h + 7] & 0xffL);
        captured =
            b[h + 8] << 24 | (b[h + 9] & 0xff) << 16 | (b[h + 10] & 0xff) << 8 | (b[h + 11] & 0xff);
        wire =
            b[h + 12] << 24
                | (b[h + 13] & 0xff) << 16
                | (b[h + 14] & 0xff) << 8
                | (b[h + 15] & 0xff);
      }
      if (captured < 0 || captured > MAX_RECORD) {
        listener.malformedRecord(
            file,
            record,
            offset,
            "record header gives a captured length of "
                + Integer.toUnsignedString(captured)
                + " bytes (at most "
                + MAX_RECORD
                + " accepted); the rest of the file cannot be located and is skipped");
        return delivered;
      }
      int d =
          h + RECORD_HEADER + captured <= in.validEnd()
              ? h + RECORD_HEADER
              : in.window(offset + RECORD_HEADER, captured);
      if (d < 0) {
        long left = in.remaining(offset + RECORD_HEADER, captured);
        listener.malformedRecord(
            file,
            record,
            offset,
            "record cut short: "
                + left
                + " of "
                + captured
                + " captured bytes before the end of the file");
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
