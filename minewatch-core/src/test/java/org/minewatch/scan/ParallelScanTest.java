package org.minewatch.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.decode.TlsClientHelloTest;
import org.minewatch.detect.Detector;
import org.minewatch.detect.Outcome;
import org.minewatch.detect.Session;
import org.minewatch.detect.behaviour.BehaviourJudge;
import org.minewatch.evidence.EvidenceAggregator;
import org.minewatch.evidence.EvidenceSink;
import org.minewatch.evidence.Finding;
import org.minewatch.flow.Flow;
import org.minewatch.intel.PoolCatalogue;
import org.minewatch.model.Role;
import org.minewatch.model.Transport;
import org.minewatch.testkit.DnsMessages;
import org.minewatch.testkit.MiningSessions;
import org.minewatch.testkit.PcapWriter;
import org.minewatch.testkit.SampleCaptures;
import org.minewatch.testkit.TrafficBuilder;

/** A scan on several threads finds exactly what a scan on one finds. */
class ParallelScanTest {
  @TempDir Path dir;

  private static final Path SHARED = Path.of("..", "..", "shared", "corpus");

  /** What must not depend on the number of threads: findings, operations, counters, messages. */
  private record Outcome2(
      List<Finding> findings, List<?> operations, List<Long> counters, List<String> problems) {}

  private static Outcome2 scan(List<Path> inputs, int threads, int maxFlows) {
    List<String> problems = new ArrayList<>();
    Scanner.Result r =
        new Scanner(
                problems::add,
                maxFlows,
                org.minewatch.estimate.PowerModel.defaults(),
                PoolCatalogue.defaults())
            .threads(threads)
            .scan(inputs);
    ScanStats s = r.stats();
    return new Outcome2(
        r.findings(),
        r.operations(),
        List.of(
            s.files(),
            s.packets(),
            s.wireBytes(),
            s.malformedPackets(),
            s.malformedRecords(),
            s.notIp(),
            s.otherIp(),
            s.fragments(),
            s.flows(),
            s.flowsExpired(),
            s.flowsClosed(),
            s.findings()),
        problems);
  }

  @Test
  void findingsCountersAndMessagesAreTheSameOnAnyNumberOfThreads() throws IOException {
    List<Path> inputs = List.of(write("day-0.pcap", busyDay(0)), write("day-1.pcap", busyDay(1)));
    Outcome2 one = scan(inputs, 1, 1 << 20);
    assertThat(one.findings()).hasSizeGreaterThan(10);
    assertThat(one.problems()).hasSize(2); // the two packets cut short, each named
    for (int threads : new int[] {2, 3, 4, 7}) {
      assertThat(scan(inputs, threads, 1 << 20)).as("%d threads", threads).isEqualTo(one);
    }
  }

  /**
   * Captures of many of the reader's chunks, handed to the workers by reference: records straddle
   * the chunks' ends, a pcapng block is larger than a chunk (its packet is copied instead), and a
   * gzip stream is read through the same chunks.
   */
  @Test
  void capturesOfManyChunksGiveTheSameOnAnyNumberOfThreads() throws IOException {
    List<TrafficBuilder.Frame> frames = manyChunksOfTraffic();
    List<TrafficBuilder.Frame> withLarge = new ArrayList<>(frames);
    TrafficBuilder.Frame udp = frames.get(frames.size() / 2);
    withLarge.add(
        frames.size() / 2,
        new TrafficBuilder.Frame(
            udp.timeNanos(),
            java.util.Arrays.copyOf(udp.ipPacket(), ParallelAnalysis.CHUNK_BYTES * 3 / 2)));
    Path pcap =
        write(
            "big.pcap",
            PcapWriter.pcap(frames, PcapWriter.Link.ETHERNET, ByteOrder.LITTLE_ENDIAN, false));
    Path pcapng =
        write(
            "big.pcapng",
            PcapWriter.pcapng(withLarge, ByteOrder.BIG_ENDIAN, true, PcapWriter.Link.ETHERNET));
    Path gzip = dir.resolve("big.pcap.gz");
    PcapWriter.writeGzip(
        gzip, PcapWriter.pcap(frames, PcapWriter.Link.ETHERNET, ByteOrder.BIG_ENDIAN, true));
    assertThat(Files.size(pcap)).isGreaterThan(4L * ParallelAnalysis.CHUNK_BYTES);
    for (List<Path> inputs : List.of(List.of(pcap), List.of(pcapng, gzip, pcap))) {
      Outcome2 one = scan(inputs, 1, 1 << 20);
      assertThat(one.findings()).hasSizeGreaterThan(20);
      for (int threads : new int[] {2, 3, 5}) {
        assertThat(scan(inputs, threads, 1 << 20))
            .as("%s on %d threads", inputs, threads)
            .isEqualTo(one);
      }
    }
  }

