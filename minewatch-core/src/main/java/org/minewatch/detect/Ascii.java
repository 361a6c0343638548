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

  /** Whether {@code lower} (lower-case ASCII) occurs in {@code d[at, to)}, ignoring case. */
  public static boolean containsIgnoreCase(byte[] d, int at, int to, String lower) {
    int first = lower.charAt(0);
    for (int i = at; i + lower.length() <= to; i++) {
      int c = d[i];
      if (c >= 'A' && c <= 'Z') {
        c += 'a' - 'A';
      }
      // The first byte decides most positions; only then compare the rest.
      if (c == first && startsWithIgnoreCase(d, i, to, lower)) {
        return true;
      }
    }
    return false;
  }
}
