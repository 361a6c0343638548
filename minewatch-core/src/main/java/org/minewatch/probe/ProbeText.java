package org.minewatch.probe;

/**
 * Text a probed server chose, made safe to print and store: ISO control characters, Unicode format
 * characters (bidirectional overrides, zero-width characters) and the line and paragraph separators
 * U+2028/U+2029 are written as a backslash, "u" and four hex digits, so an answer cannot move a
 * terminal's cursor, clear its screen, reorder what a reader sees or start a line of its own; and
 * its length is capped. The probe's own words pass unchanged, so applying it twice changes nothing.
 */
public final class ProbeText {
  /** Longest piece of a server's text kept (a result, an error, an algorithm, a preview). */
  public static final int MAX_ITEM = 80;

  /** Longest record of one connection's exchange. */
  public static final int MAX_EXCHANGE = 512;

  private ProbeText() {}

  /** {@code s} escaped, at most {@link #MAX_ITEM} characters (the last a "…" if it was cut). */
  public static String item(String s) {
    return escape(s, MAX_ITEM);
  }

  /** {@code s} escaped, at most {@link #MAX_EXCHANGE} characters. */
  public static String exchange(String s) {
    return escape(s, MAX_EXCHANGE);
  }

  /** {@code s} escaped, whatever its length. */
  public static String escape(String s) {
    return escape(s, Integer.MAX_VALUE);
  }

  /**
   * Escaped, and cut to at most {@code max} characters, the last of them "…", if longer; null stays
   * null.
   */
  public static String escape(String s, int max) {
    if (s == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 8);
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      int n = Character.charCount(c);
      String piece = unsafe(c) ? String.format("\\u%04x", c) : s.substring(i, i + n);
      boolean last = i + n >= s.length();
      if (b.length() + piece.length() > (last ? max : max - 1)) {
        return b.append('…').toString();
      }
      b.append(piece);
      i += n;
    }
    return b.toString();
  }

  private static boolean unsafe(int c) {
    return Character.isISOControl(c)
        || Character.getType(c) == Character.FORMAT
        || c == 0x2028
        || c == 0x2029;
  }
}
