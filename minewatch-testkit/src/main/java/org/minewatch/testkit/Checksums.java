package org.minewatch.testkit;

/** The Internet checksum (RFC 1071) for IPv4 headers and TCP/UDP with their pseudo-header. */
final class Checksums {
  private Checksums() {}

  static int ones(byte[] b, int from, int len, long initial) {
    long sum = initial;
    for (int i = 0; i + 1 < len; i += 2) {
      sum += ((b[from + i] & 0xff) << 8) | (b[from + i + 1] & 0xff);
    }
    if ((len & 1) != 0) {
      sum += (b[from + len - 1] & 0xff) << 8;
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }

  static int transport(byte[] src, byte[] dst, int protocol, byte[] segment) {
    long sum = 0;
    for (int i = 0; i < src.length; i += 2) {
      sum += ((src[i] & 0xff) << 8) | (src[i + 1] & 0xff);
      sum += ((dst[i] & 0xff) << 8) | (dst[i + 1] & 0xff);
    }
    sum += protocol + segment.length;
    return ones(segment, 0, segment.length, sum);
  }
}
