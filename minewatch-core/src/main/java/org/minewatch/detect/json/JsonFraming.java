package org.minewatch.detect.json;

/**
 * Finds where a top-level JSON object ends in a byte stream, without parsing it: brace depth
 * outside strings, escapes honoured. Lets newline-delimited and back-to-back messages be split
 * alike, and rules out non-JSON streams after a few bytes.
 */
public final class JsonFraming {
  /** No complete object yet; more bytes may complete it. */
  public static final int INCOMPLETE = -1;

  /** The bytes at the start cannot be a JSON object. */
  public static final int NOT_JSON = -2;

  /** Deepest nesting accepted; mining messages stay below 5. */
  public static final int MAX_DEPTH = 32;

  private JsonFraming() {}

  /** Index of the first byte that is not JSON whitespace, or {@code end}. */
  public static int skipWhitespace(byte[] b, int at, int end) {
    while (at < end) {
      byte c = b[at];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        break;
      }
      at++;
    }
    return at;
  }

  /**
   * Given that {@code b[start]} is '{', returns the index just past its matching '}', {@link
   * #INCOMPLETE}, or {@link #NOT_JSON} (nesting too deep, control bytes outside strings).
   */
  public static int objectEnd(byte[] b, int start, int end, int maxLength) {
    int depth = 0;
    boolean inString = false;
    int limit = Math.min(end, start + maxLength);
    for (int i = start; i < limit; i++) {
      byte c = b[i];
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        } else if (c >= 0 && c < 0x20) {
          return NOT_JSON; // raw control characters are not allowed inside JSON strings
        }
        continue;
      }
      switch (c) {
        case '"' -> inString = true;
        case '{', '[' -> {
          if (++depth > MAX_DEPTH) {
            return NOT_JSON;
          }
        }
        case '}', ']' -> {
          if (--depth == 0) {
            return i + 1;
          }
          if (depth < 0) {
            return NOT_JSON;
          }
        }
        default -> {
          if (c >= 0 && c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
            return NOT_JSON;
          }
        }
      }
    }
    return end - start >= maxLength ? NOT_JSON : INCOMPLETE;
  }
}
