package org.minewatch.attribution.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.minewatch.attribution.JsonReasons;
import org.minewatch.attribution.MiningHost;
import org.minewatch.attribution.Shown;
import org.minewatch.attribution.geo.Geo;
import org.minewatch.attribution.registry.Unit;
import org.minewatch.attribution.registry.UnitCategory;
import org.minewatch.model.IpAddress;

/**
 * Reads the JSON lines of {@code minewatch scan -f jsonl} (any version that has {@code host},
 * {@code role} and {@code verdict}); the unit and place earlier attribution attached are kept.
 * Every field the report uses is checked for its type and range (counts are non-negative integers,
 * role and verdict are from their lists, hash rates and energy finite and at least 0): a line that
 * fails is reported as {@code FILE:LINE: field "flows": expected a non-negative integer, got "abc"}
 * and skipped, so that no made-up host enters the figures.
 */
public final class FindingsReader {
  static final Set<String> ROLES = Set.of("miner", "pool", "node");
  static final Set<String> VERDICTS = Set.of("mining", "likely", "node", "suspect");
  static final Set<String> ASSESSMENTS = Set.of("compromised", "deliberate", "undetermined");

  /** Limits of a line: findings nest 3 levels; a miner's login or agent is never near 1 MiB. */
  static final int MAX_DEPTH = 16;

