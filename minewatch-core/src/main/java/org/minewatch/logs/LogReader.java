package org.minewatch.logs;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.minewatch.detect.json.JsonTree;
import org.minewatch.model.IpAddress;

/**
 * Reads Zeek logs (TSV with {@code #fields} headers, or JSON lines) and Suricata EVE JSON into
 * {@link LogRecord}s. Unknown or missing fields leave the record's field null; a line that cannot
 * be read is reported with its file and line number and the rest is read.
 */
public final class LogReader {
  /** Receives the lines that could not be read. */
  public interface Problems {
    void problem(String line);
  }

  private static final java.math.BigDecimal MAX_SECONDS =
      java.math.BigDecimal.valueOf(Long.MAX_VALUE / 1_000_000_000L);

  private LogReader() {}

  /** Reads every record; returns how many were read. */
  public static long read(
      String source,
      BufferedReader in,
      LogFormat format,
      Consumer<LogRecord> out,
      Problems problems)
      throws IOException {
    return format == LogFormat.ZEEK_TSV
        ? readTsv(source, in, out, problems)
        : readJson(source, in, format, out, problems);
  }

  private static long readTsv(
      String source, BufferedReader in, Consumer<LogRecord> out, Problems problems)
      throws IOException {
    String separator = "\t";
    java.util.regex.Pattern split =
        java.util.regex.Pattern.compile("\t", java.util.regex.Pattern.LITERAL);
    String unset = "-";
    String empty = "(empty)";
    String path = null;
    String[] fields = null;
    long n = 0;
    long read = 0;
    String line;
    while ((line = in.readLine()) != null) {
      n++;
      if (line.startsWith("#")) {
        if (line.startsWith("#separator ")) {
          String s = unescape(line.substring("#separator ".length()));
          if (s.isEmpty()) {
            problems.problem(
                source + ": line " + n + ": an empty #separator; the previous one is kept");
            continue;
          }
          separator = s;
          split = java.util.regex.Pattern.compile(separator, java.util.regex.Pattern.LITERAL);
        } else if (line.startsWith("#unset_field")
            || line.startsWith("#empty_field")
            || line.startsWith("#path")) {
          String header =
              line.startsWith("#path") ? "#path" : line.substring(0, "#unset_field".length());
          int at = line.indexOf(separator);
          if (at < 0) {
            // The value follows the separator: a header without one has no value to take.
            problems.problem(
                source
                    + ": line "
                    + n
                    + ": a "
                    + header
                    + " header without the separator; ignored");
            continue;
          }
          String value = line.substring(at + separator.length());
          switch (header) {
            case "#unset_field" -> unset = value;
            case "#empty_field" -> empty = value;
            default -> path = value;
          }
        } else if (line.startsWith("#fields")) {
          String[] f = split.split(line, -1);
          fields = java.util.Arrays.copyOfRange(f, 1, f.length);
        }
        continue;
      }
      if (line.isBlank()) {
        continue;
      }
      if (fields == null || path == null) {
        problems.problem(
            source + ": line " + n + ": a record before the #path and #fields headers");
        continue;
      }
      String[] values = split.split(line, -1);
      if (values.length != fields.length) {
        problems.problem(
            source
                + ": line "
                + n
                + ": "
                + values.length
                + " fields where the header names "
                + fields.length);
        continue;
      }
      Map<String, Object> row = new HashMap<>();
      for (int i = 0; i < fields.length; i++) {
        String v = values[i];
        if (!v.equals(unset) && !v.equals(empty)) {
          row.put(fields[i], v);
        }
      }
      LogRecord r = zeek(path, row, source, n, problems);
      if (r != null) {
        out.accept(r);
        read++;
      }
    }
    return read;
  }

  private static long readJson(
      String source,
      BufferedReader in,
      LogFormat format,
      Consumer<LogRecord> out,
      Problems problems)
      throws IOException {
    long n = 0;
    long read = 0;
    String line;
    while ((line = in.readLine()) != null) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      byte[] b = line.getBytes(StandardCharsets.UTF_8);
      Object v;
      try {
        v = JsonTree.parse(b, 0, b.length);
      } catch (JsonTree.JsonException e) {
        problems.problem(source + ": line " + n + ": not a JSON object: " + e.getMessage());
        continue;
      }
      if (!(v instanceof Map<?, ?> m)) {
        problems.problem(source + ": line " + n + ": not a JSON object");
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> row = (Map<String, Object>) m;
      LogRecord r;
      if (format == LogFormat.SURICATA_EVE) {
        r = eve(row, source, n, problems);
      } else {
        String path =
            row.containsKey("query")
                ? "dns"
                : row.containsKey("server_name") || row.containsKey("ja3")
                    ? "ssl"
                    : row.containsKey("host") || row.containsKey("user_agent") ? "http" : "conn";
        r = zeek(path, row, source, n, problems);
      }
      if (r != null) {
        out.accept(r);
        read++;
      }
    }
    return read;
  }

