package org.minewatch.attribution.registry;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.minewatch.attribution.Shown;

/**
 * RFC 4180 records read line by line, so that one malformed quote costs one record, not the rest of
 * the file. A quoted field may span lines, at most {@link #MAX_LINES} of them: a quote still open
 * after that many lines, or at the end of the file, is a fault of the record's first line alone,
 * and reading goes on at the line after it. Text between a closing quote and the next comma makes
 * the record a fault too; its quotes did close, so the record is skipped whole. Fields are stripped
 * of surrounding blanks; a quote inside an unquoted field is taken as it is.
 */
final class CsvRecords {
  /**
   * Lines a quoted field may span: an address over a few lines fits, a stray quote costs little.
   */
  static final int MAX_LINES = 16;

  /** One record, or why the record starting at {@code line} was skipped. */
  record Item(long line, List<String> fields, String fault) {}

  private final BufferedReader in;

  /**
   * Lines read but not yet consumed (a record being read, or lines to read again after a fault).
   */
  private final List<String> ahead = new ArrayList<>();

  /** The line number of {@code ahead.get(0)}, or of the next line read. */
  private long lineNumber;

  private List<String> header = List.of();

  CsvRecords(BufferedReader in, long firstLine) {
    this.in = in;
    this.lineNumber = firstLine;
  }

  /** Names fields in fault messages. */
  void header(List<String> names) {
    header = names;
  }

  /** The next record or fault; null at the end. Blank lines between records are skipped. */
  Item next() throws IOException {
    String first;
    while ((first = line(0)) != null && first.isBlank()) {
      consume(1);
    }
    if (first == null) {
      return null;
    }
    long start = lineNumber;
    List<String> fields = new ArrayList<>();
    StringBuilder value = new StringBuilder();
    String fault = null;
    int li = 0;
    String s = first;
    int i = 0;
    while (true) {
      int j = i;
      while (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
        j++;
      }
      int end;
      if (j < s.length() && s.charAt(j) == '"') {
        int field = fields.size() + 1;
        int openColumn = j + 1;
        value.setLength(0);
        i = j + 1;
        while (true) {
          if (i == s.length()) {
            String more = li + 1 < MAX_LINES ? line(li + 1) : null;
            if (more == null) {
              consume(1);
              return new Item(
                  start,
                  null,
                  "the quote opening field "
                      + name(field)
                      + " at column "
                      + openColumn
                      + (li + 1 < MAX_LINES
                          ? " is not closed by the end of the file"
                          : " is not closed within " + MAX_LINES + " lines")
                      + "; the line is skipped and reading goes on with the next");
            }
            value.append('\n');
            li++;
            s = more;
            i = 0;
            continue;
          }
          char c = s.charAt(i);
          if (c == '"') {
            if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
              value.append('"');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          value.append(c);
          i++;
        }
        end = s.indexOf(',', i);
        if (end < 0) {
          end = s.length();
        }
        String after = s.substring(i, end);
        if (!after.isBlank() && fault == null) {
          fault =
              "text after the closing quote of field "
                  + name(field)
                  + ": "
                  + Shown.quoted(after.strip())
                  + " (a quote inside a quoted field is written twice); the record is skipped";
        }
        fields.add(value.toString().strip());
      } else {
        end = s.indexOf(',', i);
        if (end < 0) {
          end = s.length();
        }
        fields.add(s.substring(i, end).strip());
      }
      if (end == s.length()) {
        break;
      }
      i = end + 1;
    }
    consume(li + 1);
    return fault != null ? new Item(start, null, fault) : new Item(start, fields, null);
  }

  private String name(int field) {
    return field <= header.size()
        ? field + " (" + Shown.quoted(header.get(field - 1)) + ")"
        : String.valueOf(field);
  }

  /** Line {@code index} after the first unconsumed one, reading it if needed; null past the end. */
  private String line(int index) throws IOException {
    while (ahead.size() <= index) {
      String l = in.readLine();
      if (l == null) {
        return null;
      }
      ahead.add(l);
    }
    return ahead.get(index);
  }

  private void consume(int lines) {
    ahead.subList(0, lines).clear();
    lineNumber += lines;
  }
}
