package org.minewatch.capture;

/**
 * Big- and little-endian reads from byte arrays. Plain shifts: as fast as a view under C2 and
 * several times faster than {@code ByteBuffer} accessors under C1, which short scans run on.
 */
public final class Bytes {
  private Bytes() {}

  public static int u8(byte[] b, int i) {
    return b[i] & 0xff;
  }

  public static int be16(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }

  public static int be32(byte[] b, int i) {
    return (b[i] << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
  }

  public static long be64(byte[] b, int i) {
    return ((long) be32(b, i) << 32) | (be32(b, i + 4) & 0xffff_ffffL);
  }

  public static int le16(byte[] b, int i) {
    return (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8);
  }

  public static int le32(byte[] b, int i) {
    return (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8) | ((b[i + 2] & 0xff) << 16) | (b[i + 3] << 24);
  }

  public static long le64(byte[] b, int i) {
    return (le32(b, i) & 0xffff_ffffL) | ((long) le32(b, i + 4) << 32);
  }

  /** A 32-bit read in the given byte order. */
  public static int i32(byte[] b, int i, boolean littleEndian) {
    return littleEndian ? le32(b, i) : be32(b, i);
  }

  public static int u16(byte[] b, int i, boolean littleEndian) {
    return littleEndian ? le16(b, i) : be16(b, i);
  }

  public static long i64(byte[] b, int i, boolean littleEndian) {
    return littleEndian ? le64(b, i) : be64(b, i);
  }
}
