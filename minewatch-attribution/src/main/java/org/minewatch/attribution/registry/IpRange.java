package org.minewatch.attribution.registry;

import org.minewatch.model.IpAddress;

/**
 * An inclusive range of addresses of one family, written as a CIDR prefix ({@code 10.1.0.0/16},
 * {@code 2001:db8::/32}), as {@code first-last}, or as one address. IPv4 is held IPv4-mapped, like
 * every address in MineWatch.
 */
public record IpRange(IpAddress first, IpAddress last) implements Comparable<IpRange> {

  public static IpRange parse(String text) {
    String t = text.strip();
    int slash = t.indexOf('/');
    if (slash >= 0) {
      IpAddress base = IpAddress.parse(t.substring(0, slash));
      int bits;
      try {
        bits = Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("prefix length of \"" + t + "\" is not a number");
      }
      int max = base.isV4() ? 32 : 128;
      if (bits < 0 || bits > max) {
        throw new IllegalArgumentException(
            "prefix length " + bits + " of \"" + t + "\" is not within 0-" + max);
      }
      int hostBits = max - bits;
      long[] lo = mask(base, hostBits);
      IpAddress first = new IpAddress(lo[0], lo[1]);
      if (!first.equals(base)) {
        throw new IllegalArgumentException(
            "\"" + t + "\" has host bits set (the network is " + first + "/" + bits + ")");
      }
      return new IpRange(first, new IpAddress(lo[2], lo[3]));
    }
    int dash = t.indexOf('-');
    if (dash >= 0) {
      IpAddress first = IpAddress.parse(t.substring(0, dash).strip());
      IpAddress last = IpAddress.parse(t.substring(dash + 1).strip());
      if (first.isV4() != last.isV4()) {
        throw new IllegalArgumentException("\"" + t + "\" mixes IPv4 and IPv6");
      }
      if (first.compareTo(last) > 0) {
        throw new IllegalArgumentException("\"" + t + "\" ends before it starts");
      }
      return new IpRange(first, last);
    }
    IpAddress one = IpAddress.parse(t);
    return new IpRange(one, one);
  }

  /** {first.hi, first.lo, last.hi, last.lo} of the prefix with {@code hostBits} host bits. */
  private static long[] mask(IpAddress base, int hostBits) {
    long hi = base.hi();
    long lo = base.lo();
    long loMask = hostBits >= 64 ? -1L : (hostBits == 0 ? 0 : (1L << hostBits) - 1);
    long hiMask = hostBits <= 64 ? 0 : (hostBits >= 128 ? -1L : (1L << (hostBits - 64)) - 1);
    return new long[] {hi & ~hiMask, lo & ~loMask, hi | hiMask, lo | loMask};
  }

  public boolean contains(IpAddress a) {
    return first.compareTo(a) <= 0 && a.compareTo(last) <= 0;
  }

  public boolean overlaps(IpRange o) {
    return first.compareTo(o.last) <= 0 && o.first.compareTo(last) <= 0;
  }

  /** True if {@code o} lies inside this range. */
  public boolean encloses(IpRange o) {
    return first.compareTo(o.first) <= 0 && o.last.compareTo(last) <= 0;
  }

  @Override
  public int compareTo(IpRange o) {
    int c = first.compareTo(o.first);
    return c != 0 ? c : o.last.compareTo(last); // wider first among equal starts
  }

  @Override
  public String toString() {
    return first.equals(last) ? first.toString() : first + "-" + last;
  }
}
