package org.minewatch.capture;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * pcapng files (draft-ietf-opsawg-pcapng): sections in either byte order, several interfaces with
 * their own link types and timestamp resolutions, Enhanced, Simple and obsolete Packet blocks. A
 * block's length is at both of its ends, so a bad block is reported and skipped; a bad block length
 * ends the file.
 */
public final class PcapngReader {
  static final int SHB = 0x0A0D0D0A;
  private static final int IDB = 0x00000001;
  private static final int OPB = 0x00000002;
  private static final int SPB = 0x00000003;
  private static final int EPB = 0x00000006;
  private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;

  /** Blocks larger than this are taken for corruption. */
  static final int MAX_BLOCK = 64 << 20;

  private static final int OPT_IF_TSRESOL = 9;
  private static final int OPT_IF_TSOFFSET = 14;

  private PcapngReader() {}

  /** Per-interface state of the current section, in flat arrays (interfaces are few). */
  private static final class Interfaces {
    int count;
    int[] linkType = new int[4];
    int[] snapLength = new int[4];

    /** Timestamp units per second as a power: value of 10^-n when !binary[i], 2^-n otherwise. */
    int[] resolution = new int[4];

    boolean[] binary = new boolean[4];
    long[] offsetSeconds = new long[4];

    void clear() {
      count = 0;
    }

    int add(int link, int snap) {
      if (count == linkType.length) {
        int n = count * 2;
        linkType = Arrays.copyOf(linkType, n);
        snapLength = Arrays.copyOf(snapLength, n);
        resolution = Arrays.copyOf(resolution, n);
        binary = Arrays.copyOf(binary, n);
        offsetSeconds = Arrays.copyOf(offsetSeconds, n);
      }
      linkType[count] = link;
      snapLength[count] = snap;
      resolution[count] = 6;
      binary[count] = false;
      offsetSeconds[count] = 0;
      return count++;
    }

    long nanos(int i, long ts) {
      long seconds;
      long nanos;
      int n = resolution[i];
      if (binary[i]) {
        seconds = n >= 63 ? 0 : ts >>> n;
        long frac = n >= 63 ? ts : ts & ((1L << n) - 1);
        // Exact for resolutions up to 2^-32; coarser below that, which no capture tool writes.
        nanos =
            n <= 32 ? (frac * 1_000_000_000L) >>> n : ((frac >>> (n - 32)) * 1_000_000_000L) >>> 32;
      } else {
        n = Math.min(n, 18); // 10^-19 and finer do not fit a long: read as 10^-18
        long unit = POW10[n];
        seconds = Long.divideUnsigned(ts, unit);
        long frac = Long.remainderUnsigned(ts, unit);
        nanos = n <= 9 ? frac * POW10[9 - n] : frac / POW10[n - 9];
      }
      return (seconds + offsetSeconds[i]) * 1_000_000_000L + nanos;
    }
  }

