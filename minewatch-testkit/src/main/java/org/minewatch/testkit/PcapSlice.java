package org.minewatch.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies the part of a classic pcap file (either byte order, micro- or nanosecond timestamps) that
 * lies between two ages of the capture: a real session as a sensor sees it when it starts watching
 * mid-way (no handshake, no SYN), or when its capture ends while the session is still open.
 */
public final class PcapSlice {
  private PcapSlice() {}

  /**
   * Writes to {@code out} the header of {@code in} and every packet at least {@code fromSeconds}
   * and less than {@code toSeconds} after its first packet.
   */
  public static void slice(Path in, Path out, double fromSeconds, double toSeconds)
      throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(in));
    int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    if (Integer.reverseBytes(magic) == 0xa1b2c3d4 || Integer.reverseBytes(magic) == 0xa1b23c4d) {
      b.order(ByteOrder.BIG_ENDIAN);
      magic = Integer.reverseBytes(magic);
    }
    if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
      throw new IOException(
          in + ": not a classic pcap file (magic " + Integer.toHexString(magic) + ")");
    }
    double unit = magic == 0xa1b23c4d ? 1e9 : 1e6;
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    copy.write(b.array(), 0, 24);
    double first = Double.NaN;
    int pos = 24;
    while (pos + 16 <= b.limit()) {
      double at = (b.getInt(pos) & 0xffffffffL) + (b.getInt(pos + 4) & 0xffffffffL) / unit;
      int length = 16 + b.getInt(pos + 8);
      if (Double.isNaN(first)) {
        first = at;
      }
      if (at - first >= fromSeconds && at - first < toSeconds) {
        copy.write(b.array(), pos, Math.min(length, b.limit() - pos));
      }
      pos += length;
    }
    Files.write(out, copy.toByteArray());
  }
}
