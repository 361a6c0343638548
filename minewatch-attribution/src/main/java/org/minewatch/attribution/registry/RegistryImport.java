package org.minewatch.attribution.registry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads address allocations, the ISP and filing records a regulator holds, from CSV (UTF-8, a
 * header line, at least {@code range,unit,code,category,region_code,region,address,contact}, in
 * any order) or JSON (an array of objects with the same keys, or one object per line). A line
 * that cannot be used (no range that can be read, no unit name) is reported with its file, line
 * number and reason; the others are kept. What is wrong beside the range (a mistyped credit code, a
 * region code of the wrong shape or province, an unknown category, no address) is a warning with
 * its file and line, and the unit and its ranges are imported all the same: an address attributed
 * to its unit without a credit code is worth more than one attributed to nobody.
 */
public final class RegistryImport {
  public static final List<String> COLUMNS =
      List.of("range", "unit", "code", "category", "region_code", "region", "address", "contact");
  private static final JsonFactory JSON = new JsonFactory();

  private RegistryImport() {}

  /** The lines that could be used, what was wrong with the others, and what was amiss in lines kept. */
  public record Result(List<Allocation> allocations, List<String> problems, List<String> warnings) {}

  public static Result read(Path file) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(in, file.toString());
    }
  }

  public static Result read(Reader reader, String source) throws IOException {
    PushbackReader in = new PushbackReader(reader, 1);
    int c;
    do {
      c = in.read();
    } while (c == '\uFEFF' || (c >= 0 && Character.isWhitespace(c)));
    if (c >= 0) {
      in.unread(c);
    }
    return c == '[' || c == '{' ? readJson(in, source) : readCsv(in, source);
  }

  private static Result readCsv(Reader in, String source) throws IOException {
    List<Allocation> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    // A column without a name (a spreadsheet's trailing comma) is ignored; a name given twice is refused.
    CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
        .setIgnoreEmptyLines(true).setAllowMissingColumnNames(true).get();
    CSVParser parsed;
    try {
      parsed = CSVParser.parse(in, format);
    } catch (IllegalArgumentException | org.apache.commons.csv.CSVException e) {
      problems.add(source + ": line 1: not a usable header: " + e.getMessage());
      return new Result(out, problems, warnings);
    }
    try (CSVParser csv = parsed) {
      List<String> missing = new ArrayList<>();
      Map<String, String> columns = new HashMap<>();
      for (String h : csv.getHeaderNames()) {
        String name = h.strip().toLowerCase(Locale.ROOT);
        if (!name.isEmpty() && columns.put(name, h) != null) {
          problems.add(source + ": line 1: the header names the column \"" + name + "\" twice");
          return new Result(out, problems, warnings);
        }
      }
      for (String c : COLUMNS) {
        if (!columns.containsKey(c)) {
          missing.add(c);
        }
      }
      if (!missing.isEmpty()) {
        problems.add(source + ": line 1: the header lacks " + String.join(", ", missing) + " (wanted "
            + String.join(",", COLUMNS) + ")");
        return new Result(out, problems, warnings);
      }
      for (CSVRecord r : csv) {
        long line = r.getParser().getCurrentLineNumber();
        // Unnamed header columns count once in the header's map: check the columns read are on the line too.
        if (!r.isConsistent() || !COLUMNS.stream().allMatch(c -> r.isSet(columns.get(c)))) {
          problems.add(source + ": line " + line + ": " + r.size() + " fields where the header names "
              + csv.getHeaderNames().size());
          continue;
        }
        Map<String, String> row = new HashMap<>();
        for (String c : COLUMNS) {
          row.put(c, r.get(columns.get(c)));
        }
        take(row, source, line, out, problems, warnings);
      }
    } catch (java.io.UncheckedIOException | IllegalStateException e) {
      problems.add(source + ": not readable as CSV: " + e.getMessage());
    }
    return new Result(out, problems, warnings);
  }

  private static Result readJson(Reader in, String source) throws IOException {
    List<Allocation> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    JsonParser p = JSON.createParser(in);
    try (p) {
      JsonToken t = p.nextToken();
      boolean array = t == JsonToken.START_ARRAY;
      if (array) {
        t = p.nextToken();
      }
      while (t == JsonToken.START_OBJECT) {
        long line = p.currentLocation().getLineNr();
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
        take(row, source, line, out, problems, warnings);
        t = p.nextToken();
      }
      if (array ? t != JsonToken.END_ARRAY : t != null) {
        problems.add(source + ": line " + p.currentLocation().getLineNr() + ": expected an object, found " + t
            + "; the rest is not read");
      }
    } catch (JsonParseException | StreamConstraintsException e) {
      // A constraint (nesting deeper than 1,000) carries no location of its own: the parser's is where it stopped.
      long line = (e.getLocation() != null ? e.getLocation() : p.currentLocation()).getLineNr();
      problems.add(source + ": line " + line + ": not valid JSON (" + e.getOriginalMessage()
          + "); the rest is not read");
    }
    return new Result(out, problems, warnings);
  }

  /** Validates one row; adds it (with warnings for what is amiss beside its range), or a problem naming the line. */
  private static void take(Map<String, String> row, String source, long line, List<Allocation> out,
      List<String> problems, List<String> warnings) {
    String at = source + ": line " + line + ": ";
    IpRange range;
    String name;
    try {
      range = IpRange.parse(required(row, "range"));
      name = required(row, "unit");
    } catch (IllegalArgumentException e) {
      problems.add(at + e.getMessage());
      return;
    }
    String code = optional(row, "code");
    if (code != null) {
      String why = CreditCode.problem(code.toUpperCase(Locale.ROOT));
      if (why != null) {
        warnings.add(at + why + "; " + name + " is imported without a credit code");
        code = null;
      } else {
        code = code.toUpperCase(Locale.ROOT);
      }
    }
    String categoryText = optional(row, "category");
    UnitCategory category = UnitCategory.UNKNOWN;
    if (categoryText == null) {
      warnings.add(at + "no category; " + name + " is imported as unknown");
    } else {
      try {
        category = UnitCategory.parse(categoryText);
      } catch (IllegalArgumentException e) {
        warnings.add(at + e.getMessage() + "; " + name + " is imported as unknown");
      }
    }
    String regionCode = optional(row, "region_code");
    if (regionCode != null && !regionCode.matches("[1-9]\\d{5}")) {
      warnings.add(at + "region_code \"" + regionCode + "\" is not a 6-digit GB/T 2260 code; " + name
          + " is imported without it");
      regionCode = null;
    }
    if (code != null && regionCode != null && !code.substring(2, 4).equals(regionCode.substring(0, 2))) {
      warnings.add(at + "credit code " + code + " was issued in province " + code.substring(2, 4) + "0000, not in "
          + "region " + regionCode + "; both are kept, one of them is wrong");
    }
    String address = optional(row, "address");
    if (address == null) {
      warnings.add(at + "no address: " + name + "'s site cannot be located from this record");
    }
    out.add(new Allocation(range, new Unit(name, code, category, regionCode, optional(row, "region"), address,
        optional(row, "contact")), source, line));
  }

  private static String required(Map<String, String> row, String key) {
    String v = optional(row, key);
    if (v == null) {
      throw new IllegalArgumentException("no " + key);
    }
    return v;
  }

  private static String optional(Map<String, String> row, String key) {
    String v = row.get(key);
    return v == null || v.isBlank() ? null : v.strip();
  }
}
