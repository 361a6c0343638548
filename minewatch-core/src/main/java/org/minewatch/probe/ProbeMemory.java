package org.minewatch.probe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.minewatch.model.Endpoint;
import org.minewatch.model.IpAddress;
import org.minewatch.model.Protocol;

/**
 * The last probe of each endpoint, so that no endpoint is connected to again within the interval
 * (whatever the result was), and confirmed pools stay intelligence after the run. Kept in a
 * tab-separated file between runs when given one.
 */
public final class ProbeMemory {
  /** One probe per endpoint per hour. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);
  /** Endpoints remembered; the oldest results that confirmed nothing go first beyond it. */
  static final int MAX_ENDPOINTS = 100_000;

  private final Duration interval;
  private final Path file;
  private final Map<Endpoint, ProbeResult> results = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();

  private ProbeMemory(Duration interval, Path file) {
    if (interval.isNegative()) {
      throw new IllegalArgumentException("the probe interval cannot be negative: " + interval);
    }
    this.interval = interval;
    this.file = file;
  }

  /** Remembers for this process only. */
  public static ProbeMemory inMemory(Duration interval) {
    return new ProbeMemory(interval, null);
  }

  /** Remembers in {@code file} too (read now if it exists; bad lines are {@link #problems()}). */
  public static ProbeMemory load(Path file, Duration interval) throws IOException {
    ProbeMemory m = new ProbeMemory(interval, file);
    if (Files.exists(file)) {
      try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
          n++;
          if (line.isBlank() || line.startsWith("#")) {
            continue;
          }
          try {
            ProbeResult result = parse(line);
            m.results.put(result.endpoint(), result);
          } catch (IllegalArgumentException | DateTimeParseException e) {
            m.problems.add(file + ":" + n + ": skipped: " + e.getMessage());
          }
        }
      }
    }
    return m;
  }

  public Duration interval() {
    return interval;
  }

  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** The endpoint's last result if it was probed less than the interval before {@code now}. */
  public synchronized Optional<ProbeResult> recent(Endpoint endpoint, Instant now) {
    ProbeResult r = results.get(endpoint);
    return r != null && now.isBefore(r.time().plus(interval)) ? Optional.of(r) : Optional.empty();
  }

  public synchronized void remember(ProbeResult result) {
    results.remove(result.endpoint()); // re-inserted last: the map's order is the order of probing
    results.put(result.endpoint(), result);
    if (results.size() > MAX_ENDPOINTS) {
      results.values().stream().filter(r -> !r.pool()).findFirst()
          .or(() -> results.values().stream().findFirst())
          .ifPresent(r -> results.remove(r.endpoint()));
    }
  }

  /** Every endpoint remembered as a pool, with the probe that confirmed it. */
  public synchronized Map<Endpoint, ProbeResult> pools() {
    Map<Endpoint, ProbeResult> out = new LinkedHashMap<>();
    results.forEach((e, r) -> {
      if (r.pool()) {
        out.put(e, r);
      }
    });
    return out;
  }

  /** Writes the file (if any) whole, through a temporary file, so a crash leaves the old one intact. */
  public synchronized void save() throws IOException {
    if (file == null) {
      return;
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write("# MineWatch probe results: endpoint, time, protocol, wire, certificate SHA-256, answer, attempts "
          + "(backslash, tab, newline, CR and | escaped with a backslash; attempts separated by \" | \")\n");
      for (ProbeResult r : results.values()) {
        w.write(format(r));
        w.write('\n');
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static String format(ProbeResult r) {
    Confirmation c = r.confirmation();
    return String.join("\t", r.endpoint().toString(), r.time().toString(),
        c == null ? "-" : c.protocol().label(), c == null ? "-" : c.wire().name(),
        c == null || c.certificateSha256() == null ? "-" : c.certificateSha256(),
        c == null ? "-" : encode(c.answer()),
        String.join(" | ", r.attempts().stream().map(ProbeMemory::encode).toList()));
  }

  static ProbeResult parse(String line) {
    String[] f = line.split("\t", -1);
    if (f.length != 7) {
      throw new IllegalArgumentException("expected 7 tab-separated fields, found " + f.length);
    }
    Endpoint endpoint = endpoint(f[0]);
    Instant time = Instant.parse(f[1]);
    Confirmation c = null;
    if (!f[2].equals("-")) {
      Protocol p = Arrays.stream(Protocol.values()).filter(x -> x.label().equals(f[2])).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown protocol " + f[2]));
      Wire wire;
      try {
        wire = Wire.valueOf(f[3]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown wire " + f[3] + " (CLEAR or TLS)");
      }
      c = new Confirmation(p, wire, decode(f[5]), f[4].equals("-") ? null : f[4]);
    }
    List<String> attempts = f[6].isEmpty() ? List.of()
        : Arrays.stream(f[6].split(" \\| ", -1)).map(ProbeMemory::decode).toList();
    return new ProbeResult(endpoint, time, c, attempts);
  }

  /** HOST:PORT with a literal address ({@code [v6]:port} for IPv6), as {@link Endpoint#toString()} writes it. */
  public static Endpoint endpoint(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(text + ": expected ADDRESS:PORT");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException(text + ": write an IPv6 endpoint as [ADDRESS]:PORT");
    }
    String p = text.substring(colon + 1);
    if (p.isEmpty() || p.length() > 5 || !p.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException(text + ": the port is not a number");
    }
    int port = Integer.parseInt(p);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(text + ": the port must be 1..65535");
    }
    return new Endpoint(IpAddress.parse(host), port);
  }

  /**
   * A field's text with backslash, tab, newline, carriage return and "|" (of the " | " between
   * attempts) escaped, so that every text, whatever it holds, is read back exactly by {@link #decode}.
   */
  static String encode(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\t' -> b.append("\\t");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '|' -> b.append("\\|");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** The text {@link #encode} was given; a backslash before anything else is kept as it is (files of older versions). */
  static String decode(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 == s.length()) {
        b.append(c);
        continue;
      }
      char n = s.charAt(i + 1);
      switch (n) {
        case '\\' -> b.append('\\');
        case 't' -> b.append('\t');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case '|' -> b.append('|');
        default -> {
          b.append(c);
          continue;
        }
      }
      i++;
    }
    return b.toString();
  }
}
