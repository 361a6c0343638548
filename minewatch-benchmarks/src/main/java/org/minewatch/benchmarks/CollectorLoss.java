package org.minewatch.benchmarks;

import static org.minewatch.testkit.ExportMessages.ipfix;
import static org.minewatch.testkit.ExportMessages.set;
import static org.minewatch.testkit.ExportMessages.template;
import static org.minewatch.testkit.ExportMessages.v9;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.minewatch.evidence.EvidenceAggregator;
import org.minewatch.flowrecord.ExportDecoder;
import org.minewatch.flowrecord.FlowRecordAnalyzer;
import org.minewatch.flowrecord.UdpCollector;
import org.minewatch.intel.AddressNames;
import org.minewatch.intel.BlockList;
import org.minewatch.intel.Intel;
import org.minewatch.intel.PoolCatalogue;
import org.minewatch.logs.LogAnalyzer;
import org.minewatch.testkit.ExportMessages.Bytes;

/**
 * The UDP collector's loss at rising rates (issue 13, part 4): for each rate, starts the collector
 * that {@code minewatch collect} runs ({@link UdpCollector} with an {@link ExportDecoder} and a
 * {@link FlowRecordAnalyzer}, on its own thread) on loopback, and sends it for a while from two
 * exporters on their own thread (plain {@link DatagramChannel}s): one NetFlow v9, one IPFIX, half
 * the rate each, 25 records a datagram as real exporters send, each with its exporter's sequence
 * numbers and its templates every 500 datagrams. Reports per rate: records sent, records the
 * collector decoded, the loss its sequence numbers show, and the kernel's UDP counters
 * (RcvbufErrors and InErrors of {@code /proc/net/snmp}, before and after, and the drops of the
 * collector's socket in {@code /proc/net/udp}).
 *
 * <p>-DreceiveBuffer=BYTES asks for another socket receive buffer (default {@link
 * UdpCollector#DEFAULT_RECEIVE_BUFFER}, capped by {@code net.core.rmem_max}).
 *
 * <p>Run from the project root after {@code ./mvnw -B -q -pl minewatch-benchmarks -am package
 * -DskipTests}: {@code java -XX:+UseSerialGC -cp minewatch-benchmarks/target/benchmarks.jar
 * org.minewatch.benchmarks.CollectorLoss [SECONDS] [RATE...]} (default 10 s at 100,000, 250,000,
 * 500,000, 750,000 and 1,000,000 records a second).
 */
public final class CollectorLoss {
  private static final long T0 = 1_700_000_000L;
  static final int RECORDS_PER_DATAGRAM = 25;
  private static final int VARIANTS = 512;

  private static long firstRate;

