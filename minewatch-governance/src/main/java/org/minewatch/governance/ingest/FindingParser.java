package org.minewatch.governance.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.minewatch.attribution.MiningHost;
import org.minewatch.governance.Problem;
import org.minewatch.model.IpAddress;

/**
 * Reads one line of {@code minewatch scan -f jsonl} strictly: every field the server stores is
 * checked for its type and range, and a wrong one is refused naming the line and the field.
 */
public final class FindingParser {
  static final Set<String> ROLES = Set.of("miner", "pool", "node");
  static final Set<String> VERDICTS = Set.of("mining", "likely", "node", "suspect");
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    JSON.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(16)
                .maxStringLength(1 << 20)
                .maxNumberLength(40)
                .build());
  }

  private FindingParser() {}

  /** A finding as the server keeps it. */
  public record Parsed(
      MiningHost host,
      String source,
      String key,
      String body,
      List<String> evidence,
      String assessment,
      List<String> assessmentReasons) {}

  /** Parses line {@code line} (1-based) of a request. */
  public static Parsed parse(String text, int line) {
    JsonNode n;
    try {
      n = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw Problem.invalidLine(null, "not valid JSON (" + e.getOriginalMessage() + ")", line);
    }
    if (n == null || !n.isObject()) {
      throw Problem.invalidLine(null, "not a JSON object", line);
    }
    // PostgreSQL stores no NUL in text (H2 does): refused here, on both, rather than failing the
    // transaction.
    String nul = nulIn(n, null);
    if (nul != null) {
      throw Problem.invalidLine(nul, "contains a NUL character", line);
    }
    Fields f = new Fields(n, line);
    String hostText = f.required("host");
    IpAddress host;
    try {
      host = IpAddress.parse(hostText);
    } catch (IllegalArgumentException e) {
      throw f.wrong("host", "\"" + hostText + "\" is not an IP address");
    }
    String role = f.oneOf("role", ROLES);
    String verdict = f.oneOf("verdict", VERDICTS);
    String source = clip(f.string("source"), 30);
    if (source == null) {
      source = "packets";
    }
    f.count("flows");
    f.count("bytes");
    Instant first = f.instant("first_seen");
    Instant last = f.instant("last_seen");
    if (first != null && last != null && last.isBefore(first)) {
      throw f.wrong("last_seen", "is before first_seen");
    }
    Double rate = null;
    String rateUnit = null;
    JsonNode hr = f.object("hashrate");
    if (hr != null) {
      rate = f.nonNegative(hr, "hashrate.value");
      rateUnit = clip(f.string(hr, "hashrate.unit"), 10);
    }
    double[] kwh = null;
    JsonNode k = f.object("kwh_per_day");
    if (k != null) {
      Double best = f.nonNegative(k, "kwh_per_day.best");
      if (best != null) {
        Double low = f.nonNegative(k, "kwh_per_day.low");
        Double high = f.nonNegative(k, "kwh_per_day.high");
        kwh = new double[] {low == null ? best : low, best, high == null ? best : high};
        if (kwh[0] > kwh[1] || kwh[1] > kwh[2]) {
          throw f.wrong("kwh_per_day", "low, best and high are out of order");
        }
      }
    }
    List<String> evidence = f.strings("evidence");
    List<String> peers = new ArrayList<>();
    for (String p : f.strings("peers")) {
      if (p.startsWith("+")) {
        continue; // "+N more": the peers a finding did not list
      }
      if (!isEndpoint(p)) {
        throw f.wrong(
            "peers",
            "\""
                + (p.length() > 60 ? p.substring(0, 60) + "..." : p)
                + "\" is not HOST:PORT (a port 0 to 65535)");
      }
      peers.add(p);
    }
    List<String> workers = new ArrayList<>();
    JsonNode ws = n.get("workers");
    if (ws != null && !ws.isNull()) {
      if (!ws.isArray()) {
        throw f.wrong("workers", "must be an array");
      }
      for (JsonNode w : ws) {
        if (w.isObject() && w.get("name") != null && w.get("name").isTextual()) {
          workers.add(w.get("name").asText());
        }
      }
    }
    String assessment = null;
    List<String> reasons = List.of();
    JsonNode as = f.object("assessment");
    if (as != null) {
      assessment = f.string(as, "assessment.kind");
      if (assessment != null
          && !Set.of("compromised", "deliberate", "undetermined").contains(assessment)) {
        throw f.wrong(
            "assessment.kind",
            "\"" + assessment + "\" is none of compromised, deliberate, undetermined");
      }
      reasons = f.strings(as, "assessment.reasons");
    }
    // What a miner sent (agent, login, worker) is as long as it chose: the columns keep the first
    // characters
    // (their widths in V1__governance.sql), the stored body keeps the line whole.
    String protocol = clip(f.string("protocol"), 40);
    MiningHost h =
        new MiningHost(
            host,
            role,
            verdict,
            clip(f.string("coin"), 40),
            protocol,
            peers,
            clip(f.string("login"), 500),
            clip(f.string("worker"), 300),
            workers,
            clip(f.string("agent"), 500),
            first,
            last,
            clip(f.string("pool_name"), 300),
            clip(f.string("wallet"), 300),
            clip(f.string("operation"), 100),
            clip(f.string("algorithm"), 40),
            rate,
            rateUnit,
            kwh,
            f.object("tls") != null);
    String key = host + "|" + role + "|" + source + "|" + (protocol == null ? "" : protocol);
    return new Parsed(h, source, key, n.toString(), evidence, assessment, reasons);
  }

  /** The first {@code max} characters of {@code s}, not splitting a surrogate pair. */
  static String clip(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end);
  }

  /** Checks fields of one line, naming the line and field in every refusal. */
  private static final class Fields {
    private final JsonNode n;
    private final int line;

    Fields(JsonNode n, int line) {
      this.n = n;
      this.line = line;
    }

    Problem wrong(String field, String why) {
      return Problem.invalidLine(field, why, line);
    }

    String required(String field) {
      String s = string(field);
      if (s == null) {
        throw wrong(field, "is missing");
      }
      return s;
    }

    String oneOf(String field, Set<String> allowed) {
      String s = required(field);
      if (!allowed.contains(s)) {
        throw wrong(
            field,
            "\"" + s + "\" is none of " + String.join(", ", allowed.stream().sorted().toList()));
      }
      return s;
    }

    String string(String field) {
      return string(n, field);
    }

    String string(JsonNode parent, String path) {
      JsonNode v = parent.get(path.substring(path.lastIndexOf('.') + 1));
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isTextual()) {
        throw wrong(
            path,
            "must be a string, not " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
      }
      return v.asText();
    }

    JsonNode object(String field) {
      JsonNode v = n.get(field);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isObject()) {
        throw wrong(field, "must be an object");
      }
      return v;
    }

    void count(String field) {
      JsonNode v = n.get(field);
      if (v != null
          && !v.isNull()
          && (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0)) {
        throw wrong(field, "must be a whole number of at least 0, not " + v);
      }
    }

    Double nonNegative(JsonNode parent, String path) {
      JsonNode v = parent.get(path.substring(path.lastIndexOf('.') + 1));
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isNumber() || !Double.isFinite(v.asDouble()) || v.asDouble() < 0) {
        throw wrong(path, "must be a number of at least 0, not " + v);
      }
      return v.asDouble();
    }

    Instant instant(String field) {
      String s = string(field);
      try {
        // Stored at millisecond precision (Times.bind): compare at that precision, or the same line
        // sent
        // again with a finer time would look later than itself and update its finding on every
        // ingest.
        return s == null ? null : Instant.parse(s).truncatedTo(ChronoUnit.MILLIS);
      } catch (DateTimeParseException e) {
        throw wrong(field, "\"" + s + "\" is not an ISO-8601 instant such as 2021-11-08T01:17:00Z");
      }
    }

    List<String> strings(String field) {
      return strings(n, field);
    }

    List<String> strings(JsonNode parent, String path) {
      JsonNode v = parent.get(path.substring(path.lastIndexOf('.') + 1));
      if (v == null || v.isNull()) {
        return List.of();
      }
      if (!v.isArray()) {
        throw wrong(path, "must be an array of strings");
      }
      List<String> out = new ArrayList<>();
      for (JsonNode e : v) {
        if (!e.isTextual()) {
          throw wrong(path, "must be an array of strings");
        }
        out.add(e.asText());
      }
      return out;
    }
  }

  /** The path (a.b) of the first string or field name in {@code n} holding a NUL, or null. */
  static String nulIn(JsonNode n, String at) {
    if (n.isTextual()) {
      return n.textValue().indexOf('\0') >= 0 ? at : null;
    }
    for (java.util.Map.Entry<String, JsonNode> e : n.properties()) {
      String name = at == null ? e.getKey() : at + "." + e.getKey();
      String p = e.getKey().indexOf('\0') >= 0 ? name : nulIn(e.getValue(), name);
      if (p != null) {
        return p;
      }
    }
    if (n.isArray()) {
      for (JsonNode e : n) {
        String p = nulIn(e, at);
        if (p != null) {
          return p;
        }
      }
    }
    return null;
  }

  /** HOST:PORT with a host before the last colon and a port 0 to 65535 after it. */
  private static boolean isEndpoint(String p) {
    int colon = p.lastIndexOf(':');
    int digits = p.length() - colon - 1;
    if (colon <= 0 || digits < 1 || digits > 5) {
      return false;
    }
    int port = 0;
    for (int i = colon + 1; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      port = port * 10 + (c - '0');
    }
    return port <= 65535;
  }
}