  /**
   * Files read against the order of their times: the findings stay the same. (Which flows end as
   * closed and which at the end of the input may differ, as capture time runs backwards.)
   */
  @Test
  void filesReadAgainstTimeOrderGiveTheSameFindings() throws IOException {
    List<Path> inputs = List.of(write("day-1.pcap", busyDay(1)), write("day-0.pcap", busyDay(0)));
    Outcome2 one = scan(inputs, 1, 1 << 20);
    // Named from the first file's answer although its own day's answer comes after it.
    assertThat(one.findings()).anyMatch(f -> f.host().toString().equals("10.9.1.200"));
    for (int threads : new int[] {2, 3}) {
      Outcome2 many = scan(inputs, threads, 1 << 20);
      assertThat(many.findings()).as("%d threads", threads).isEqualTo(one.findings());
      assertThat(many.operations()).isEqualTo(one.operations());
      assertThat(many.problems()).isEqualTo(one.problems());
    }
  }

  @Test
  void aConnectionIsNamedFromAnAnswerOnlyWhenTheAnswerCameFirst() throws IOException {
    List<Path> inputs = List.of(write("names.pcap", busyDay(1)));
    for (int threads : new int[] {1, 2, 5}) {
      List<Finding> findings = scan(inputs, threads, 1 << 20).findings();
      // Asked for before the answer: not named, so no finding for that host.
      assertThat(findings).noneMatch(f -> f.host().toString().equals("10.9.1.200"));
      // Every client that connected after the answer, whichever worker it went to, is named.
      for (int c = 0; c < 12; c++) {
        String host = "10.9.2." + (10 + c);
        assertThat(findings)
            .as("%s on %d threads", host, threads)
            .anyMatch(
                f ->
                    f.host().toString().equals(host)
                        && f.role() == Role.MINER
                        && "Nanopool".equals(f.poolName()));
      }
    }
  }

