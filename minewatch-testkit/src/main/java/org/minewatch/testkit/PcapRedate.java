package org.minewatch.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Copies a classic pcap file (either byte order, micro- or nanosecond timestamps) so that its first
 * packet falls in the second of a given instant (fractions of a second are kept) and every other
 * keeps its distance from it: a real capture seen again "today", for tests of what happens when
 * mining shows up anew.
 */
public final class PcapRedate {
  private PcapRedate() {}

  public static void redate(Path in, Path out, Instant firstPacket) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(in));
    int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
      b.order(ByteOrder.LITTLE_ENDIAN);
    } else if (Integer.reverseBytes(magic) == 0xa1b2c3d4
        || Integer.reverseBytes(magic) == 0xa1b23c4d) {
      b.order(ByteOrder.BIG_ENDIAN);
    } else {
      throw new IOException(
          in + ": not a classic pcap file (magic " + Integer.toHexString(magic) + ")");
    }
    Long shift = null;
    int pos = 24;
    while (pos + 16 <= b.limit()) {
      long sec = b.getInt(pos) & 0xffffffffL;
      if (shift == null) {
        shift = firstPacket.getEpochSecond() - sec;
      }
      b.putInt(pos, (int) (sec + shift));
      pos += 16 + b.getInt(pos + 8);
    }
    Files.write(out, b.array());
  }
}
