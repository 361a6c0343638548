package org.minewatch.detect.behaviour;

/** Whether a connection's first bytes are unreadable: a TLS record, or binary rather than text. */
public final class Opaque {
  /** Bytes looked at, and how many of them must be outside printable ASCII for binary. */
  private static final int LOOK = 16;

  private static final int NON_TEXT = 4;

  private Opaque() {}

  public static boolean looksOpaque(byte[] b, int offset, int length) {
    if (length >= 3
        && b[offset] == 0x16
        && b[offset + 1] == 0x03
        && (b[offset + 2] & 0xff) <= 0x04) {
      return true; // a TLS handshake record
    }
    int nonText = 0;
    int end = offset + Math.min(length, LOOK);
    for (int i = offset; i < end; i++) {
      int c = b[i] & 0xff;
      if ((c < 0x20 && c != '\r' && c != '\n' && c != '\t') || c >= 0x7f) {
        nonText++;
      }
    }
    return nonText >= NON_TEXT;
  }
}
