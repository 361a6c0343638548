package org.minewatch.attribution.geo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds small ip2region xdb files (version 2, vector index) for tests: a 256-byte header, the 256
 * × 256 vector index of (first, last) segment pointers per /16, the region strings, then 14-byte
 * segment records (start, end, data length, data pointer), all little-endian. Gaps between the
 * given ranges are filled with the unknown region so that every /16 has segments, as in ip2region's
 * own databases.
 */
final class XdbFiles {
  static final String UNKNOWN = "0|0|0|0|0";
  private static final int HEADER = 256;
  private static final int VECTOR = 256 * 256 * 8;

  private XdbFiles() {}

  /** One range of IPv4 addresses (as unsigned ints in longs) and its region string. */
  record Range(long start, long end, String region) {}

  static byte[] build(List<Range> sorted) {
    List<Range> full = new ArrayList<>();
    long next = 0;
    for (Range r : sorted) {
      if (r.start() > next) {
        full.add(new Range(next, r.start() - 1, UNKNOWN));
      }
      full.add(r);
      next = r.end() + 1;
    }
    if (next <= 0xffff_ffffL) {
      full.add(new Range(next, 0xffff_ffffL, UNKNOWN));
    }
    // Split at /16 boundaries: each segment lies in one vector-index cell.
    List<Range> segments = new ArrayList<>();
    for (Range r : full) {
      long s = r.start();
      while (s <= r.end()) {
        long cellEnd = s | 0xffffL;
        long e = Math.min(cellEnd, r.end());
        segments.add(new Range(s, e, r.region()));
        s = e + 1;
      }
    }
    Map<String, Integer> dataPtr = new LinkedHashMap<>();
    int dataStart = HEADER + VECTOR;
    int at = dataStart;
    for (Range r : segments) {
      if (!dataPtr.containsKey(r.region())) {
        dataPtr.put(r.region(), at);
        at += r.region().getBytes(StandardCharsets.UTF_8).length;
      }
    }
    int indexStart = at;
    ByteBuffer b =
        ByteBuffer.allocate(indexStart + segments.size() * 14).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort(0, (short) 2)
        .putShort(2, (short) 1)
        .putInt(4, 0)
        .putInt(8, indexStart)
        .putInt(12, indexStart + (segments.size() - 1) * 14);
    for (Map.Entry<String, Integer> e : dataPtr.entrySet()) {
      b.put(e.getValue(), e.getKey().getBytes(StandardCharsets.UTF_8));
    }
    for (int i = 0; i < segments.size(); i++) {
      Range r = segments.get(i);
      int p = indexStart + i * 14;
      byte[] region = r.region().getBytes(StandardCharsets.UTF_8);
      b.putInt(p, (int) r.start())
          .putInt(p + 4, (int) r.end())
          .putShort(p + 8, (short) region.length)
          .putInt(p + 10, dataPtr.get(r.region()));
      int cell = (int) (r.start() >>> 16);
      int v = HEADER + cell * 8;
      if (b.getInt(v) == 0) {
        b.putInt(v, p);
      }
      b.putInt(v + 4, p);
    }
    return b.array();
  }

  static long ip(String dotted) {
    long v = 0;
    for (String p : dotted.split("\\.")) {
      v = v << 8 | Integer.parseInt(p);
    }
    return v;
  }
}
