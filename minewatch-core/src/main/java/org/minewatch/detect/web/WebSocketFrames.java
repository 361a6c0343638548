package org.minewatch.detect.web;

/**
 * Reads WebSocket frames (RFC 6455) in place: header, length, mask. Text payloads are unmasked into
 * a reused scratch array. Only what a detector needs: no fragmentation across frames.
 */
final class WebSocketFrames {
  static final int TEXT = 1;

  /** Largest text frame read; web miners' messages are a few hundred bytes. */
  static final int MAX_PAYLOAD = 16 * 1024;

  /** Opcode and payload of the frame just read, and where the next one starts. */
  int opcode;

  boolean fin;
  byte[] payload = new byte[1024];
  int payloadLength;
  int next;

  enum Read {
    FRAME,
    INCOMPLETE,
    INVALID
  }

  Read read(byte[] d, int at, int end) {
    if (end - at < 2) {
      return Read.INCOMPLETE;
    }
    int b0 = d[at] & 0xff;
    int b1 = d[at + 1] & 0xff;
    if ((b0 & 0x70) != 0) {
      return Read.INVALID; // reserved bits: no extension is negotiated for these messages
    }
    fin = (b0 & 0x80) != 0;
    opcode = b0 & 0x0f;
    if (opcode > 2 && opcode < 8 || opcode > 10) {
      return Read.INVALID;
    }
    boolean masked = (b1 & 0x80) != 0;
    long length = b1 & 0x7f;
    int p = at + 2;
    if (length == 126) {
      if (end - p < 2) {
        return Read.INCOMPLETE;
      }
      length = (d[p] & 0xff) << 8 | (d[p + 1] & 0xff);
      p += 2;
    } else if (length == 127) {
      if (end - p < 8) {
        return Read.INCOMPLETE;
      }
      length = 0;
      for (int i = 0; i < 8; i++) {
        length = length << 8 | (d[p + i] & 0xff);
      }
      p += 8;
    }
    if (length < 0 || length > MAX_PAYLOAD) {
      return Read.INVALID;
    }
    int key = p;
    if (masked) {
      p += 4;
    }
    if (end - p < length) {
      return Read.INCOMPLETE;
    }
    int n = (int) length;
    if (payload.length < n) {
      payload = new byte[Math.max(n, payload.length * 2)];
    }
    for (int i = 0; i < n; i++) {
      payload[i] = masked ? (byte) (d[p + i] ^ d[key + (i & 3)]) : d[p + i];
    }
    payloadLength = n;
    next = p + n;
    return Read.FRAME;
  }
}
