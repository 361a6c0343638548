package org.minewatch.testkit;

import java.io.ByteArrayOutputStream;

/**
 * Builds NetFlow v5, v9 and IPFIX export messages byte by byte, for tests of the flow-record
 * decoders. Fields are written big-endian as the RFCs define them; lengths that a test wants wrong
 * can be patched in the returned array.
 */
public final class ExportMessages {
  private ExportMessages() {}

  /** A growing big-endian buffer. */
  public static final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public Bytes u8(int v) {
      out.write(v);
      return this;
    }

    public Bytes u16(int v) {
      out.write(v >>> 8);
      out.write(v);
      return this;
    }

    public Bytes u32(long v) {
      u16((int) (v >>> 16));
      return u16((int) v);
    }

    public Bytes u64(long v) {
      u32(v >>> 32);
      return u32(v);
    }

    public Bytes ipv4(String dotted) {
      for (String p : dotted.split("\\.")) {
        out.write(Integer.parseInt(p));
      }
      return this;
    }

    public Bytes bytes(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    public int size() {
      return out.size();
    }

    public byte[] toByteArray() {
      return out.toByteArray();
    }
  }

  /** One NetFlow v5 record's values. */
  public record V5Flow(
      String src,
      String dst,
      int srcPort,
      int dstPort,
      int protocol,
      long packets,
      long bytes,
      long firstUptimeMillis,
      long lastUptimeMillis,
      int tcpFlags) {}

  /** A NetFlow v5 datagram: header (uptime, export time, sequence) and the records. */
  public static byte[] v5(long uptimeMillis, long unixSeconds, long sequence, V5Flow... flows) {
    Bytes b =
        new Bytes()
            .u16(5)
            .u16(flows.length)
            .u32(uptimeMillis)
            .u32(unixSeconds)
            .u32(0)
            .u32(sequence)
            .u8(0)
            .u8(0)
            .u16(0);
    for (V5Flow f : flows) {
      b.ipv4(f.src())
          .ipv4(f.dst())
          .ipv4("0.0.0.0")
          .u16(1)
          .u16(2)
          .u32(f.packets())
          .u32(f.bytes())
          .u32(f.firstUptimeMillis())
          .u32(f.lastUptimeMillis())
          .u16(f.srcPort())
          .u16(f.dstPort())
          .u8(0)
          .u8(f.tcpFlags())
          .u8(f.protocol())
          .u8(0)
          .u16(0)
          .u16(0)
          .u8(24)
          .u8(24)
          .u16(0);
    }
    return b.toByteArray();
  }

  /** A v9 or IPFIX set (flowset): id, length, body, padded to four bytes. */
  public static byte[] set(int id, byte[] body) {
    int pad = (4 - body.length % 4) % 4;
    return new Bytes()
        .u16(id)
        .u16(4 + body.length + pad)
        .bytes(body)
        .bytes(new byte[pad])
        .toByteArray();
  }

  /**
   * A template record: id, then (element, length) pairs; an element above 0xffff is (enterprise <<
   * 16 | id).
   */
  public static byte[] template(int id, long... elementsAndLengths) {
    Bytes b = new Bytes().u16(id).u16(elementsAndLengths.length / 2);
    for (int i = 0; i < elementsAndLengths.length; i += 2) {
      long element = elementsAndLengths[i];
      if (element > 0xffff) {
        b.u16((int) (element & 0x7fff) | 0x8000)
            .u16((int) elementsAndLengths[i + 1])
            .u32(element >>> 16);
      } else {
        b.u16((int) element).u16((int) elementsAndLengths[i + 1]);
      }
    }
    return b.toByteArray();
  }

  /** A NetFlow v9 datagram: header and the given flowsets. */
  public static byte[] v9(
      long uptimeMillis, long unixSeconds, long sequence, long sourceId, byte[]... sets) {
    Bytes b =
        new Bytes()
            .u16(9)
            .u16(sets.length)
            .u32(uptimeMillis)
            .u32(unixSeconds)
            .u32(sequence)
            .u32(sourceId);
    for (byte[] s : sets) {
      b.bytes(s);
    }
    return b.toByteArray();
  }

  /**
   * An IPFIX message defining template 256 of domain 0 with {@code fields} 4-byte fields (elements
   * 100 up, of enterprise {@code enterprise} when it is not 0): the start of a template flood, see
   * {@link #redefine}.
   */
  public static byte[] floodTemplate(long exportSeconds, int fields, long enterprise) {
    long[] pairs = new long[fields * 2];
    for (int i = 0; i < fields; i++) {
      pairs[2 * i] = enterprise != 0 ? enterprise << 16 | 100 + i : 100 + i;
      pairs[2 * i + 1] = 4;
    }
    return ipfix(exportSeconds, 0, 0, set(2, template(256, pairs)));
  }

  /**
   * Makes a {@link #floodTemplate} message define template {@code n}'s own (domain, id): 60,000 ids
   * per domain.
   */
  public static void redefine(byte[] m, long n) {
    long domain = n / 60_000;
    int id = 256 + (int) (n % 60_000);
    m[12] = (byte) (domain >>> 24);
    m[13] = (byte) (domain >>> 16);
    m[14] = (byte) (domain >>> 8);
    m[15] = (byte) domain;
    m[20] = (byte) (id >>> 8);
    m[21] = (byte) id;
  }

  /** An IPFIX message: header (length filled in) and the given sets. */
  public static byte[] ipfix(long exportSeconds, long sequence, long domain, byte[]... sets) {
    int length = 16;
    for (byte[] s : sets) {
      length += s.length;
    }
    Bytes b = new Bytes().u16(10).u16(length).u32(exportSeconds).u32(sequence).u32(domain);
    for (byte[] s : sets) {
      b.bytes(s);
    }
    return b.toByteArray();
  }
}
