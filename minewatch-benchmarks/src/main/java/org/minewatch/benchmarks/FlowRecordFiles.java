package org.minewatch.benchmarks;

import static org.minewatch.testkit.ExportMessages.ipfix;
import static org.minewatch.testkit.ExportMessages.set;
import static org.minewatch.testkit.ExportMessages.template;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.minewatch.evidence.EvidenceAggregator;
import org.minewatch.flowrecord.ExportDecoder;
import org.minewatch.flowrecord.FlowRecordAnalyzer;
import org.minewatch.flowrecord.IpfixFile;
import org.minewatch.intel.AddressNames;
import org.minewatch.intel.BlockList;
import org.minewatch.intel.Intel;
import org.minewatch.intel.PoolCatalogue;
import org.minewatch.io.Inputs;
import org.minewatch.logs.LogAnalyzer;
import org.minewatch.testkit.ExportMessages.Bytes;

/**
 * Flow records from IPFIX files (issue 13, part 4): writes an IPFIX file of realistic records with
 * the test kit's writers (four observation domains, each with an IPv4 template in milliseconds, an
 * IPv6 one, an RFC 5103 biflow one and a sysUpTime one with its options template; 200,000 client
 * hosts, 50,000 servers, TCP, UDP and ICMP; one record in 400 a session with a listed pool, both
 * directions), then reads it in process as {@code minewatch scan} does ({@link Inputs#open}, {@link
 * IpfixFile}, {@link ExportDecoder}, {@link FlowRecordAnalyzer}) several times, alternating decode
 * alone (records counted, nothing analysed) and decode with the analysis, and prints records per
 * second and bytes allocated per record (the thread's own allocation counter) for each pass. The
 * first pass includes the JIT's warming; the later ones are the steady state.
 *
 * <p>Run from the project root after {@code ./mvnw -B -q -pl minewatch-benchmarks -am package
 * -DskipTests}: {@code taskset -c 0 java -XX:+UseSerialGC -cp
 * minewatch-benchmarks/target/benchmarks.jar org.minewatch.benchmarks.FlowRecordFiles [WORK_DIR]
 * [RECORDS] [PASSES]} (default {@code bench/work}, 16,000,000 records, 5 passes of each kind). The
 * file is written once to WORK_DIR as {@code flows-RECORDS.ipfix}.
 */
public final class FlowRecordFiles {
  /** 2023-11-14T22:13:20Z. */
  private static final long T0 = 1_700_000_000L;

  private static final long REVERSE = 29305L << 16;
  private static final int DOMAINS = 4;
  private static final int MESSAGE_BYTES = 1400;

  /** Pools on the benchmark's block list (documentation range). */
  static final String[] POOLS = {
    "198.51.100.10", "198.51.100.11", "198.51.100.12", "198.51.100.13",
    "198.51.100.20", "198.51.100.21", "198.51.100.22", "198.51.100.23"
  };

