package org.minewatch.governance.order;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The table of punitive electricity-price policies: the shipped {@code tariff-policies.csv}, or a
 * user's own file in its place. A bad row is reported (line and field) and skipped so that one typo
 * does not take the other policies away; a file without the required columns is refused.
 */
public final class TariffPolicies {
  /** Columns every table must have; {@code region_en} is optional. */
  public static final List<String> REQUIRED_COLUMNS =
      List.of(
          "id", "region_code", "region", "kind", "yuan_per_kwh", "basis_zh", "basis_en", "source");

  /** A row that was skipped: its 1-based line number, the column at fault (or "row"), and why. */
  public record Problem(int line, String field, String message) {
    @Override
    public String toString() {
      return "line " + line + ", field " + field + ": " + message;
    }
  }

  private final String sourceName;
  private final Map<String, TariffPolicy> byId;
  private final List<Problem> problems;

  private TariffPolicies(
      String sourceName, Map<String, TariffPolicy> byId, List<Problem> problems) {
    this.sourceName = sourceName;
    this.byId = byId;
    this.problems = List.copyOf(problems);
  }

  /** The table shipped with MineWatch. */
  public static TariffPolicies builtIn() {
    try (InputStream in = TariffPolicies.class.getResourceAsStream("tariff-policies.csv")) {
      if (in == null) {
        throw new IllegalStateException("tariff-policies.csv is missing from the class path");
      }
      return parse(
          new InputStreamReader(in, StandardCharsets.UTF_8), "tariff-policies.csv (built in)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A user's table (UTF-8), replacing the built-in one. */
  public static TariffPolicies read(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(in, file.toString());
    }
  }

  /**
   * Reads the table: a header line naming the columns, then one policy per line; blank lines and
   * lines starting with '#' are skipped.
   *
   * @throws IllegalArgumentException when the header lacks a required column (nothing can be read)
   */
  public static TariffPolicies parse(Reader reader, String sourceName) throws IOException {
    BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
    Map<String, Integer> columns = null;
    Map<String, TariffPolicy> byId = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    int lineNo = 0;
    for (String line; (line = in.readLine()) != null; ) {
      lineNo++;
      if (lineNo == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1); // a BOM from spreadsheet exports
      }
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      if (columns == null) {
        columns = header(line, lineNo, sourceName);
        continue;
      }
      try {
        TariffPolicy p = row(CsvRow.split(line), columns, lineNo);
        if (byId.containsKey(p.id())) {
          problems.add(
              new Problem(lineNo, "id", "duplicate id '" + p.id() + "', the first one is kept"));
        } else {
          byId.put(p.id(), p);
        }
      } catch (RowException e) {
        problems.add(e.problem);
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(lineNo, "row", e.getMessage()));
      }
    }
    if (columns == null) {
      throw new IllegalArgumentException(sourceName + ": no header line");
    }
    return new TariffPolicies(sourceName, byId, problems);
  }

  private static Map<String, Integer> header(String line, int lineNo, String sourceName) {
    Map<String, Integer> columns = new HashMap<>();
    List<String> names = CsvRow.split(line);
    for (int i = 0; i < names.size(); i++) {
      columns.put(names.get(i).toLowerCase(java.util.Locale.ROOT), i);
    }
    List<String> missing = REQUIRED_COLUMNS.stream().filter(c -> !columns.containsKey(c)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          sourceName
              + " line "
              + lineNo
              + ": missing column(s) "
              + String.join(", ", missing)
              + "; the header must name "
              + String.join(",", REQUIRED_COLUMNS));
    }
    columns.put("", names.size()); // the expected field count
    return columns;
  }

  private static TariffPolicy row(List<String> f, Map<String, Integer> columns, int lineNo) {
    int expected = columns.get("");
    if (f.size() != expected) {
      throw new RowException(
          new Problem(lineNo, "row", "expected " + expected + " fields, found " + f.size()));
    }
    String id = field(f, columns, "id", lineNo, true);
    String regionCode = field(f, columns, "region_code", lineNo, true);
    if (!regionCode.matches("\\d{6}")) {
      throw new RowException(
          new Problem(lineNo, "region_code", "not a six-digit code: '" + regionCode + "'"));
    }
    String region = field(f, columns, "region", lineNo, true);
    String regionEn = columns.containsKey("region_en") ? f.get(columns.get("region_en")) : "";
    PolicyKind kind;
    try {
      kind = PolicyKind.fromLabel(field(f, columns, "kind", lineNo, true));
    } catch (IllegalArgumentException e) {
      throw new RowException(new Problem(lineNo, "kind", e.getMessage()));
    }
    String rate = field(f, columns, "yuan_per_kwh", lineNo, kind != PolicyKind.TARIFF_MISUSE);
    BigDecimal yuanPerKwh = null;
    if (!rate.isEmpty()) {
      try {
        yuanPerKwh = new BigDecimal(rate);
      } catch (NumberFormatException e) {
        throw new RowException(new Problem(lineNo, "yuan_per_kwh", "not a number: '" + rate + "'"));
      }
      if (yuanPerKwh.signum() <= 0) {
        throw new RowException(new Problem(lineNo, "yuan_per_kwh", "must be positive: " + rate));
      }
      if (kind == PolicyKind.TARIFF_MISUSE) {
        // The misuse charge comes from the case's two tariffs; a rate here would be ignored
        // silently.
        throw new RowException(
            new Problem(lineNo, "yuan_per_kwh", "must be empty for tariff-misuse"));
      }
    }
    return new TariffPolicy(
        id,
        regionCode,
        region,
        regionEn.isEmpty() ? region : regionEn,
        kind,
        yuanPerKwh,
        field(f, columns, "basis_zh", lineNo, true),
        field(f, columns, "basis_en", lineNo, true),
        field(f, columns, "source", lineNo, true));
  }

  private static String field(
      List<String> f, Map<String, Integer> columns, String name, int lineNo, boolean required) {
    String v = f.get(columns.get(name));
    if (required && v.isEmpty()) {
      throw new RowException(new Problem(lineNo, name, "empty"));
    }
    return v;
  }

  /** Carries a located problem out of the row parser. */
  private static final class RowException extends RuntimeException {
    final Problem problem;

    RowException(Problem problem) {
      super(problem.toString(), null, false, false);
      this.problem = problem;
    }
  }

  /** Where the table came from: a file path or the built-in resource. */
  public String sourceName() {
    return sourceName;
  }

  /** The policies in file order. */
  public List<TariffPolicy> all() {
    return List.copyOf(byId.values());
  }

  /** Rows that were skipped, in file order; empty for a clean table. */
  public List<Problem> problems() {
    return problems;
  }

  public Optional<TariffPolicy> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /**
   * @throws IllegalArgumentException naming the unknown id and the known ones
   */
  public TariffPolicy require(String id) {
    TariffPolicy p = byId.get(id);
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown tariff policy id '"
              + id
              + "' in "
              + sourceName
              + "; known: "
              + String.join(", ", byId.keySet()));
    }
    return p;
  }

  /** The policies that apply in a region (same province, or national), in file order. */
  public List<TariffPolicy> forRegion(String regionCode) {
    return byId.values().stream().filter(p -> p.appliesIn(regionCode)).collect(Collectors.toList());
  }
}
