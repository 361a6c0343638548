package org.minewatch.model;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address held as two longs, the way the decoders and the flow table keep it. IPv4
 * addresses are stored IPv4-mapped ({@code ::ffff:a.b.c.d}) so one comparison serves both.
 */
public record IpAddress(long hi, long lo) implements Comparable<IpAddress> {

  /** The upper 32 bits of {@code lo} for an IPv4-mapped address. */
  public static final long V4_MAPPED_MARK = 0x0000_ffff_0000_0000L;

  public static IpAddress ofV4(int address) {
    return new IpAddress(0L, V4_MAPPED_MARK | (address & 0xffff_ffffL));
  }

  public static boolean isV4(long hi, long lo) {
    return hi == 0L && (lo & 0xffff_ffff_0000_0000L) == V4_MAPPED_MARK;
  }

  public boolean isV4() {
    return isV4(hi, lo);
  }

  /** Parses a literal address; never looks a name up. */
  public static IpAddress parse(String text) {
    if (text.indexOf(':') < 0) {
      String[] parts = text.split("\\.", -1);
      if (parts.length != 4) {
        throw new IllegalArgumentException("not an IP address literal: " + text);
      }
      int a = 0;
      for (String p : parts) {
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
          throw new IllegalArgumentException("not an IP address literal: " + text);
        }
        int v = Integer.parseInt(p);
        if (v > 255) {
          throw new IllegalArgumentException("not an IP address literal: " + text);
        }
        a = (a << 8) | v;
      }
      return ofV4(a);
    }
    // With a colon, InetAddress parses an IPv6 literal and never resolves a name.
    if (!text.chars()
        .allMatch(c -> c == ':' || c == '.' || c == '%' || Character.digit(c, 16) >= 0)) {
      throw new IllegalArgumentException("not an IP address literal: " + text);
    }
    try {
      return fromBytes(InetAddress.getByName(text).getAddress());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address literal: " + text, e);
    }
  }

  public static IpAddress fromBytes(byte[] b) {
    if (b.length == 4) {
      return ofV4(
          ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff));
    }
    if (b.length != 16) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + b.length);
    }
    long h = 0;
    long l = 0;
    for (int i = 0; i < 8; i++) {
      h = (h << 8) | (b[i] & 0xff);
      l = (l << 8) | (b[i + 8] & 0xff);
    }
    return new IpAddress(h, l);
  }

  @Override
  public String toString() {
    return format(hi, lo);
  }

  public static String format(long hi, long lo) {
    if (isV4(hi, lo)) {
      int a = (int) lo;
      return ((a >>> 24) & 0xff)
          + "."
          + ((a >>> 16) & 0xff)
          + "."
          + ((a >>> 8) & 0xff)
          + "."
          + (a & 0xff);
    }
    int[] g = new int[8];
    for (int i = 0; i < 4; i++) {
      g[i] = (int) ((hi >>> (48 - 16 * i)) & 0xffff);
      g[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xffff);
    }
    // RFC 5952: compress the longest run (length >= 2) of zero groups, the first one on a tie.
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append(i == 0 ? "::" : ":");
        i += bestLen - 1;
        continue;
      }
      sb.append(Integer.toHexString(g[i]));
      if (i < 7) {
        sb.append(':');
      }
    }
    return sb.toString();
  }

  @Override
  public int compareTo(IpAddress o) {
    int c = Long.compareUnsigned(hi, o.hi);
    return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
  }
}
