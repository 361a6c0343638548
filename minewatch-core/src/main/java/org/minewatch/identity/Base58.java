package org.minewatch.identity;

import java.math.BigInteger;
import java.util.Arrays;

/** Base58 as Bitcoin writes it, and Monero's block-wise variant of the same alphabet. */
final class Base58 {
  static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final int[] INDEX = new int[128];
  private static final BigInteger BASE = BigInteger.valueOf(58);

  /** Monero: bytes in a final partial block, by its length in characters (-1: impossible). */
  private static final int[] MONERO_BLOCK_BYTES = {0, -1, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8};

  static {
    Arrays.fill(INDEX, -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      INDEX[ALPHABET.charAt(i)] = i;
    }
  }

  private Base58() {}

  /**
   * Bitcoin Base58: a big number, with each leading '1' a leading zero byte. Null if not Base58.
   */
  static byte[] decode(String s) {
    if (s.isEmpty()) {
      return null;
    }
    BigInteger n = BigInteger.ZERO;
    int zeros = 0;
    boolean leading = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int d = c < 128 ? INDEX[c] : -1;
      if (d < 0) {
        return null;
      }
      if (leading && d == 0) {
        zeros++;
      } else {
        leading = false;
      }
      n = n.multiply(BASE).add(BigInteger.valueOf(d));
    }
    byte[] body = n.signum() == 0 ? new byte[0] : n.toByteArray();
    int skip = body.length > 0 && body[0] == 0 ? 1 : 0;
    byte[] out = new byte[zeros + body.length - skip];
    System.arraycopy(body, skip, out, zeros, body.length - skip);
    return out;
  }

  /** Monero Base58: 8-byte blocks as 11 characters, a shorter last block. Null if not valid. */
  static byte[] decodeMonero(String s) {
    int full = s.length() / 11;
    int rest = s.length() % 11;
    if (MONERO_BLOCK_BYTES[rest] < 0) {
      return null;
    }
    byte[] out = new byte[full * 8 + MONERO_BLOCK_BYTES[rest]];
    for (int b = 0; b <= full; b++) {
      int chars = b < full ? 11 : rest;
      int bytes = b < full ? 8 : MONERO_BLOCK_BYTES[rest];
      if (chars == 0) {
        break;
      }
      BigInteger n = BigInteger.ZERO;
      for (int i = 0; i < chars; i++) {
        char c = s.charAt(b * 11 + i);
        int d = c < 128 ? INDEX[c] : -1;
        if (d < 0) {
          return null;
        }
        n = n.multiply(BASE).add(BigInteger.valueOf(d));
      }
      if (n.bitLength() > bytes * 8) {
        return null; // the block overflows its byte count
      }
      byte[] v = n.toByteArray();
      int len = Math.min(v.length, bytes);
      System.arraycopy(v, v.length - len, out, b * 8 + bytes - len, len);
    }
    return out;
  }
}
