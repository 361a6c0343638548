package org.minewatch.detect.stratum;

import org.minewatch.detect.json.JsonFraming;
import org.minewatch.detect.json.JsonTree;

/**
 * Walks the JSON objects in a byte range, newline-delimited or back to back, the way Stratum peers
 * write them. Reusable; one instance per caller.
 */
final class JsonMessages {
  /**
   * Largest message accepted; Stratum messages are far smaller, getblocktemplate replies are not
   * read.
   */
  static final int MAX_MESSAGE = 16 * 1024;

  enum Step {
    MESSAGE,
    INCOMPLETE,
    NOT_JSON,
    END
  }

  private byte[] data;
  private int pos;
  private int end;

  /** Start of the last message returned. */
  int start;

  Object value;

  void reset(byte[] data, int offset, int length) {
    this.data = data;
    this.pos = offset;
    this.end = offset + length;
  }

  int position() {
    return pos;
  }

  /** Moves past the next newline, to resynchronise after bytes that are not JSON. */
  boolean skipLine() {
    for (int i = pos; i < end; i++) {
      if (data[i] == '\n') {
        pos = i + 1;
        return true;
      }
    }
    return false;
  }

  /**
   * Like {@link #skipLine()} but only over text (printable ASCII, UTF-8, tab, CR).
   *
   * @return 1 if moved past a newline, 0 if the text runs to the end, -1 at a binary byte
   */
  int skipTextLine() {
    for (int i = pos; i < end; i++) {
      byte c = data[i];
      if (c == '\n') {
        pos = i + 1;
        return 1;
      }
      if ((c >= 0 && c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
        return -1;
      }
    }
    return 0;
  }

  Step next() {
    int at = JsonFraming.skipWhitespace(data, pos, end);
    if (at == end) {
      pos = at;
      return Step.END;
    }
    if (data[at] != '{') {
      pos = at;
      return Step.NOT_JSON;
    }
    int stop = JsonFraming.objectEnd(data, at, end, MAX_MESSAGE);
    if (stop == JsonFraming.INCOMPLETE) {
      pos = at;
      return Step.INCOMPLETE;
    }
    if (stop == JsonFraming.NOT_JSON) {
      pos = at;
      return Step.NOT_JSON;
    }
    try {
      value = JsonTree.parse(data, at, stop - at);
    } catch (JsonTree.JsonException e) {
      pos = at;
      return Step.NOT_JSON;
    }
    start = at;
    pos = stop;
    return Step.MESSAGE;
  }
}
