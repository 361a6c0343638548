package org.minewatch.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.minewatch.testkit.PcapWriter;
import org.minewatch.testkit.SimulatedMiner;
import org.minewatch.testkit.TrafficBuilder;

/**
 * Floods with a miner inside: writes a SYN flood, a payload flood and a DNS-name flood, each mixed
 * with one XMRig session, runs the real launcher ({@code ./minewatch scan}, default settings) on
 * each under {@code /usr/bin/time}, and reports peak RSS, packets per second (whole process) and
 * the miner's estimate against the miner scanned alone.
 *
 * <p>Run from the project root after {@code ./mvnw -B -DskipTests package}: {@code java -cp
 * minewatch-benchmarks/target/benchmarks.jar org.minewatch.benchmarks.FloodScans [WORK_DIR]
 * [SCALE]}. Captures are written once to WORK_DIR (default {@code bench/work}); SCALE (default 1)
 * multiplies the flood sizes: 5,000,000 SYNs, 100,000 flows of 12 x 1,400 bytes, 1,000,000 DNS
 * names.
 */
public final class FloodScans {
  private static final Instant START = Instant.parse("2024-03-01T00:00:00Z");
  private static final String MINER = "10.7.0.1";
  private static final Pattern HASHRATE =
      Pattern.compile(
          "\"hashrate\":\\{\"value\":([^,]+),\"unit\":\"([^\"]+)\",\"low\":([^,]+),\"high\":([^,]+),\"shares\":(\\d+)");
  private static final Pattern PACKETS =
      Pattern.compile("minewatch: \\d+ files, ([\\d,]+) packets");

  /** The summary's lines about evictions and the buffer budget, printed after the table. */
  private static final List<String> NOTES = new ArrayList<>();

