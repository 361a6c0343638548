package org.minewatch.attribution.registry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.minewatch.attribution.JsonReasons;
import org.minewatch.attribution.Notices;
import org.minewatch.attribution.Shown;

/**
 * Reads address allocations, the ISP and filing records a regulator holds, from CSV (UTF-8, a
 * header line, at least {@code range,unit,code,category,region_code,region,address,contact}, in any
 * order) or JSON (an array of objects with the same keys, or one object per line). A record that
 * cannot be used (malformed quoting or JSON, no range that can be read, no unit name) is reported
 * with its file, line (and, in JSON, column) and reason; every other record is kept. What is wrong
 * beside the range (a mistyped credit code, a region code of the wrong shape or province, an
 * unknown category, no address) is a warning, and the unit and its ranges are imported all the
 * same: an address attributed to its unit without a credit code is worth more than one attributed
 * to nobody. Messages are kept up to {@link Notices#SHOWN_PER_KIND} per kind, then counted.
 */
public final class RegistryImport {
  public static final List<String> COLUMNS =
      List.of("range", "unit", "code", "category", "region_code", "region", "address", "contact");
  private static final JsonFactory JSON = new JsonFactory();

  // Kinds of messages, as the line counting those beyond the first few names them.
  private static final String BAD_QUOTES = "records with a malformed quote; skipped";
  private static final String BAD_SHAPE =
      "records whose fields do not match the header; not imported";
  private static final String BAD_JSON = "places where the JSON is not valid; skipped";
  private static final String NOT_OBJECT = "elements that are not objects; skipped";
  private static final String NO_RANGE = "records without a range; not imported";
  private static final String BAD_RANGE = "records whose range cannot be read; not imported";
  private static final String NO_UNIT = "records without a unit; not imported";
  private static final String BAD_CODE =
      "records whose credit code fails its check; imported without it";
  private static final String NO_CATEGORY = "records without a category; imported as unknown";
  private static final String BAD_CATEGORY =
      "records with an unknown category; imported as unknown";
  private static final String BAD_REGION =
      "records whose region code is not 6 digits; imported without it";
  private static final String REGION_MISMATCH =
      "records whose credit code and region code disagree; both kept";
  private static final String NO_ADDRESS = "records without an address; imported";

  private RegistryImport() {}

  /**
   * The records that could be used, what was wrong with the others, and what was amiss in records
   * kept; each list holds the first messages of each kind and then a line per kind counting the
   * rest.
   */
  public record Result(
      List<Allocation> allocations, List<String> problems, List<String> warnings) {}

