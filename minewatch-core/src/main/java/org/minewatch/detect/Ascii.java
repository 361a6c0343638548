package org.minewatch.detect;

/** ASCII comparisons on raw bytes, for protocol text read in place. */
public final class Ascii {
  private Ascii() {}

  /** Whether {@code d[at, to)} starts with {@code lower}, ignoring ASCII case in {@code d}. */
  public static boolean startsWithIgnoreCase(byte[] d, int at, int to, String lower) {
    if (to - at < lower.length()) {
      return false;
    }
    for (int k = 0; k < lower.length(); k++) {
      int c = d[at + k];
      if (c >= 'A' && c <= 'Z') {
        c += 'a' - 'A';
      }
      if (c != lower.charAt(k)) {
        return false;
      }
    }
    return true;
  }
}