  private CollectorLoss() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    List<Long> rates = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      rates.add(Long.parseLong(args[i]));
    }
    if (rates.isEmpty()) {
      rates = List.of(100_000L, 250_000L, 500_000L, 750_000L, 1_000_000L);
    }
    System.out.printf(
        Locale.ROOT,
        "java %s, %d processor(s); net.core.rmem_max %s%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        Files.readAllLines(Path.of("/proc/sys/net/core/rmem_max")).get(0).trim());
    System.out.println(
        "| records/s asked | sent/s | seconds | records sent | decoded | lost by sequence numbers |"
            + " kernel RcvbufErrors | kernel InErrors | socket drops |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    firstRate = rates.get(0);
    for (long rate : rates) {
      run(rate, seconds);
    }
  }

  private static void run(long rate, int seconds) throws Exception {
    PoolCatalogue catalogue = PoolCatalogue.defaults();
    catalogue.addListed(
        BlockList.read(new StringReader(String.join("\n", FlowRecordFiles.POOLS)), "pools"));
    Intel intel = new Intel(catalogue, new AddressNames());
    EvidenceAggregator aggregator = new EvidenceAggregator(catalogue);
    aggregator.source("flow-export");
    FlowRecordAnalyzer flows =
        new FlowRecordAnalyzer(intel, new LogAnalyzer(intel, aggregator, "collector"));
    ExportDecoder decoder = new ExportDecoder();
    UdpCollector collector =
        new UdpCollector(
            new InetSocketAddress("127.0.0.1", 0),
            Integer.getInteger("receiveBuffer", UdpCollector.DEFAULT_RECEIVE_BUFFER));
    if (rate == firstRate) {
      System.out.printf(
          Locale.ROOT,
          "socket receive buffer as the kernel reports it: %,d bytes%n",
          collector.receiveBuffer());
    }
    int port = collector.localAddress().getPort();
    Thread receiver =
        new Thread(
            () -> {
              try {
                collector.runInto(decoder, flows, p -> {}, () -> {}, 100);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            "collector");
    receiver.start();
    long[] snmpBefore = udpSnmp();
    Exporter netflow = new Exporter(9, new Random(1));
    Exporter ipfix = new Exporter(10, new Random(2));
    long sent = 0;
    long start = System.nanoTime();
    try (DatagramChannel a = DatagramChannel.open(StandardProtocolFamily.INET);
        DatagramChannel b = DatagramChannel.open(StandardProtocolFamily.INET)) {
      InetSocketAddress to = new InetSocketAddress("127.0.0.1", port);
      a.connect(to);
      b.connect(to);
      long datagrams = rate * seconds / RECORDS_PER_DATAGRAM;
      double nanosPerDatagram = 1e9 * RECORDS_PER_DATAGRAM / rate;
      for (long i = 0; i < datagrams; i++) {
        long due = start + (long) (i * nanosPerDatagram);
        long wait = due - System.nanoTime();
        if (wait > 50_000) {
          LockSupport.parkNanos(wait);
        }
        sent += (i % 2 == 0 ? netflow : ipfix).send(i % 2 == 0 ? a : b);
      }
    }
    double sendSeconds = (System.nanoTime() - start) / 1e9;
    // Until the collector has taken what the kernel holds for it.
    long last = -1;
    while (decoder.records() != last) {
      last = decoder.records();
      Thread.sleep(300);
    }
    long socketDrops = socketDrops(port);
    collector.close();
    receiver.join();
    long[] snmpAfter = udpSnmp();
    long lost = decoder.lostRecords() + decoder.lostMessages() * RECORDS_PER_DATAGRAM;
    System.out.printf(
        Locale.ROOT,
        "| %,d | %,.0f | %.1f | %,d | %,d | %,d | %,d | %,d | %,d |%n",
        rate,
        sent / sendSeconds,
        sendSeconds,
        sent,
        decoder.records(),
        lost,
        snmpAfter[0] - snmpBefore[0],
        snmpAfter[1] - snmpBefore[1],
        socketDrops);
  }

  /** One exporter: datagrams built once, sequence numbers and export time patched as sent. */
  private static final class Exporter {
    private final int version;
    private final byte[][] datagrams = new byte[VARIANTS][];
    private final byte[] templates;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(65_535);
    private long sequence;
    private long sentDatagrams;

    Exporter(int version, Random rnd) {
      this.version = version;
      long[] fields = {8, 4, 12, 4, 7, 2, 11, 2, 4, 1, 6, 1, 1, 4, 2, 4, 22, 4, 21, 4};
      for (int v = 0; v < VARIANTS; v++) {
        Bytes data = new Bytes();
        for (int r = 0; r < RECORDS_PER_DATAGRAM; r++) {
          boolean pool = rnd.nextInt(400) == 0;
          data.u32(0x0a00_0000L | rnd.nextInt(200_000))
              .ipv4(
                  pool
                      ? FlowRecordFiles.POOLS[rnd.nextInt(FlowRecordFiles.POOLS.length)]
                      : "45.0.0.1")
              .u16(1024 + rnd.nextInt(60_000))
              .u16(pool ? 3333 : 443)
              .u8(6)
              .u8(0x1b)
              .u32(1 + rnd.nextInt(100_000))
              .u32(1 + rnd.nextInt(100))
              .u32(rnd.nextInt(3_600_000))
              .u32(3_600_000);
        }
        byte[] dataSet = set(256, data.toByteArray());
        datagrams[v] = version == 9 ? v9(3_600_000, T0, 0, 7, dataSet) : ipfix(T0, 0, 7, dataSet);
      }
      byte[] templateSet = set(version == 9 ? 0 : 2, template(256, fields));
      templates =
          version == 9 ? v9(3_600_000, T0, 0, 7, templateSet) : ipfix(T0, 0, 7, templateSet);
    }

    /** Sends the next datagram (the templates first, and every 500th); returns its records. */
    int send(DatagramChannel channel) throws IOException {
      boolean template = sentDatagrams % 500 == 0;
      byte[] d = template ? templates : datagrams[(int) (sentDatagrams % VARIANTS)];
      sentDatagrams++;
      int records = template ? 0 : RECORDS_PER_DATAGRAM;
      // v9 numbers export packets; IPFIX numbers data records.
      int at = version == 9 ? 12 : 8;
      long number = sequence;
      sequence += version == 9 ? 1 : records;
      buffer.clear();
      buffer.put(d);
      buffer.putInt(at, (int) number);
      buffer.flip();
      channel.write(buffer);
      return records;
    }
  }

  /** Udp: RcvbufErrors and InErrors from /proc/net/snmp. */
  private static long[] udpSnmp() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
    for (int i = 0; i + 1 < lines.size(); i++) {
      if (lines.get(i).startsWith("Udp:") && lines.get(i + 1).startsWith("Udp:")) {
        String[] names = lines.get(i).split("\\s+");
        String[] values = lines.get(i + 1).split("\\s+");
        long rcvbuf = 0;
        long in = 0;
        for (int k = 1; k < names.length; k++) {
          if (names[k].equals("RcvbufErrors")) {
            rcvbuf = Long.parseLong(values[k]);
          } else if (names[k].equals("InErrors")) {
            in = Long.parseLong(values[k]);
          }
        }
        return new long[] {rcvbuf, in};
      }
    }
    return new long[2];
  }

  /** The drops column of the collector's socket in /proc/net/udp. */
  private static long socketDrops(int port) throws IOException {
    String local = String.format(Locale.ROOT, ":%04X", port);
    for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
      for (String line : Files.readAllLines(Path.of(table))) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 12 && f[1].endsWith(local)) {
          return Long.parseLong(f[f.length - 1]);
        }
      }
    }
    return -1;
  }
}
