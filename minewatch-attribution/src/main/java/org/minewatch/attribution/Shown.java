package org.minewatch.attribution;

import java.util.Locale;

/**
 * A value as a message quotes it: whole when short, else its first characters and how long it was,
 * so that a hostile file's 1 MB field is not echoed into every line that names it.
 */
public final class Shown {
  /** Characters of a value quoted in a message. */
  public static final int MAX = 80;

  private Shown() {}

  /**
   * {@code text} itself up to {@link #MAX} characters, else the first ones + "… (1,048,576
   * characters)".
   */
  public static String value(String text) {
    if (text == null || text.length() <= MAX) {
      return text;
    }
    int end =
        Character.isHighSurrogate(text.charAt(MAX - 1)) ? MAX - 1 : MAX; // never half a character
    return text.substring(0, end) + String.format(Locale.ROOT, "… (%,d characters)", text.length());
  }

  /** The value in double quotes, shortened. */
  public static String quoted(String text) {
    return "\"" + value(text) + "\"";
  }
}
