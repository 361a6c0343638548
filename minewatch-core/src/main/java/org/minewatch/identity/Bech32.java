package org.minewatch.identity;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/** Bech32 (BIP 173) and Bech32m (BIP 350) segwit addresses: decoding with checksum. */
final class Bech32 {
  private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  private static final int BECH32 = 1;
  private static final int BECH32M = 0x2bc830a3;

  private Bech32() {}

  /** A decoded segwit address. */
  record Segwit(String hrp, int version, byte[] program) {}

  /** Decodes a segwit address; null if the string, checksum or program is not valid. */
  static Segwit decode(String address) {
    if (address.length() < 8 || address.length() > 90) {
      return null;
    }
    boolean lower = address.equals(address.toLowerCase(Locale.ROOT));
    boolean upper = address.equals(address.toUpperCase(Locale.ROOT));
    if (!lower && !upper) {
      return null; // mixed case is not allowed
    }
    String s = address.toLowerCase(Locale.ROOT);
    int sep = s.lastIndexOf('1');
    if (sep < 1 || sep + 7 > s.length()) {
      return null;
    }
    String hrp = s.substring(0, sep);
    int[] data = new int[s.length() - sep - 1];
    for (int i = 0; i < data.length; i++) {
      int v = CHARSET.indexOf(s.charAt(sep + 1 + i));
      if (v < 0) {
        return null;
      }
      data[i] = v;
    }
    int check = polymod(hrp, data);
    int version = data[0];
    if (version > 16 || check != (version == 0 ? BECH32 : BECH32M)) {
      return null;
    }
    byte[] program = convertBits(data, 1, data.length - 6);
    if (program == null
        || program.length < 2
        || program.length > 40
        || (version == 0 && program.length != 20 && program.length != 32)) {
      return null;
    }
    return new Segwit(hrp, version, program);
  }

  private static int polymod(String hrp, int[] data) {
    int[] gen = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    int chk = 1;
    int[] values = new int[hrp.length() * 2 + 1 + data.length];
    int k = 0;
    for (int i = 0; i < hrp.length(); i++) {
      values[k++] = hrp.charAt(i) >> 5;
    }
    values[k++] = 0;
    for (int i = 0; i < hrp.length(); i++) {
      values[k++] = hrp.charAt(i) & 31;
    }
    for (int d : data) {
      values[k++] = d;
    }
    for (int v : values) {
      int top = chk >>> 25;
      chk = (chk & 0x1ffffff) << 5 ^ v;
      for (int i = 0; i < 5; i++) {
        if (((top >>> i) & 1) != 0) {
          chk ^= gen[i];
        }
      }
    }
    return chk;
  }

  /** 5-bit groups to bytes, without padding beyond 4 zero bits. */
  private static byte[] convertBits(int[] data, int from, int to) {
    int acc = 0;
    int bits = 0;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = from; i < to; i++) {
      acc = (acc << 5) | data[i];
      bits += 5;
      while (bits >= 8) {
        bits -= 8;
        out.write((acc >>> bits) & 0xff);
      }
    }
    if (bits >= 5 || ((acc << (8 - bits)) & 0xff) != 0) {
      return null;
    }
    return out.toByteArray();
  }
}
