package org.minewatch.flowrecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.minewatch.model.IpAddress;

/**
 * Reads {@code nfdump -o csv} exports: a header line naming the columns (nfdump 1.6 and 1.7's
 * {@code ts,te,td,sa,da,sp,dp,pr,flg,...,ipkt,ibyt,opkt,obyt}, or the long names of later
 * versions), one flow per line, and a trailing summary, which is skipped. Columns are found by
 * name, so their order does not matter. nfdump writes times in its local time zone without saying
 * which: they are read as UTC, so export with {@code TZ=UTC}. A line that cannot be read is
 * reported with its line number and the rest is read.
 */
public final class NfdumpCsv {
  private static final DateTimeFormatter TIME =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
          .optionalEnd()
          .toFormatter(Locale.ROOT);

  /** The columns read, each with the names nfdump versions give it. */
  private static final Map<String, List<String>> COLUMNS =
      Map.of(
          "first", List.of("ts", "firstseen", "first"),
          "last", List.of("te", "lastseen", "last"),
          "src", List.of("sa", "srcaddr"),
          "dst", List.of("da", "dstaddr"),
          "sport", List.of("sp", "srcport"),
          "dport", List.of("dp", "dstport"),
          "proto", List.of("pr", "proto"),
          "flags", List.of("flg", "flags", "tcpflags"),
          "packets", List.of("ipkt", "packets", "inpackets"),
          "bytes", List.of("ibyt", "bytes", "inbytes"));

  private static final Map<String, List<String>> OPTIONAL =
      Map.of(
          "rpackets", List.of("opkt", "outpackets"),
          "rbytes", List.of("obyt", "outbytes"));

  private NfdumpCsv() {}

  /** Receives the lines that could not be read. */
  public interface Problems {
    void problem(String text);
  }

  /** True if {@code firstLine} is the header of an nfdump CSV export. */
  public static boolean sniff(String firstLine) {
    if (firstLine == null || firstLine.indexOf(',') < 0) {
      return false;
    }
    return columns(firstLine.strip().split(",", -1)) != null;
  }