  @Test
  void theCorpusGivesTheSameFindingsOnThreeThreadsAsOnOne() {
    assumeTrue(
        Files.isDirectory(SHARED),
        "../shared/corpus is absent here: the real captures are compared where they are");
    List<Path> inputs = List.of(SHARED.resolve("ndpi"), SHARED.resolve("real-miners"));
    Outcome2 one = scan(inputs, 1, 1 << 20);
    Outcome2 three = scan(inputs, 3, 1 << 20);
    assertThat(one.findings()).hasSizeGreaterThan(100);
    assertThat(three.findings()).isEqualTo(one.findings());
    assertThat(three.operations()).isEqualTo(one.operations());
    assertThat(three.problems()).isEqualTo(one.problems());
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang is the defect this test is for
  void aWorkerThatFailsEndsTheAnalysisWithItsCauseInsteadOfHanging()
      throws IOException, InterruptedException {
    Path file = write("fail.pcap", busyDay(1));
    Detector failing =
        new Detector() {
          @Override
          public String name() {
            return "failing";
          }

          @Override
          public boolean handles(Transport transport) {
            return true;
          }

          @Override
          public Outcome inspect(Flow flow, boolean fromA, byte[] data, int offset, int length) {
            throw new StackOverflowError("detector broke");
          }

          @Override
          public Session open(Flow flow, EvidenceSink sink) {
            throw new AssertionError("never opened");
          }
        };
    ScanStats stats = new ScanStats();
    ParallelAnalysis analysis =
        new ParallelAnalysis(
            3,
            new WorkerPositions(3),
            PoolCatalogue.defaults(),
            () -> List.of(failing),
            new EvidenceAggregator(),
            stats,
            ScanReporter.SILENT,
            1000,
            BehaviourJudge.builtIn(),
            1 << 20);
    assertThatThrownBy(
            () -> {
              analysis.startFile(file);
              org.minewatch.capture.CaptureFile.read(file, analysis);
              analysis.finish();
            })
        .isInstanceOf(ParallelAnalysis.WorkerFailed.class)
        .hasMessageContaining("detector broke");
    // Its workers are gone: none is left waiting for batches.
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("minewatch-scan-")) {
        t.join();
      }
    }
  }

  @Test
  void threadCountsOutsideTheRangeAreRefused() {
    Scanner s = new Scanner(ScanReporter.SILENT);
    assertThatThrownBy(() -> s.threads(0)).hasMessage("threads must be 1 to 64");
    assertThatThrownBy(() -> s.threads(65)).hasMessage("threads must be 1 to 64");
  }

  private Path write(String name, byte[] capture) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, capture);
    return file;
  }

  /**
   * A day of a network where packets of the same hosts go to different workers: the campus sample,
   * 200 other flows, a pool's name resolved by one host and used by twelve others (and by one
   * before the answer came), flows that idle out and are claimed again, a packet cut short. The
   * second day ({@code day} 0) has earlier timestamps than the first, as a directory of rotated
   * files read in name order can.
   */
  private static byte[] busyDay(int day) {
    Random r = new Random(17 + day);
    Instant start = Instant.parse("2024-03-0" + (day + 1) + "T08:00:00Z");
    List<TrafficBuilder.Frame> frames = new ArrayList<>(SampleCaptures.campus());
    TrafficBuilder t = new TrafficBuilder(start);
    byte[] hello = TlsClientHelloTest.clientHelloForTests(null);
    // One host too early: its connection precedes the answer.
    t.tcp("10.9.1.200", 40000, "203.0.113.90", 14433).handshake().send(true, hello).fin();
    t.advanceMillis(50);
    t.udp("10.9.0.2", 53001, "10.9.0.1", 53, DnsMessages.of("xmr-eu1.nanopool.org", null));
    t.udp(
        "10.9.0.1",
        53,
        "10.9.0.2",
        53001,
        DnsMessages.of("xmr-eu1.nanopool.org", new int[] {203, 0, 113, 90}));
    for (int c = 0; c < 12; c++) {
      t.advanceMillis(1);
      t.tcp("10.9.2." + (10 + c), 41000 + c, "203.0.113.90", 14433)
          .handshake()
          .send(true, hello)
          .send(false, randomBytes(r, 900))
          .fin();
    }
    for (int i = 0; i < 200; i++) {
      t.advanceMillis(r.nextInt(40));
      backgroundFlow(t, r, i, 1200, 200);
    }
    // The same miners again after their flows have idled out.
    t.advance(Duration.ofMinutes(20));
    MiningSessions.xmrig(
            t, "10.20.1.15", 51600 + day, "203.0.113.80", 10128, "4Abc", "XMRig/6.16.4", 3, r)
        .fin();
    MiningSessions.stratumV1(
        t, "10.9.2.10", 42000, "198.51.100.23", 3333, "cgminer/4.12.1", "w.2", 2, r);
    frames.addAll(t.frames());
    byte[] pcap =
        PcapWriter.pcap(
            frames.stream()
                .map(
                    f ->
                        new TrafficBuilder.Frame(
                            f.timeNanos() + Duration.ofDays(day * 800L).toNanos(), f.ipPacket()))
                .sorted(java.util.Comparator.comparingLong(TrafficBuilder.Frame::timeNanos))
                .toList(),
            PcapWriter.Link.ETHERNET,
            ByteOrder.LITTLE_ENDIAN,
            false);
    return cutShort(pcap);
  }

  /**
   * Flow {@code i} of the background: a short TLS-sized TCP exchange or a single datagram, drawn
   * from {@code r}.
   */
  private static void backgroundFlow(
      TrafficBuilder t, Random r, int i, int serverBytes, int datagramBytes) {
    if (r.nextBoolean()) {
      t.tcp("10.9.3." + (i % 50), 50000 + i, "198.51.100." + (i % 7), 443)
          .handshake()
          .send(true, randomBytes(r, 300 + r.nextInt(900)))
          .send(false, randomBytes(r, serverBytes))
          .fin();
    } else {
      t.udp(
          "10.9.4." + (i % 30),
          30000 + i,
          "192.0.2." + (i % 9),
          4000 + i,
          randomBytes(r, datagramBytes));
    }
  }

  /** Thousands of flows, miners among them, in several megabytes of capture. */
  private static List<TrafficBuilder.Frame> manyChunksOfTraffic() {
    Random r = new Random(5);
    TrafficBuilder t = new TrafficBuilder(Instant.parse("2024-03-05T08:00:00Z"));
    for (int i = 0; i < 3000; i++) {
      t.advanceMillis(r.nextInt(30));
      if (i % 100 == 0) {
        MiningSessions.xmrig(
                t,
                "10.20.1." + (i / 100),
                51600 + i,
                "203.0.113.80",
                10128,
                "4Abc",
                "XMRig/6.16.4",
                3,
                r)
            .fin();
      } else {
        backgroundFlow(t, r, i, 1400, 900);
      }
    }
    return t.frames().stream()
        .sorted(java.util.Comparator.comparingLong(TrafficBuilder.Frame::timeNanos))
        .toList();
  }

  /** Spoils the TCP header of a record from the 40th on: a malformed packet. */
  private static byte[] cutShort(byte[] pcap) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
    int at = 24;
    for (int record = 1; at + 16 <= pcap.length; record++) {
      int captured = b.getInt(at + 8);
      int ip = at + 16 + 14;
      if (record >= 40 && (pcap[ip + 9] & 0xff) == 6 && captured >= 14 + 20 + 20) {
        // A TCP data offset of 4 bytes, below the header's own 20.
        pcap[ip + 20 + 12] = (byte) 0x10;
        return pcap;
      }
      at += 16 + captured;
    }
    throw new AssertionError("no TCP record to cut");
  }

  private static byte[] randomBytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }
}