  private FloodScans() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args.length > 0 ? args[0] : "bench/work");
    double scale = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
    Files.createDirectories(work);
    Path launcher = Path.of("minewatch").toAbsolutePath();

    Path alone = work.resolve("flood-miner-alone.pcap");
    Path syn = work.resolve("flood-syn.pcap");
    Path payload = work.resolve("flood-payload.pcap");
    Path dns = work.resolve("flood-dns.pcap");
    if (!Files.exists(alone)) {
      try (PcapWriter.Stream out = new PcapWriter.Stream(alone, PcapWriter.Link.ETHERNET)) {
        out.writeAll(miner());
      }
    }
    int synFlows = (int) (5_000_000 * scale);
    int payloadFlows = (int) (100_000 * scale);
    int names = (int) (1_000_000 * scale);
    if (!Files.exists(syn)) {
      writeSynFlood(syn, synFlows);
    }
    if (!Files.exists(payload)) {
      writePayloadFlood(payload, payloadFlows);
    }
    if (!Files.exists(dns)) {
      writeDnsFlood(dns, names);
    }
    System.out.println(
        "| capture | size | packets | seconds | packets/s | peak RSS | the miner ("
            + MINER
            + ") |");
    System.out.println("|---|---|---|---|---|---|---|");
    run(launcher, work, alone, "the miner alone");
    run(launcher, work, syn, String.format(Locale.ROOT, "SYN flood, %,d flows", synFlows));
    run(
        launcher,
        work,
        payload,
        String.format(Locale.ROOT, "payload flood, %,d flows x 12 x 1,400 B", payloadFlows));
    run(launcher, work, dns, String.format(Locale.ROOT, "DNS-name flood, %,d names", names));
    System.out.println();
    NOTES.forEach(System.out::println);
  }

  /**
   * One XMRig session of 600 s at 500 H/s, starting 200 s in: every flood below is under way by
   * then.
   */
  static List<TrafficBuilder.Frame> miner() {
    TrafficBuilder t = new TrafficBuilder(START.plusSeconds(200));
    SimulatedMiner.session(
        t, SimulatedMiner.Dialect.XMRIG, MINER, 40001, "203.0.113.77", 500, 600, new Random(11));
    return t.frames();
  }

  /** Writes flood frames and the miner's, in time order. */
  private static final class Merger implements AutoCloseable {
    private final PcapWriter.Stream out;
    private final List<TrafficBuilder.Frame> miner = miner();
    private int next;

    Merger(Path file) throws IOException {
      out = new PcapWriter.Stream(file, PcapWriter.Link.ETHERNET);
    }

    void write(List<TrafficBuilder.Frame> flood) throws IOException {
      for (TrafficBuilder.Frame f : flood) {
        while (next < miner.size() && miner.get(next).timeNanos() <= f.timeNanos()) {
          out.write(miner.get(next++));
        }
        out.write(f);
      }
    }

    @Override
    public void close() throws IOException {
      while (next < miner.size()) {
        out.write(miner.get(next++));
      }
      out.close();
    }
  }

  /** SYNs from distinct addresses, never answered, 200 us apart. */
  static void writeSynFlood(Path file, int flows) throws IOException {
    TrafficBuilder t = new TrafficBuilder(START);
    try (Merger m = new Merger(file)) {
      for (int i = 0; i < flows; i++) {
        t.tcp(address(i), 40000, "10.9.0.1", 80).syn();
        if (i % 10_000 == 9_999) {
          m.write(t.drain());
        }
      }
      m.write(t.drain());
    }
  }

  /**
   * Concurrent TCP flows that each send 12 segments of 1,400 bytes, round by round: the start of a
   * Bitcoin message announcing 16,000 bytes, then random bytes. The node detector waits for the
   * whole message, so without a bound every flow would hold a 16 KiB buffer: the worst case.
   */
  static void writePayloadFlood(Path file, int flows) throws IOException {
    TrafficBuilder t = new TrafficBuilder(START);
    Random r = new Random(7);
    List<TrafficBuilder.Tcp> conns = new ArrayList<>(flows);
    try (Merger m = new Merger(file)) {
      for (int i = 0; i < flows; i++) {
        conns.add(t.tcp(address(i), 40000, "10.9.0.1", 8333).handshake());
        if (i % 10_000 == 9_999) {
          m.write(t.drain());
        }
      }
      for (int round = 0; round < 12; round++) {
        byte[] segment = new byte[1400];
        r.nextBytes(segment);
        if (round == 0) {
          byte[] header = {
            (byte) 0xf9,
            (byte) 0xbe,
            (byte) 0xb4,
            (byte) 0xd9,
            'v',
            'e',
            'r',
            's',
            'i',
            'o',
            'n',
            0,
            0,
            0,
            0,
            0,
            (byte) 0x80,
            0x3e,
            0,
            0
          };
          System.arraycopy(header, 0, segment, 0, header.length);
        }
        for (int i = 0; i < flows; i++) {
          conns.get(i).send(true, segment);
          if (i % 10_000 == 9_999) {
            m.write(t.drain());
          }
        }
        m.write(t.drain());
      }
    }
  }

  /** Queries for distinct names and their answers, each from its own client port: one flow each. */
  static void writeDnsFlood(Path file, int names) throws IOException {
    TrafficBuilder t = new TrafficBuilder(START);
    Random r = new Random(9);
    try (Merger m = new Merger(file)) {
      for (int i = 0; i < names; i++) {
        String name = label(r) + ".example" + (i % 5000) + ".com";
        int[] answer = {198, 51, 100 + (i >>> 8 & 0x3f), i & 0xff};
        t.udp(
            address(i),
            30000 + (i & 0x3fff),
            "10.0.0.53",
            53,
            org.minewatch.testkit.DnsMessages.of(name, null));
        t.udp(
            "10.0.0.53",
            53,
            address(i),
            30000 + (i & 0x3fff),
            org.minewatch.testkit.DnsMessages.of(name, answer));
        t.advance(Duration.ofNanos(300_000));
        if (i % 10_000 == 9_999) {
          m.write(t.drain());
        }
      }
      m.write(t.drain());
    }
  }

  private static String address(int i) {
    return "10."
        + (64 + (i >>> 16))
        + "."
        + (i >>> 8 & 0xff)
        + "."
        + (i & 0xff); // distinct below 12.5 million
  }

  private static String label(Random r) {
    char[] c = new char[12];
    for (int k = 0; k < c.length; k++) {
      c[k] = (char) ('a' + r.nextInt(26));
    }
    return new String(c);
  }

  /** Scans one capture with the launcher at its defaults and prints a table row. */
  private static void run(Path launcher, Path work, Path capture, String what)
      throws IOException, InterruptedException {
    Path time = work.resolve("flood.time");
    Path err = work.resolve("flood.err");
    Path findings = work.resolve("flood-findings.jsonl");
    Process p =
        new ProcessBuilder(
                "/usr/bin/time",
                "-f",
                "%e %M",
                "-o",
                time.toString(),
                launcher.toString(),
                "scan",
                "-f",
                "jsonl",
                "-o",
                findings.toString(),
                capture.toString())
            .redirectError(err.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("scan of " + capture + " failed: " + Files.readString(err));
    }
    String[] t = Files.readString(time).trim().split(" ");
    double seconds = Double.parseDouble(t[0]);
    long rssKib = Long.parseLong(t[1]);
    String summary = Files.readString(err);
    Matcher pm = PACKETS.matcher(summary);
    long packets = pm.find() ? Long.parseLong(pm.group(1).replace(",", "")) : -1;
    String miner = "not found";
    for (String line : Files.readAllLines(findings)) {
      if (line.startsWith("{\"host\":\"" + MINER + "\"") && line.contains("\"role\":\"miner\"")) {
        Matcher h = HASHRATE.matcher(line);
        miner =
            h.find()
                ? String.format(
                    Locale.ROOT,
                    "%s shares, %s %s (%s-%s)",
                    h.group(5),
                    h.group(1),
                    h.group(2),
                    h.group(3),
                    h.group(4))
                : "found, no estimate";
      }
    }
    System.out.printf(
        Locale.ROOT,
        "| %s | %,d MB | %,d | %.2f | %,.0f | %,d MiB | %s |%n",
        what,
        Files.size(capture) / 1_000_000,
        packets,
        seconds,
        packets / seconds,
        rssKib / 1024,
        miner);
    for (String line : summary.split("\n")) {
      if (line.contains("evicted") || line.contains("not inspected")) {
        NOTES.add(what + ": " + line);
      }
    }
  }
}