  private static final long[] POW10 = new long[19];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  public static long read(Path file, CaptureInput in, CaptureListener listener) throws IOException {
    in.arraysFrom(listener);
    Packet packet = new Packet();
    Interfaces ifs = new Interfaces();
    boolean swap = false;
    boolean sawSection = false;
    long offset = 0;
    long block = 0;
    long lastTs = 0;
    long delivered = 0;
    while (true) {
      int h = in.window(offset, 12);
      if (h < 0) {
        long left = in.remaining(offset, 12);
        if (left > 0) {
          listener.malformedRecord(
              file,
              block + 1,
              offset,
              "block header cut short: " + left + " bytes before the end of the file");
        }
        if (!sawSection) {
          throw new CaptureFormatException(file, "pcapng section header is cut short");
        }
        return delivered;
      }
      block++;
      byte[] b = in.array();
      int type = Bytes.be32(b, h);
      if (type == SHB) {
        int magic = Bytes.be32(b, h + 8);
        if (magic == BYTE_ORDER_MAGIC) {
          swap = false;
        } else if (magic == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
          swap = true;
        } else {
          if (!sawSection) {
            throw new CaptureFormatException(file, "not a pcapng file (bad byte-order magic)");
          }
          listener.malformedRecord(
              file,
              block,
              offset,
              "section header with a bad byte-order magic; the rest of the file is skipped");
          return delivered;
        }
        sawSection = true;
        ifs.clear();
      } else if (!sawSection) {
        throw new CaptureFormatException(file, "not a pcapng file (no section header first)");
      } else {
        type = swap ? Integer.reverseBytes(type) : type;
      }
      int length = get(b, h + 4, swap);
      if (length < 12 || (length & 3) != 0 || length > MAX_BLOCK) {
        listener.malformedRecord(
            file,
            block,
            offset,
            "block length "
                + Integer.toUnsignedString(length)
                + " is not valid; the rest of the file cannot be located and is skipped");
        return delivered;
      }
      int d = in.window(offset, length);
      if (d < 0) {
        long left = in.remaining(offset, length);
        listener.malformedRecord(
            file,
            block,
            offset,
            "block cut short: " + left + " of " + length + " bytes before the end of the file");
        return delivered;
      }
      b = in.array();
      if (get(b, d + length - 4, swap) != length) {
        listener.malformedRecord(
            file,
            block,
            offset,
            "trailing block length differs from the leading one; block skipped");
        offset += length;
        continue;
      }
      switch (type) {
        case IDB -> {
          if (length < 20) {
            listener.malformedRecord(file, block, offset, "interface description block too short");
            break;
          }
          int link = getShort(b, d + 8, swap);
          int i = ifs.add(link, get(b, d + 12, swap));
          readInterfaceOptions(b, d + 16, d + length - 4, swap, ifs, i);
        }
        case EPB, OPB -> {
          if (length < 32) {
            listener.malformedRecord(
                file, block, offset, "packet block too short (" + length + " bytes)");
            break;
          }
          int iface = type == EPB ? get(b, d + 8, swap) : getShort(b, d + 8, swap);
          long ts =
              ((get(b, d + 12, swap) & 0xffff_ffffL) << 32) | (get(b, d + 16, swap) & 0xffff_ffffL);
          int captured = get(b, d + 20, swap);
          int wire = get(b, d + 24, swap);
          if (iface < 0 || iface >= ifs.count) {
            listener.malformedRecord(
                file,
                block,
                offset,
                "packet names interface " + iface + " but the section describes " + ifs.count);
            break;
          }
          if (captured < 0 || captured > length - 32) {
            listener.malformedRecord(
                file,
                block,
                offset,
                "captured length " + Integer.toUnsignedString(captured) + " exceeds the block");
            break;
          }
          lastTs = ifs.nanos(iface, ts);
          packet.set(
              b,
              d + 28,
              captured,
              Math.max(captured, wire),
              lastTs,
              ifs.linkType[iface],
              block,
              offset);
          listener.packet(packet);
          delivered++;
        }
        case SPB -> {
          if (ifs.count == 0) {
            listener.malformedRecord(
                file, block, offset, "simple packet block before any interface");
            break;
          }
          int wire = get(b, d + 8, swap);
          int room = length - 16;
          // 0 means no limit; so, in effect, does an unsigned snap length of 2^31 or more.
          int snap = ifs.snapLength[0] <= 0 ? room : ifs.snapLength[0];
          int captured = Math.min(Math.min(wire < 0 ? room : wire, snap), room);
          packet.set(
              b,
              d + 12,
              captured,
              Math.max(captured, wire),
              lastTs,
              ifs.linkType[0],
              block,
              offset);
          listener.packet(packet);
          delivered++;
        }
        default -> {
          // Name resolution, statistics, custom and unknown blocks carry no packets.
        }
      }
      offset += length;
    }
  }

  private static void readInterfaceOptions(
      byte[] b, int at, int end, boolean swap, Interfaces ifs, int i) {
    while (at + 4 <= end) {
      int code = getShort(b, at, swap);
      int len = getShort(b, at + 2, swap);
      if (code == 0 || at + 4 + len > end) {
        return;
      }
      if (code == OPT_IF_TSRESOL && len >= 1) {
        int v = b[at + 4] & 0xff;
        ifs.binary[i] = (v & 0x80) != 0;
        ifs.resolution[i] = v & 0x7f;
      } else if (code == OPT_IF_TSOFFSET && len >= 8) {
        ifs.offsetSeconds[i] = Bytes.i64(b, at + 4, swap);
      }
      at += 4 + ((len + 3) & ~3);
    }
  }

  private static int get(byte[] b, int index, boolean swap) {
    return Bytes.i32(b, index, swap);
  }

  private static int getShort(byte[] b, int index, boolean swap) {
    return Bytes.u16(b, index, swap);
  }
}