  public static Result read(Path file) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(in, file.toString());
    }
  }

  public static Result read(Reader reader, String source) throws IOException {
    PushbackReader in = new PushbackReader(reader, 1);
    long firstLine = 1;
    int c;
    do {
      c = in.read();
      firstLine += c == '\n' ? 1 : 0;
    } while (c == '\uFEFF' || (c >= 0 && Character.isWhitespace(c)));
    if (c >= 0) {
      in.unread(c);
    }
    Sink sink = new Sink(source);
    if (c == '[' || c == '{') {
      readJson(in, firstLine, sink);
    } else {
      readCsv(new BufferedReader(in, 1 << 16), firstLine, sink);
    }
    return new Result(sink.out, sink.problems.lines(), sink.warnings.lines());
  }

  /** Where the records and messages of one file go. */
  private static final class Sink {
    final String source;
    final List<Allocation> out = new ArrayList<>();
    final Notices problems;
    final Notices warnings;

    Sink(String source) {
      this.source = source;
      this.problems = new Notices(source + ": ");
      this.warnings = new Notices(source + ": ");
    }
  }

  private static void readCsv(BufferedReader in, long firstLine, Sink sink) throws IOException {
    CsvRecords csv = new CsvRecords(in, firstLine);
    CsvRecords.Item head = csv.next();
    if (head == null) {
      return;
    }
    String at = sink.source + ": line " + head.line() + ": ";
    if (head.fields() == null) {
      sink.problems.add(BAD_QUOTES, at + "the header: " + head.fault());
      return;
    }
    List<String> names = head.fields();
    Map<String, Integer> columns = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).toLowerCase(Locale.ROOT);
      if (columns.putIfAbsent(name, i) != null && COLUMNS.contains(name)) {
        sink.problems.add(BAD_SHAPE, at + "the header names " + name + " twice");
        return;
      }
    }
    List<String> missing = COLUMNS.stream().filter(k -> !columns.containsKey(k)).toList();
    if (!missing.isEmpty()) {
      sink.problems.add(
          BAD_SHAPE,
          at
              + "the header lacks "
              + String.join(", ", missing)
              + " (wanted "
              + String.join(",", COLUMNS)
              + ")");
      return;
    }
    csv.header(names);
    CsvRecords.Item r;
    while ((r = csv.next()) != null) {
      String where = sink.source + ": line " + r.line() + ": ";
      if (r.fields() == null) {
        sink.problems.add(BAD_QUOTES, where + r.fault());
        continue;
      }
      if (r.fields().size() != names.size()) {
        int n = r.fields().size();
        sink.problems.add(
            BAD_SHAPE, () -> where + n + " fields where the header names " + names.size());
        continue;
      }
      Map<String, String> row = new HashMap<>();
      for (String k : COLUMNS) {
        row.put(k, r.fields().get(columns.get(k)));
      }
      take(row, sink, where, r.line(), 0);
    }
  }

  /**
   * Reads each element on its own, so that a broken one is reported at its own line and column and
   * the others are kept: after a syntax error, reading resumes at the next '{' past the error.
   */
  private static void readJson(Reader in, long firstLine, Sink sink) throws IOException {
    char[] text = readAll(in);
    Lines lines = new Lines(text, firstLine);
    int pos = skipBlanks(text, 0);
    boolean array = text[pos] == '[';
    if (array) {
      pos++;
    }
    int element = 0;
    boolean expectElement = true;
    // After a bad element reading resumes at the next '{': an array's own ']' may then have been
    // passed over.
    boolean skipped = false;
    while (true) {
      pos = skipBlanks(text, pos);
      if (pos >= text.length) {
        if (array && !(skipped && endsWith(text, ']'))) {
          sink.problems.add(
              BAD_JSON,
              sink.source
                  + ": the array is not closed by the end of the file (is the file "
                  + "cut short?); the elements before were read");
        }
        return;
      }
      char c = text[pos];
      if (array && c == ']') {
        int after = skipBlanks(text, pos + 1);
        if (after < text.length) {
          sink.problems.add(
              BAD_JSON,
              sink.source + ": " + lines.at(after) + ": text after the array's end; not read");
        }
        return;
      }
      if (!expectElement) {
        if (array && c == ',') {
          pos++;
          expectElement = true;
          continue;
        }
        if (!array && c == '{') {
          expectElement = true;
          continue;
        }
        int next = nextObject(text, pos + 1);
        sink.problems.add(
            BAD_JSON,
            sink.source
                + ": "
                + lines.at(pos)
                + ": expected "
                + (array ? "',' or ']'" : "'{'")
                + " after element "
                + element
                + ", found "
                + describe(c)
                + resumed(lines, text, next));
        pos = next;
        expectElement = true;
        skipped = true;
        continue;
      }
      element++;
      int start = pos;
      String at = sink.source + ": " + lines.at(start) + ": ";
      if (c != '{' && c != '[' && c != '"') {
        // A bare number or literal: Jackson wants a separator after one at the root, so it is
        // passed over here.
        int end = start;
        while (end < text.length
            && ",]}{[\"".indexOf(text[end]) < 0
            && !Character.isWhitespace(text[end])) {
          end++;
        }
        String token = new String(text, start, end - start);
        int n = element;
        sink.problems.add(
            NOT_OBJECT,
            () ->
                at
                    + "element "
                    + n
                    + " is "
                    + Shown.value(token)
                    + ", not an object; "
                    + "skipped");
        pos = end;
        expectElement = false;
        continue;
      }
      JsonParser p = JSON.createParser(text, start, text.length - start);
      try (p) {
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_OBJECT) {
          Map<String, String> row = new HashMap<>();
          while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName().toLowerCase(Locale.ROOT);
            JsonToken v = p.nextToken();
            if (v.isScalarValue() && v != JsonToken.VALUE_NULL) {
              row.put(name, p.getValueAsString());
            } else {
              p.skipChildren();
            }
          }
          take(row, sink, at, lines.line(start), lines.column(start));
        } else {
          String kind = t == JsonToken.START_ARRAY ? "an array" : "a string";
          sink.problems.add(
              NOT_OBJECT, at + "element " + element + " is " + kind + ", not an object; skipped");
          p.skipChildren();
        }
        pos = start + (int) p.currentLocation().getCharOffset();
        expectElement = false;
      } catch (JsonProcessingException e) {
        // Jackson places some errors at the offending character and some just after it: "near".
        int error =
            start
                + (int)
                    Math.max(
                        0,
                        (e.getLocation() != null ? e.getLocation() : p.currentLocation())
                            .getCharOffset());
        int n = element;
        int next = nextObject(text, Math.max(error, start + 1));
        sink.problems.add(
            BAD_JSON,
            () ->
                at
                    + "element "
                    + n
                    + " is not valid JSON ("
                    + JsonReasons.of(e)
                    + " near "
                    + lines.at(Math.min(error, text.length - 1))
                    + "); skipped"
                    + resumed(lines, text, next));
        pos = next;
        expectElement = true;
        skipped = true;
      }
    }
  }

  /** Whether the last character of the text that is not blank is {@code c}. */
  private static boolean endsWith(char[] text, char c) {
    int i = text.length - 1;
    while (i >= 0 && (Character.isWhitespace(text[i]) || text[i] == '\uFEFF')) {
      i--;
    }
    return i >= 0 && text[i] == c;
  }

  private static String resumed(Lines lines, char[] text, int next) {
    return next < text.length ? "; reading goes on at " + lines.at(next) : "";
  }

  private static String describe(char c) {
    return c == '"'
        ? "a string"
        : Character.isISOControl(c)
            ? String.format(Locale.ROOT, "character U+%04X", (int) c)
            : "'" + c + "'";
  }

  private static int nextObject(char[] text, int from) {
    int i = from;
    while (i < text.length && text[i] != '{') {
      i++;
    }
    return i;
  }

  private static int skipBlanks(char[] text, int from) {
    int i = from;
    while (i < text.length && (Character.isWhitespace(text[i]) || text[i] == '\uFEFF')) {
      i++;
    }
    return i;
  }

  private static char[] readAll(Reader in) throws IOException {
    char[] buf = new char[1 << 16];
    int n = 0;
    int r;
    while ((r = in.read(buf, n, buf.length - n)) >= 0) {
      n += r;
      if (n == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
    }
    return Arrays.copyOf(buf, n);
  }

  /** Line and column of an offset in the text. */
  private static final class Lines {
    private final int[] starts;
    private final long firstLine;

    Lines(char[] text, long firstLine) {
      int count = 1;
      for (char c : text) {
        count += c == '\n' ? 1 : 0;
      }
      starts = new int[count];
      int k = 1;
      for (int i = 0; i < text.length; i++) {
        if (text[i] == '\n') {
          starts[k++] = i + 1;
        }
      }
      this.firstLine = firstLine;
    }

    private int index(int offset) {
      int i = Arrays.binarySearch(starts, offset);
      return i >= 0 ? i : -i - 2;
    }

    long line(int offset) {
      return firstLine + index(offset);
    }

    int column(int offset) {
      return offset - starts[index(offset)] + 1;
    }

    String at(int offset) {
      return "line " + line(offset) + ", column " + column(offset);
    }
  }

  /**
   * Validates one record; adds it (with warnings for what is amiss beside its range), or a problem
   * naming it.
   */
  private static void take(Map<String, String> row, Sink sink, String at, long line, int column) {
    String rangeText = optional(row, "range");
    if (rangeText == null) {
      sink.problems.add(NO_RANGE, at + "no range");
      return;
    }
    IpRange range;
    try {
      range = IpRange.parse(rangeText);
    } catch (IllegalArgumentException e) {
      sink.problems.add(
          BAD_RANGE,
          () ->
              at
                  + (rangeText.length() > Shown.MAX
                      ? "range "
                          + Shown.quoted(rangeText)
                          + " is not an address, a prefix or a range"
                      : e.getMessage()));
      return;
    }
    String name = optional(row, "unit");
    if (name == null) {
      sink.problems.add(NO_UNIT, at + "no unit");
      return;
    }
    String shownName = Shown.value(name);
    String code = optional(row, "code");
    if (code != null) {
      String why = CreditCode.problem(code.toUpperCase(Locale.ROOT));
      if (why != null) {
        String given = code;
        sink.warnings.add(
            BAD_CODE,
            () ->
                at
                    + (given.length() > Shown.MAX
                        ? "credit code " + Shown.quoted(given) + " is not 18 characters long"
                        : why)
                    + "; "
                    + shownName
                    + " is imported without a credit code");
        code = null;
      } else {
        code = code.toUpperCase(Locale.ROOT);
      }
    }
    String categoryText = optional(row, "category");
    UnitCategory category = UnitCategory.UNKNOWN;
    if (categoryText == null) {
      sink.warnings.add(
          NO_CATEGORY, () -> at + "no category; " + shownName + " is imported as unknown");
    } else {
      try {
        category = UnitCategory.parse(categoryText);
      } catch (IllegalArgumentException e) {
        sink.warnings.add(
            BAD_CATEGORY,
            () ->
                at
                    + "category "
                    + Shown.quoted(categoryText)
                    + " is none of government, "
                    + "public-institution, university, soe, enterprise, idc, residential, mobile, unknown; "
                    + shownName
                    + " is imported as unknown");
      }
    }
    String regionCode = optional(row, "region_code");
    if (regionCode != null && !regionCode.matches("[1-9]\\d{5}")) {
      String given = regionCode;
      sink.warnings.add(
          BAD_REGION,
          () ->
              at
                  + "region_code "
                  + Shown.quoted(given)
                  + " is not a 6-digit GB/T 2260 code; "
                  + shownName
                  + " is imported without it");
      regionCode = null;
    }
    if (code != null
        && regionCode != null
        && !code.substring(2, 4).equals(regionCode.substring(0, 2))) {
      String c = code;
      String r = regionCode;
      sink.warnings.add(
          REGION_MISMATCH,
          () ->
              at
                  + "credit code "
                  + c
                  + " was issued in province "
                  + c.substring(2, 4)
                  + "0000, not in region "
                  + r
                  + "; both are kept, one of them is wrong");
    }
    String address = optional(row, "address");
    if (address == null) {
      sink.warnings.add(
          NO_ADDRESS,
          () -> at + "no address: " + shownName + "'s site cannot be located from this record");
    }
    sink.out.add(
        new Allocation(
            range,
            new Unit(
                name,
                code,
                category,
                regionCode,
                optional(row, "region"),
                address,
                optional(row, "contact")),
            sink.source,
            line,
            column));
  }

  private static String optional(Map<String, String> row, String key) {
    String v = row.get(key);
    return v == null || v.isBlank() ? null : v.strip();
  }
}