  private static LogRecord zeek(
      String path, Map<String, Object> row, String source, long n, Problems problems) {
    IpAddress orig = address(row.get("id.orig_h"));
    IpAddress resp = address(row.get("id.resp_h"));
    Long ts = seconds(row.get("ts"));
    if (orig == null || resp == null || ts == null) {
      problems.problem(source + ": line " + n + ": no ts, id.orig_h or id.resp_h");
      return null;
    }
    List<IpAddress> answers = new ArrayList<>();
    Object a = row.get("answers");
    for (String s : list(a)) {
      IpAddress ip = address(s);
      if (ip != null) {
        answers.add(ip);
      }
    }
    long bytes = number(row.get("orig_ip_bytes")) + number(row.get("resp_ip_bytes"));
    Long duration = seconds(row.get("duration"));
    return new LogRecord(
        path,
        ts,
        orig,
        port(row.get("id.orig_p")),
        resp,
        port(row.get("id.resp_p")),
        string(row.get("proto")),
        string(row.get("query")),
        List.copyOf(answers),
        string(row.get("server_name")),
        string(row.get("ja3")),
        string(row.get("ja4")),
        string(row.get("host")),
        string(row.get("user_agent")),
        bytes,
        duration == null ? 0 : duration / 1e9);
  }

  private static LogRecord eve(Map<String, Object> row, String source, long n, Problems problems) {
    String type = string(row.get("event_type"));
    IpAddress src = address(row.get("src_ip"));
    IpAddress dst = address(row.get("dest_ip"));
    Long ts = eveTime(string(row.get("timestamp")));
    if (type == null || src == null || dst == null || ts == null) {
      problems.problem(source + ": line " + n + ": no event_type, timestamp, src_ip or dest_ip");
      return null;
    }
    String query = null;
    List<IpAddress> answers = new ArrayList<>();
    String sni = null;
    String ja3 = null;
    String ja4 = null;
    String host = null;
    String agent = null;
    long bytes = 0;
    if (row.get("dns") instanceof Map<?, ?> dns) {
      query = string(dns.get("rrname"));
      for (Object ans : dns.get("answers") instanceof List<?> l ? l : List.of()) {
        if (ans instanceof Map<?, ?> am) {
          if (query == null) {
            query = string(am.get("rrname"));
          }
          IpAddress ip = address(am.get("rdata"));
          if (ip != null) {
            answers.add(ip);
          }
        }
      }
      if (dns.get("queries") instanceof List<?> qs
          && !qs.isEmpty()
          && qs.get(0) instanceof Map<?, ?> q0
          && query == null) {
        query = string(q0.get("rrname"));
      }
    }
    if (row.get("tls") instanceof Map<?, ?> tls) {
      sni = string(tls.get("sni"));
      if (tls.get("ja3") instanceof Map<?, ?> j) {
        ja3 = string(j.get("hash"));
      }
      ja4 = string(tls.get("ja4"));
    }
    if (row.get("http") instanceof Map<?, ?> http) {
      host = string(http.get("hostname"));
      agent = string(http.get("http_user_agent"));
    }
    if (row.get("flow") instanceof Map<?, ?> flow) {
      bytes = number(flow.get("bytes_toserver")) + number(flow.get("bytes_toclient"));
    }
    return new LogRecord(
        type,
        ts,
        src,
        port(row.get("src_port")),
        dst,
        port(row.get("dest_port")),
        string(row.get("proto")),
        query,
        List.copyOf(answers),
        sni,
        ja3,
        ja4,
        host,
        agent,
        bytes,
        0);
  }

  private static Long eveTime(String s) {
    if (s == null) {
      return null;
    }
    try {
      // EVE writes 2021-06-01T08:00:00.123456+0000; make the offset ISO-8601 ("+00:00").
      String iso =
          s.length() > 5 && (s.charAt(s.length() - 5) == '+' || s.charAt(s.length() - 5) == '-')
              ? s.substring(0, s.length() - 2) + ":" + s.substring(s.length() - 2)
              : s;
      java.time.Instant t = java.time.OffsetDateTime.parse(iso).toInstant();
      return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  private static List<String> list(Object o) {
    if (o instanceof List<?> l) {
      return l.stream().map(String::valueOf).toList();
    }
    if (o instanceof String s) {
      return List.of(s.split(","));
    }
    return List.of();
  }

  private static Long seconds(Object o) {
    try {
      if (o instanceof Number num) {
        return (long) (num.doubleValue() * 1e9);
      }
      if (o instanceof String s) {
        java.math.BigDecimal d = new java.math.BigDecimal(s);
        // Bounded before scaling: "1e99999999" would expand to a hundred million digits, and no
        // time
        // beyond 2262 fits a long of nanoseconds anyway.
        return d.abs().compareTo(MAX_SECONDS) > 0 ? null : d.movePointRight(9).longValue();
      }
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
    return null;
  }

  private static long number(Object o) {
    try {
      return o instanceof Number num
          ? num.longValue()
          : o instanceof String s ? Long.parseLong(s) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int port(Object o) {
    long p = number(o);
    return p >= 0 && p <= 65535 ? (int) p : 0;
  }

  private static String string(Object o) {
    return o instanceof String s && !s.isEmpty() ? s : o instanceof Number n ? n.toString() : null;
  }

  private static IpAddress address(Object o) {
    if (!(o instanceof String s)) {
      return null;
    }
    try {
      return IpAddress.parse(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String unescape(String s) {
    return s.replace("\\x09", "\t").replace("\\t", "\t");
  }
}
