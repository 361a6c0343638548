package org.minewatch.probe;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.minewatch.model.Algorithm;
import org.minewatch.model.Coin;
import org.minewatch.model.Endpoint;
import org.minewatch.model.HostPort;
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

  /**
   * Remembers in {@code file} too (read now if it exists). Lines that cannot be read (not UTF-8, or
   * not a result) are {@link #problems()}, and on the next {@link #save()} are moved to {@code
   * FILE.bad}, exactly as they were, rather than lost.
   */
  public static ProbeMemory load(Path file, Duration interval) throws IOException {
    ProbeMemory m = new ProbeMemory(interval, file);
    Read read = read(file);
    read.results().forEach(r -> m.results.put(r.endpoint(), r));
    m.problems.addAll(read.problems());
    return m;
  }

  /**
   * What a results file holds: its results, its unreadable lines (as bytes) and why each could not
   * be read.
   */
  private record Read(List<ProbeResult> results, List<byte[]> bad, List<String> problems) {}

  private static Read read(Path file) throws IOException {
    List<ProbeResult> results = new ArrayList<>();
    List<byte[]> bad = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    if (!Files.exists(file)) {
      return new Read(results, bad, problems);
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int n = 0;
      boolean more = true;
      while (more) {
        int c = in.read();
        if (c >= 0 && c != '\n') {
          line.write(c);
          continue;
        }
        more = c >= 0;
        if (!more && line.size() == 0) {
          break;
        }
        n++;
        byte[] bytes = line.toByteArray();
        line.reset();
        String reason;
        try {
          String text =
              StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .onUnmappableCharacter(CodingErrorAction.REPORT)
                  .decode(ByteBuffer.wrap(bytes))
                  .toString();
          if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
          }
          if (text.isBlank() || text.startsWith("#")) {
            continue;
          }
          results.add(parse(text));
          continue;
        } catch (CharacterCodingException e) {
          reason = "not valid UTF-8";
        } catch (IllegalArgumentException | DateTimeParseException e) {
          reason = e.getMessage();
        }
        bad.add(bytes);
        problems.add(
            file + ":" + n + ": skipped (kept in " + badFile(file).getFileName() + "): " + reason);
      }
    }
    return new Read(results, bad, problems);
  }

  private static Path badFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".bad");
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
      results.values().stream()
          .filter(r -> !r.pool())
          .findFirst()
          .or(() -> results.values().stream().findFirst())
          .ifPresent(r -> results.remove(r.endpoint()));
    }
  }

  /** Every endpoint remembered as a pool, with the probe that confirmed it. */
  public synchronized Map<Endpoint, ProbeResult> pools() {
    Map<Endpoint, ProbeResult> out = new LinkedHashMap<>();
    results.forEach(
        (e, r) -> {
          if (r.pool()) {
            out.put(e, r);
          }
        });
    return out;
  }

  /**
   * Writes the file (if any) whole: under a lock on {@code FILE.lock}, what another process wrote
   * since is read again and merged (the later probe of an endpoint wins), lines that cannot be read
   * are appended to {@code FILE.bad}, and the result is written to a temporary file beside it,
   * forced to disk and renamed over the old one, so a crash leaves either the old file or the new.
   */
  public synchronized void save() throws IOException {
    if (file == null) {
      return;
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    // One lock per JVM as well: a FileLock is held by the process, and overlapping ones throw.
    synchronized (ProbeMemory.class) {
      try (FileChannel lock =
              FileChannel.open(
                  file.resolveSibling(file.getFileName() + ".lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock held = lock.lock()) {
        Read disk = read(file);
        for (ProbeResult r : disk.results()) {
          ProbeResult mine = results.get(r.endpoint());
          if (mine == null || r.time().isAfter(mine.time())) {
            remember(r);
          }
        }
        if (!disk.bad().isEmpty()) {
          try (FileChannel bad =
              FileChannel.open(
                  badFile(file),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.APPEND)) {
            for (byte[] line : disk.bad()) {
              write(bad, ByteBuffer.wrap(line));
              write(bad, ByteBuffer.wrap(new byte[] {'\n'}));
            }
            bad.force(true);
          }
        }
        StringBuilder text =
            new StringBuilder(
                "# MineWatch probe results: endpoint, time, protocol, wire, certificate "
                    + "SHA-256, answer, attempts, coin, algorithm, how they were read (backslash, tab, "
                    + "newline, CR and | escaped with a backslash; attempts separated by \" | \")\n");
        for (ProbeResult r : results.values()) {
          text.append(format(r)).append('\n');
        }
        Path tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
        try {
          try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            write(out, StandardCharsets.UTF_8.encode(text.toString()));
            out.force(true);
          }
          Files.move(
              tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
    }
  }

  private static void write(FileChannel channel, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  static String format(ProbeResult r) {
    Confirmation c = r.confirmation();
    return String.join(
        "\t",
        r.endpoint().toString(),
        r.time().toString(),
        c == null ? "-" : c.protocol().label(),
        c == null ? "-" : c.wire().name(),
        c == null || c.certificateSha256() == null ? "-" : c.certificateSha256(),
        c == null ? "-" : encode(c.answer()),
        String.join(" | ", r.attempts().stream().map(ProbeMemory::encode).toList()),
        c == null || c.coin() == null ? "-" : c.coin().label(),
        c == null || c.algorithm() == null ? "-" : c.algorithm().label(),
        c == null || c.clue() == null ? "-" : encode(c.clue()));
  }

  static ProbeResult parse(String line) {
    String[] f = line.split("\t", -1);
    // 7 fields: written before the coin and algorithm were kept (they read as unknown).
    if (f.length != 10 && f.length != 7) {
      throw new IllegalArgumentException("expected 10 tab-separated fields, found " + f.length);
    }
    Endpoint endpoint = endpoint(f[0]);
    Instant time = Instant.parse(f[1]);
    Confirmation c = null;
    if (!f[2].equals("-")) {
      Protocol p =
          Arrays.stream(Protocol.values())
              .filter(x -> x.label().equals(f[2]))
              .findFirst()
              .orElseThrow(() -> new IllegalArgumentException("unknown protocol " + f[2]));
      Wire wire;
      try {
        wire = Wire.valueOf(f[3]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown wire " + f[3] + " (CLEAR or TLS)");
      }
      boolean clued = f.length == 10;
      c =
          new Confirmation(
              p,
              wire,
              decode(f[5]),
              f[4].equals("-") ? null : f[4],
              clued && !f[7].equals("-") ? Coin.fromLabel(f[7]) : null,
              clued && !f[8].equals("-") ? Algorithm.fromLabel(f[8]) : null,
              clued && !f[9].equals("-") ? decode(f[9]) : null);
    }
    List<String> attempts =
        f[6].isEmpty()
            ? List.of()
            : Arrays.stream(f[6].split(" \\| ", -1)).map(ProbeMemory::decode).toList();
    return new ProbeResult(endpoint, time, c, attempts);
  }

  /**
   * HOST:PORT with a literal address ({@code [v6]:port} for IPv6), as {@link Endpoint#toString()}
   * writes it.
   */
  public static Endpoint endpoint(String text) {
    HostPort hp = HostPort.parse(text, "ADDRESS");
    return new Endpoint(IpAddress.parse(hp.host()), hp.port());
  }

  /**
   * A field's text with backslash, tab, newline, carriage return and "|" (of the " | " between
   * attempts) escaped, so that every text, whatever it holds, is read back exactly by {@link
   * #decode}.
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

  /**
   * The text {@link #encode} was given; a backslash before anything else is kept as it is (files of
   * older versions).
   */
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