  static final int MAX_STRING = 1 << 20;
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH)
                  .maxStringLength(MAX_STRING)
                  .maxNumberLength(40)
                  .build())
          .build();

  private FindingsReader() {}

  /** A finding as read, with what it was attributed to, if anything. */
  public record Row(MiningHost host, Unit unit, Geo geo) {}

  /** Why a line is not a finding, as the message says it after "FILE:LINE: ". */
  private static final class BadLine extends Exception {
    BadLine(String message) {
      super(message, null, false, false);
    }
  }

  public static List<Row> read(String source, BufferedReader in, List<String> problems)
      throws IOException {
    List<Row> rows = new ArrayList<>();
    String line;
    long n = 0;
    while ((line = in.readLine()) != null) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      try {
        rows.add(row(line));
      } catch (BadLine e) {
        problems.add(source + ":" + n + ": " + e.getMessage());
      }
    }
    return rows;
  }

  private static Row row(String line) throws BadLine {
    Map<String, Object> m;
    JsonParser p;
    try {
      p = JSON.createParser(line);
    } catch (IOException e) {
      throw new BadLine(
          "not valid JSON (" + e.getMessage() + ")"); // a String source: never happens
    }
    try (p) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadLine("not a JSON object");
      }
      m = object(p);
      if (p.nextToken() != null) {
        throw new BadLine(
            "text after the JSON object at column " + p.currentTokenLocation().getColumnNr());
      }
    } catch (JsonProcessingException e) {
      // A limit's exception carries no location (and the parser has read ahead of it): none is
      // given.
      throw new BadLine(
          "not valid JSON ("
              + JsonReasons.of(e)
              + (e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr())
              + ")");
    } catch (IOException e) {
      throw new BadLine(
          "not valid JSON (" + e.getMessage() + ")"); // a String source: only the parser fails
    }
    IpAddress host = address(m);
    String role = oneOf(m, "role", ROLES);
    String verdict = oneOf(m, "verdict", VERDICTS);
    count(m, "flows");
    count(m, "bytes");
    Instant first = instant(m, "first_seen");
    Instant last = instant(m, "last_seen");
    if (first != null && last != null && last.isBefore(first)) {
      throw new BadLine("field \"last_seen\": " + last + " is before first_seen " + first);
    }
    Map<String, Object> rate = object(m, "hashrate", "");
    Double rateValue = null;
    String rateUnit = null;
    if (rate != null) {
      rateValue = amount(rate, "value", "hashrate.");
      amount(rate, "low", "hashrate.");
      amount(rate, "high", "hashrate.");
      count(rate, "shares", "hashrate.");
      rateUnit = string(rate, "unit", "hashrate.");
    }
    double[] kwh = null;
    Map<String, Object> k = object(m, "kwh_per_day", "");
    if (k != null) {
      Double best = amount(k, "best", "kwh_per_day.");
      Double low = amount(k, "low", "kwh_per_day.");
      Double high = amount(k, "high", "kwh_per_day.");
      if (best != null) {
        kwh = new double[] {low == null ? 0 : low, best, high == null ? 0 : high};
      }
    }
    if (m.get("reported_hashrate") instanceof Map<?, ?>) {
      amount(object(m, "reported_hashrate", ""), "value", "reported_hashrate.");
    } else if (m.get("reported_hashrate") != null) {
      amountValue(m.get("reported_hashrate"), "reported_hashrate");
    }
    List<String> workers = new ArrayList<>();
    for (Object w : list(m, "workers")) {
      if (!(w instanceof Map<?, ?>)) {
        throw wrong("workers", "an array of objects", w);
      }
      @SuppressWarnings("unchecked")
      String name = string((Map<String, Object>) w, "name", "workers[].");
      if (name != null) {
        workers.add(name);
      }
    }
    List<String> peers = new ArrayList<>();
    for (String peer : strings(m, "peers")) {
      if (peer.indexOf(':') > 0 && !peer.startsWith("+")) {
        peers.add(peer);
      }
    }
    strings(m, "evidence");
    Map<String, Object> assessment = object(m, "assessment", "");
    if (assessment != null) {
      oneOfOrNull(assessment, "kind", "assessment.", ASSESSMENTS);
      strings(assessment, "reasons", "assessment.");
    }
    MiningHost h =
        new MiningHost(
            host,
            role,
            verdict,
            string(m, "coin"),
            string(m, "protocol"),
            peers,
            string(m, "login"),
            string(m, "worker"),
            workers,
            string(m, "agent"),
            first,
            last,
            string(m, "pool_name"),
            string(m, "wallet"),
            string(m, "operation"),
            string(m, "algorithm"),
            rateValue,
            rateUnit,
            kwh,
            object(m, "tls", "") != null);
    string(m, "source");
    Unit unit = null;
    Map<String, Object> u = object(m, "unit", "");
    if (u != null) {
      String name = string(u, "name", "unit.");
      String category = oneOfOrNull(u, "category", "unit.", null);
      if (name != null) {
        unit =
            new Unit(
                name,
                string(u, "code", "unit."),
                category == null ? UnitCategory.UNKNOWN : UnitCategory.parse(category),
                string(u, "region_code", "unit."),
                string(u, "region", "unit."),
                string(u, "address", "unit."),
                null);
      }
    }
    Geo geo = null;
    Map<String, Object> g = object(m, "geo", "");
    if (g != null) {
      geo =
          new Geo(
              string(g, "country", "geo."),
              string(g, "province", "geo."),
              string(g, "city", "geo."),
              string(g, "isp", "geo."),
              string(g, "asn", "geo."));
    }
    return new Row(h, unit, geo);
  }

  /**
   * The object whose START_OBJECT was just read: strings, Long (Double for fractions, huge
   * integers), maps, lists.
   */
  private static Map<String, Object> object(JsonParser p) throws IOException {
    Map<String, Object> m = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      m.put(name, value(p, p.nextToken()));
    }
    return m;
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        return object(p);
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        JsonToken x;
        while ((x = p.nextToken()) != JsonToken.END_ARRAY) {
          l.add(value(p, x));
        }
        return l;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT -> {
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? (Object) p.getDoubleValue()
            : p.getLongValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return p.getDoubleValue();
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return p.getBooleanValue();
      }
      default -> {
        return null;
      }
    }
  }

  private static BadLine wrong(String field, String expected, Object got) {
    return new BadLine("field \"" + field + "\": expected " + expected + ", got " + shown(got));
  }

  /**
   * A value as the message quotes it: strings in quotes and shortened, numbers as written,
   * containers by kind.
   */
  private static String shown(Object v) {
    if (v instanceof String s) {
      return Shown.quoted(s);
    }
    if (v instanceof Map<?, ?>) {
      return "an object";
    }
    if (v instanceof List<?>) {
      return "an array";
    }
    return String.valueOf(v);
  }

  private static IpAddress address(Map<String, Object> m) throws BadLine {
    Object v = m.get("host");
    if (v == null) {
      throw new BadLine("field \"host\" is missing");
    }
    if (!(v instanceof String s)) {
      throw wrong("host", "an IP address", v);
    }
    try {
      return IpAddress.parse(s);
    } catch (IllegalArgumentException e) {
      throw wrong("host", "an IP address", v);
    }
  }

  private static String oneOf(Map<String, Object> m, String field, Set<String> allowed)
      throws BadLine {
    if (m.get(field) == null) {
      throw new BadLine("field \"" + field + "\" is missing");
    }
    return oneOfOrNull(m, field, "", allowed);
  }

  /** A string from a list ({@code allowed} null: a unit category), or null if absent. */
  private static String oneOfOrNull(
      Map<String, Object> m, String field, String prefix, Set<String> allowed) throws BadLine {
    Object v = m.get(field);
    if (v == null) {
      return null;
    }
    List<String> names =
        allowed != null
            ? allowed.stream().sorted().toList()
            : java.util.Arrays.stream(UnitCategory.values()).map(UnitCategory::label).toList();
    if (!(v instanceof String s) || !names.contains(s)) {
      throw wrong(prefix + field, "one of " + String.join(", ", names), v);
    }
    return s;
  }

  private static void count(Map<String, Object> m, String field) throws BadLine {
    count(m, field, "");
  }

  private static void count(Map<String, Object> m, String field, String prefix) throws BadLine {
    Object v = m.get(field);
    if (v != null && !(v instanceof Long l && l >= 0)) {
      throw wrong(prefix + field, "a non-negative integer", v);
    }
  }

  private static Double amount(Map<String, Object> m, String field, String prefix) throws BadLine {
    Object v = m.get(field);
    return v == null ? null : amountValue(v, prefix + field);
  }

  private static Double amountValue(Object v, String field) throws BadLine {
    double d;
    if (v instanceof Long l) {
      d = l;
    } else if (v instanceof Double x) {
      d = x;
    } else {
      throw wrong(field, "a finite number of at least 0", v);
    }
    if (!Double.isFinite(d) || d < 0) {
      throw wrong(field, "a finite number of at least 0", v);
    }
    return d;
  }

  private static String string(Map<String, Object> m, String field) throws BadLine {
    return string(m, field, "");
  }

  private static String string(Map<String, Object> m, String field, String prefix) throws BadLine {
    Object v = m.get(field);
    if (v != null && !(v instanceof String)) {
      throw wrong(prefix + field, "a string", v);
    }
    return (String) v;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Map<String, Object> m, String field, String prefix)
      throws BadLine {
    Object v = m.get(field);
    if (v != null && !(v instanceof Map<?, ?>)) {
      throw wrong(prefix + field, "an object", v);
    }
    return (Map<String, Object>) v;
  }

  private static List<?> list(Map<String, Object> m, String field) throws BadLine {
    Object v = m.get(field);
    if (v != null && !(v instanceof List<?>)) {
      throw wrong(field, "an array", v);
    }
    return v == null ? List.of() : (List<?>) v;
  }

  private static List<String> strings(Map<String, Object> m, String field) throws BadLine {
    return strings(m, field, "");
  }

  private static List<String> strings(Map<String, Object> m, String field, String prefix)
      throws BadLine {
    Object v = m.get(field);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> l)) {
      throw wrong(prefix + field, "an array of strings", v);
    }
    List<String> out = new ArrayList<>();
    for (Object e : l) {
      if (!(e instanceof String s)) {
        throw wrong(prefix + field, "an array of strings", e);
      }
      out.add(s);
    }
    return out;
  }

  private static Instant instant(Map<String, Object> m, String field) throws BadLine {
    String s = string(m, field);
    try {
      return s == null ? null : Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw wrong(field, "an ISO-8601 instant such as 2021-11-08T01:17:00Z", s);
    }
  }
}