  /** Reads every flow; returns how many were read. */
  public static long read(
      String source, BufferedReader in, Consumer<FlowRecord> out, Problems problems)
      throws IOException {
    String header = in.readLine();
    String[] names = header == null ? new String[0] : header.strip().split(",", -1);
    Map<String, Integer> at = header == null ? null : columns(names);
    if (at == null) {
      problems.problem(
          source + ": line 1: not an nfdump CSV header (wanted ts,te,sa,da,sp,dp,pr,ipkt,ibyt...)");
      return 0;
    }
    long lineNumber = 1;
    long read = 0;
    String line;
    while ((line = in.readLine()) != null) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("Summary")) {
        break; // then the totals and "Time window" lines, which are not flows
      }
      String[] f = line.split(",", -1);
      if (f.length != names.length) {
        problems.problem(
            source
                + ": line "
                + lineNumber
                + ": "
                + f.length
                + " columns where the header names "
                + names.length);
        continue;
      }
      try {
        out.accept(parse(source, f, at));
        read++;
      } catch (IllegalArgumentException | DateTimeParseException e) {
        problems.problem(source + ": line " + lineNumber + ": " + e.getMessage());
      }
    }
    return read;
  }

  private static FlowRecord parse(String source, String[] f, Map<String, Integer> at) {
    long first = time(f[at.get("first")].strip());
    long last = time(f[at.get("last")].strip());
    Integer rp = at.get("rpackets");
    Integer rb = at.get("rbytes");
    return new FlowRecord(
        source,
        address(f[at.get("src")]),
        port(f[at.get("sport")]),
        address(f[at.get("dst")]),
        port(f[at.get("dport")]),
        protocol(f[at.get("proto")].strip()),
        count(f[at.get("packets")]),
        count(f[at.get("bytes")]),
        rp == null ? 0 : count(f[rp]),
        rb == null ? 0 : count(f[rb]),
        first,
        Math.max(first, last),
        flags(f[at.get("flags")].strip()));
  }

  private static Map<String, Integer> columns(String[] header) {
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < header.length; i++) {
      names.putIfAbsent(header[i].strip().toLowerCase(Locale.ROOT), i);
    }
    Map<String, Integer> at = new HashMap<>();
    for (var c : COLUMNS.entrySet()) {
      Integer i = find(names, c.getValue());
      if (i == null) {
        return null;
      }
      at.put(c.getKey(), i);
    }
    for (var c : OPTIONAL.entrySet()) {
      Integer i = find(names, c.getValue());
      if (i != null) {
        at.put(c.getKey(), i);
      }
    }
    return at;
  }

  private static Integer find(Map<String, Integer> names, List<String> aliases) {
    for (String a : aliases) {
      Integer i = names.get(a);
      if (i != null) {
        return i;
      }
    }
    return null;
  }

  private static long time(String text) {
    if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      long v = Long.parseLong(text);
      return v > 100_000_000_000L ? v * 1_000_000L : v * 1_000_000_000L; // epoch ms or s
    }
    try {
      LocalDateTime t = LocalDateTime.parse(text, TIME);
      return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L + t.getNano();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("time \"" + text + "\" is not yyyy-MM-dd HH:mm:ss[.fff]");
    }
  }

  private static IpAddress address(String text) {
    return IpAddress.parse(text.strip());
  }

  private static int port(String text) {
    String t = text.strip();
    // nfdump writes ICMP type.code in the destination port column.
    int dot = t.indexOf('.');
    int v = Integer.parseInt(dot >= 0 ? t.substring(0, dot) : t);
    if (v < 0 || v > 65535) {
      throw new IllegalArgumentException("port " + t + " is out of range");
    }
    return v;
  }

  private static long count(String text) {
    String t = text.strip();
    // Some nfdump versions scale large counts ("1.2 M"); CSV output normally does not.
    long scale = 1;
    if (t.endsWith(" M")) {
      scale = 1_000_000L;
      t = t.substring(0, t.length() - 2);
    } else if (t.endsWith(" G")) {
      scale = 1_000_000_000L;
      t = t.substring(0, t.length() - 2);
    }
    try {
      return t.indexOf('.') >= 0
          ? (long) (Double.parseDouble(t) * scale)
          : Long.parseLong(t) * scale;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("count \"" + text + "\" is not a number");
    }
  }

  private static int protocol(String text) {
    return switch (text.toUpperCase(Locale.ROOT)) {
      case "TCP" -> 6;
      case "UDP" -> 17;
      case "ICMP" -> 1;
      case "ICMP6", "IPV6-ICMP" -> 58;
      case "SCTP" -> 132;
      case "GRE" -> 47;
      case "ESP" -> 50;
      default -> {
        try {
          yield Integer.parseInt(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "protocol \"" + text + "\" is neither a name nor a number");
        }
      }
    };
  }

  /** nfdump's flag letters ("...AP.SF", "CEUAPRSF" positions) or a number. */
  private static int flags(String text) {
    if (text.startsWith("0x")) {
      return Integer.parseInt(text.substring(2), 16);
    }
    if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Integer.parseInt(text);
    }
    int v = 0;
    for (int i = 0; i < text.length(); i++) {
      v |=
          switch (text.charAt(i)) {
            case 'F' -> 0x01;
            case 'S' -> 0x02;
            case 'R' -> 0x04;
            case 'P' -> 0x08;
            case 'A' -> 0x10;
            case 'U' -> 0x20;
            case 'E' -> 0x40;
            case 'C' -> 0x80;
            case '.' -> 0;
            default ->
                throw new IllegalArgumentException(
                    "TCP flags \"" + text + "\" hold an unknown letter");
          };
    }
    return v;
  }
}