  private FlowRecordFiles() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args.length > 0 ? args[0] : "bench/work");
    long records = args.length > 1 ? Long.parseLong(args[1]) : 16_000_000L;
    int passes = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Files.createDirectories(work);
    Path file = work.resolve("flows-" + records + ".ipfix");
    if (!Files.exists(file)) {
      long t = System.nanoTime();
      Path partial = work.resolve(file.getFileName() + ".part");
      write(partial, records);
      Files.move(partial, file);
      System.out.printf(
          Locale.ROOT,
          "wrote %s: %,d records, %,d bytes in %.1f s%n",
          file,
          records,
          Files.size(file),
          (System.nanoTime() - t) / 1e9);
    }
    System.out.printf(
        Locale.ROOT,
        "%s: %,d bytes; java %s, %d processor(s) available%n",
        file,
        Files.size(file),
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    System.out.println("| pass | what | records | seconds | records/s | B allocated/record |");
    System.out.println("|---|---|---|---|---|---|");
    List<Double> decodeRates = new ArrayList<>();
    List<Double> fullRates = new ArrayList<>();
    for (int p = 1; p <= passes; p++) {
      decodeRates.add(pass(file, p, false));
      fullRates.add(pass(file, p, true));
    }
    System.out.printf(
        Locale.ROOT,
        "first pass: decode %,.0f records/s, decode+analyse %,.0f records/s%n",
        decodeRates.get(0),
        fullRates.get(0));
    if (passes > 1) {
      System.out.printf(
          Locale.ROOT,
          "steady state (passes 2-%d, median [range]): decode %s, decode+analyse %s records/s%n",
          passes,
          medianAndRange(decodeRates.subList(1, passes)),
          medianAndRange(fullRates.subList(1, passes)));
    }
  }

  /** One read of the file; returns records per second. */
  private static double pass(Path file, int number, boolean analyse) throws IOException {
    PoolCatalogue catalogue = PoolCatalogue.defaults();
    catalogue.addListed(BlockList.read(new StringReader(String.join("\n", POOLS)), "pools"));
    Intel intel = new Intel(catalogue, new AddressNames());
    EvidenceAggregator aggregator = new EvidenceAggregator(catalogue);
    aggregator.source("ipfix");
    FlowRecordAnalyzer flows =
        new FlowRecordAnalyzer(intel, new LogAnalyzer(intel, aggregator, file.toString()));
    ExportDecoder decoder = new ExportDecoder();
    long[] sink = new long[1];
    long[] problems = new long[1];
    long allocatedBefore = allocated();
    long t = System.nanoTime();
    long delivered;
    try (InputStream in = Inputs.open(file)) {
      delivered =
          analyse
              ? IpfixFile.readInto(file.toString(), in, decoder, flows, s -> problems[0]++)
              : IpfixFile.readInto(
                  file.toString(), in, decoder, r -> sink[0] += r.bytes(), s -> problems[0]++);
    }
    if (analyse) {
      flows.finish();
    }
    double seconds = (System.nanoTime() - t) / 1e9;
    long allocatedBytes = allocated() - allocatedBefore;
    double rate = delivered / seconds;
    System.out.printf(
        Locale.ROOT,
        "| %d | %s | %,d | %.2f | %,.0f | %.1f |%s%n",
        number,
        analyse ? "decode+analyse" : "decode",
        delivered,
        seconds,
        rate,
        (double) allocatedBytes / delivered,
        (problems[0] > 0 ? " " + problems[0] + " problems!" : "")
            + (analyse ? " findings: " + aggregator.findings().size() : ""));
    return rate;
  }

  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  static String medianAndRange(List<Double> rates) {
    double[] r = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median =
        r.length % 2 == 1 ? r[r.length / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
    return String.format(Locale.ROOT, "%,.0f [%,.0f-%,.0f]", median, r[0], r[r.length - 1]);
  }

  /** The templates of the file, per domain. */
  enum Shape {
    /** IPv4, times in milliseconds, interfaces (nProbe-like). */
    V4(256, 54, 8, 4, 12, 4, 7, 2, 11, 2, 4, 1, 6, 1, 1, 8, 2, 8, 152, 8, 153, 8, 10, 4, 14, 4),
    /** IPv6, times in milliseconds. */
    V6(257, 70, 27, 16, 28, 16, 7, 2, 11, 2, 4, 1, 6, 1, 1, 8, 2, 8, 152, 8, 153, 8),
    /** IPv4 biflow (RFC 5103 reverse counters, YAF-like). */
    BIFLOW(
        258,
        62,
        8,
        4,
        12,
        4,
        7,
        2,
        11,
        2,
        4,
        1,
        6,
        1,
        1,
        8,
        2,
        8,
        REVERSE | 1,
        8,
        REVERSE | 2,
        8,
        152,
        8,
        153,
        8),
    /** IPv4, times as sysUpTime (softflowd-like), the boot time from options data. */
    UPTIME(259, 32, 8, 4, 12, 4, 7, 2, 11, 2, 4, 1, 6, 1, 1, 4, 2, 4, 22, 4, 21, 4);

    final int id;
    final int recordBytes;
    final long[] fields;

    Shape(int id, int recordBytes, long... fields) {
      this.id = id;
      this.recordBytes = recordBytes;
      this.fields = fields;
    }
  }

  private static final int OPTIONS_TEMPLATE = 260;

  /** Every template of a domain, and the options template with its record (the boot time). */
  private static byte[][] templateSets(long domain, long bootMillis) {
    List<byte[]> templates = new ArrayList<>();
    for (Shape s : Shape.values()) {
      templates.add(template(s.id, s.fields));
    }
    int total = templates.stream().mapToInt(b -> b.length).sum();
    Bytes all = new Bytes();
    templates.forEach(all::bytes);
    // Options template 260: scope observationDomainId, then systemInitTimeMilliseconds.
    byte[] options =
        new Bytes()
            .u16(OPTIONS_TEMPLATE)
            .u16(2)
            .u16(1)
            .u16(149)
            .u16(4)
            .u16(160)
            .u16(8)
            .toByteArray();
    byte[] optionsData = new Bytes().u32(domain).u64(bootMillis).toByteArray();
    assert total == all.size();
    return new byte[][] {
      set(2, all.toByteArray()), set(3, options), set(OPTIONS_TEMPLATE, optionsData)
    };
  }

  /** Writes {@code records} data records, 30 messages a second of export time. */
  static void write(Path file, long records) throws IOException {
    Random rnd = new Random(42);
    long[] sequence = new long[DOMAINS];
    long bootMillis = (T0 - 86_400) * 1000L;
    long written = 0;
    long message = 0;
    Shape[] mix = new Shape[20];
    Arrays.fill(mix, 0, 13, Shape.V4);
    Arrays.fill(mix, 13, 16, Shape.V6);
    Arrays.fill(mix, 16, 18, Shape.BIFLOW);
    Arrays.fill(mix, 18, 20, Shape.UPTIME);
    Flows flows = new Flows(rnd);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      while (written < records) {
        int domain = (int) (message % DOMAINS);
        long exportSeconds = T0 + message / 30;
        Shape shape = mix[rnd.nextInt(mix.length)];
        int count = (int) Math.min(MESSAGE_BYTES / shape.recordBytes, records - written);
        Bytes data = new Bytes();
        for (int i = 0; i < count; i++) {
          flows.next(shape, exportSeconds, bootMillis, data);
        }
        List<byte[]> sets = new ArrayList<>();
        if (message / DOMAINS % 2_000 == 0) {
          // Templates at the start of each domain and again every 2,000 of its messages.
          sets.addAll(List.of(templateSets(domain + 1, bootMillis)));
        }
        sets.add(set(shape.id, data.toByteArray()));
        out.write(ipfix(exportSeconds, sequence[domain], domain + 1, sets.toArray(byte[][]::new)));
        sequence[domain] += count + (message / DOMAINS % 2_000 == 0 ? 1 : 0);
        written += count;
        message++;
      }
    }
  }

  /** Draws the flows: many hosts, a few pool sessions written as their two one-way records. */
  private static final class Flows {
    private final Random rnd;
    private boolean poolReplyDue;
    private int poolClient;
    private int poolIndex;
    private int poolClientPort;

    Flows(Random rnd) {
      this.rnd = rnd;
    }

    void next(Shape shape, long exportSeconds, long bootMillis, Bytes b) {
      boolean v6 = shape == Shape.V6;
      long endMillis = exportSeconds * 1000L - rnd.nextInt(5_000);
      long startMillis = endMillis - rnd.nextInt(120_000);
      long packets;
      long bytes;
      int client = rnd.nextInt(200_000);
      int server = rnd.nextInt(50_000);
      int clientPort = 1024 + rnd.nextInt(64_511);
      int serverPort;
      int protocol;
      boolean fromClient = rnd.nextBoolean();
      int flags = 0;
      if (!v6 && (poolReplyDue || rnd.nextInt(400) == 0)) {
        // A miner and its pool: the client's record, then the pool's.
        if (!poolReplyDue) {
          poolClient = rnd.nextInt(500);
          poolIndex = poolClient % POOLS.length;
          poolClientPort = 40_000 + poolClient;
        }
        fromClient = !poolReplyDue;
        poolReplyDue = !poolReplyDue;
        client = poolClient;
        clientPort = poolClientPort;
        serverPort = 3333;
        protocol = 6;
        packets = 40 + rnd.nextInt(20);
        bytes = packets * (60 + rnd.nextInt(200));
        flags = 0x1b;
        int pool = ipv4(POOLS[poolIndex]);
        writeRecord(
            shape,
            b,
            0x0a00_0000 | client,
            pool,
            clientPort,
            serverPort,
            protocol,
            flags,
            packets,
            bytes,
            startMillis,
            endMillis,
            bootMillis,
            fromClient);
        return;
      }
      int pick = rnd.nextInt(100);
      if (pick < 2) {
        protocol = v6 ? 58 : 1;
        serverPort = 0;
        clientPort = 0;
      } else if (pick < 20) {
        protocol = 17;
        serverPort = pick < 17 ? 53 : 123;
      } else {
        protocol = 6;
        serverPort = pick < 80 ? 443 : pick < 95 ? 80 : pick < 98 ? 8080 : 22;
        flags = rnd.nextInt(0x40);
      }
      packets = 1 + rnd.nextInt(60);
      bytes = packets * (40 + rnd.nextInt(1_400));
      if (v6) {
        long clientHi = 0x2001_0db8_0000_0000L | client >>> 8;
        long clientLo = (long) client << 8 | 0x11;
        long serverHi = 0x2001_0db8_ff00_0000L | server;
        long serverLo = 0x1;
        if (fromClient) {
          b.u64(clientHi).u64(clientLo).u64(serverHi).u64(serverLo).u16(clientPort).u16(serverPort);
        } else {
          b.u64(serverHi).u64(serverLo).u64(clientHi).u64(clientLo).u16(serverPort).u16(clientPort);
        }
        b.u8(protocol).u8(flags).u64(bytes).u64(packets).u64(startMillis).u64(endMillis);
        return;
      }
      writeRecord(
          shape,
          b,
          0x0a00_0000 | client,
          0x2d00_0000 + server * 257,
          clientPort,
          serverPort,
          protocol,
          flags,
          packets,
          bytes,
          startMillis,
          endMillis,
          bootMillis,
          fromClient);
    }

    private void writeRecord(
        Shape shape,
        Bytes b,
        int clientAddress,
        int serverAddress,
        int clientPort,
        int serverPort,
        int protocol,
        int flags,
        long packets,
        long bytes,
        long startMillis,
        long endMillis,
        long bootMillis,
        boolean fromClient) {
      if (fromClient) {
        b.u32(clientAddress & 0xffff_ffffL)
            .u32(serverAddress & 0xffff_ffffL)
            .u16(clientPort)
            .u16(serverPort);
      } else {
        b.u32(serverAddress & 0xffff_ffffL)
            .u32(clientAddress & 0xffff_ffffL)
            .u16(serverPort)
            .u16(clientPort);
      }
      b.u8(protocol).u8(flags);
      switch (shape) {
        case V4 ->
            b.u64(bytes)
                .u64(packets)
                .u64(startMillis)
                .u64(endMillis)
                .u32(1 + rnd.nextInt(8))
                .u32(1 + rnd.nextInt(8));
        case BIFLOW -> {
          long replyPackets = Math.max(1, packets - rnd.nextInt((int) packets));
          b.u64(bytes)
              .u64(packets)
              .u64(replyPackets * (40 + rnd.nextInt(1_400)))
              .u64(replyPackets)
              .u64(startMillis)
              .u64(endMillis);
        }
        case UPTIME ->
            b.u32(bytes).u32(packets).u32(startMillis - bootMillis).u32(endMillis - bootMillis);
        default -> throw new IllegalStateException(shape.toString());
      }
    }
  }

  private static int ipv4(String dotted) {
    int a = 0;
    for (String p : dotted.split("\\.")) {
      a = a << 8 | Integer.parseInt(p);
    }
    return a;
  }
}
