package org.minewatch.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.capture.CaptureFile;
import org.minewatch.capture.CaptureListener;
import org.minewatch.capture.Packet;
import org.minewatch.estimate.PowerModel;
import org.minewatch.evidence.Finding;
import org.minewatch.intel.PoolCatalogue;
import org.minewatch.model.Role;
import org.minewatch.testkit.PcapWriter;
import org.minewatch.testkit.SimulatedMiner;
import org.minewatch.testkit.TrafficBuilder;

/**
 * A SYN flood fills the flow table while miners work: the flows evicted to make room must be the
 * flood's, so every miner keeps exactly the flows, shares and estimate it has without the flood.
 */
class SynFloodTest {
  private static final Instant START = Instant.parse("2021-05-01T00:00:00Z");

  @TempDir Path dir;

  @Test
  void aSynFloodThatFillsTheTableEvictsItsOwnFlowsNotTheMiners() throws IOException {
    List<TrafficBuilder.Frame> miners = generatedMiners();
    Scanner.Result alone = scan(miners, 64);
    assertThat(minerSummaries(alone))
        .containsExactly(
            "10.7.0.1 flows=1 shares=27 hashrate=450.0 H/s (317.6-620.6)",
            "10.7.0.2 flows=2 shares=15 hashrate=5085 Sol/s (3134-7830)",
            "10.7.0.3 flows=1 shares=27 hashrate=1.288e+13 H/s (9.092e+12-1.776e+13)");

    // 40,000 SYNs of distinct sources over the ten minutes, against a table of 500 flows.
    List<TrafficBuilder.Frame> flooded = merge(miners, synFlood(40_000, Duration.ofSeconds(600)));
    Scanner.Result result = scan(flooded, 500);

    assertThat(minerSummaries(result)).isEqualTo(minerSummaries(alone));
    ScanStats s = result.stats();
    assertThat(s.flows()).isEqualTo(40_000 + 4);
    // Every flow beyond the table's 500 pushed a SYN out; none of the miners' four sessions went.
    assertThat(s.flowsEvicted()).isEqualTo(40_004 - 500 - s.flowsClosed() - s.flowsExpired());
    assertThat(s.flowsEvictedClaimed()).isZero();
  }

  @Test
  void aSynFloodOverTheCorpusMiningCaptureLeavesItsMinersAsTheyWere() throws IOException {
    Path corpus = Path.of("../../shared/corpus/ndpi/mining/mining.pcapng");
    if (!Files.exists(corpus)) {
      corpus = Path.of("../shared/corpus/ndpi/mining/mining.pcapng");
    }
    assumeTrue(
        Files.exists(corpus), "skipped: ../shared/corpus/ndpi/mining/mining.pcapng is absent");
    List<TrafficBuilder.Frame> capture = ipPackets(corpus);
    Scanner.Result alone = scan(capture, 64);
    List<String> miners = minerSummaries(alone);
    assertThat(miners).isNotEmpty();

    // After each of the capture's packets, 100 SYNs of distinct sources: 67,300 against a table of
    // 1,000.
    List<TrafficBuilder.Frame> flooded = new ArrayList<>();
    int n = 0;
    for (TrafficBuilder.Frame f : capture) {
      flooded.add(f);
      for (int i = 0; i < 100; i++, n++) {
        TrafficBuilder t = new TrafficBuilder(Instant.EPOCH);
        t.tcp("198.18." + (n >>> 8 & 0xff) + "." + (n & 0xff), 1024 + n % 50_000, "10.9.0.1", 80)
            .syn();
        flooded.add(new TrafficBuilder.Frame(f.timeNanos() + i + 1, t.frames().get(0).ipPacket()));
      }
    }
    Scanner.Result result = scan(flooded, 1_000);

    assertThat(minerSummaries(result)).isEqualTo(miners);
    assertThat(result.stats().flowsEvicted()).isPositive();
    assertThat(result.stats().flowsEvictedClaimed()).isZero();
  }

  /**
   * A Monero miner, a Zcash miner that reconnects once (two flows), and a Bitcoin ASIC, in
   * parallel.
   */
  static List<TrafficBuilder.Frame> generatedMiners() {
    TrafficBuilder xmr = new TrafficBuilder(START);
    SimulatedMiner.session(
        xmr,
        SimulatedMiner.Dialect.XMRIG,
        "10.7.0.1",
        40001,
        "203.0.113.77",
        500,
        600,
        new Random(11));
    TrafficBuilder zec = new TrafficBuilder(START.plusSeconds(1));
    SimulatedMiner.session(
        zec,
        SimulatedMiner.Dialect.ZCASH,
        "10.7.0.2",
        40002,
        "203.0.113.78",
        5000,
        290,
        new Random(12));
    zec.advance(Duration.ofSeconds(5));
    SimulatedMiner.session(
        zec,
        SimulatedMiner.Dialect.ZCASH,
        "10.7.0.2",
        40003,
        "203.0.113.78",
        5000,
        300,
        new Random(13));
    TrafficBuilder btc = new TrafficBuilder(START.plusSeconds(2));
    SimulatedMiner.session(
        btc,
        SimulatedMiner.Dialect.STRATUM_SHA256,
        "10.7.0.3",
        40004,
        "203.0.113.79",
        1e13,
        590,
        new Random(14));
    return merge(merge(xmr.frames(), zec.frames()), btc.frames());
  }

  /** SYNs from distinct addresses and ports, evenly spread over {@code span} from the start. */
  static List<TrafficBuilder.Frame> synFlood(int count, Duration span) {
    TrafficBuilder t = new TrafficBuilder(START);
    long step = span.toNanos() / count;
    for (int i = 0; i < count; i++) {
      t.tcp("198.18." + (i >>> 8 & 0xff) + "." + (i & 0xff), 1024 + i % 50_000, "10.9.0.1", 80)
          .syn();
      t.advance(Duration.ofNanos(step - 200_000));
    }
    return t.frames();
  }

  static List<TrafficBuilder.Frame> merge(
      List<TrafficBuilder.Frame> a, List<TrafficBuilder.Frame> b) {
    List<TrafficBuilder.Frame> all = new ArrayList<>(a);
    all.addAll(b);
    all.sort(
        (x, y) -> Long.compare(x.timeNanos(), y.timeNanos())); // stable: each side keeps its order
    return all;
  }

  Scanner.Result scan(List<TrafficBuilder.Frame> frames, int maxFlows) throws IOException {
    Path file = Files.createTempFile(dir, "flood", ".pcap");
    Files.write(
        file, PcapWriter.pcap(frames, PcapWriter.Link.ETHERNET, ByteOrder.LITTLE_ENDIAN, true));
    List<String> problems = new ArrayList<>();
    Scanner.Result r =
        new Scanner(problems::add, maxFlows, PowerModel.defaults(), PoolCatalogue.defaults())
            .scan(List.of(file));
    assertThat(problems).isEmpty();
    return r;
  }

  /** Each miner's host, flows, shares and estimate with its interval. */
  static List<String> minerSummaries(Scanner.Result r) {
    List<String> out = new ArrayList<>();
    for (Finding f : r.findings()) {
      if (f.role() != Role.MINER) {
        continue;
      }
      String rate =
          f.hashRate() == null
              ? "none"
              : f.hashRate().tooFewShares()
                  ? "too few shares"
                  : String.format(
                      Locale.ROOT,
                      "%.4g %s (%.4g-%.4g)",
                      f.hashRate().value(),
                      f.hashRate().unit(),
                      f.hashRate().low(),
                      f.hashRate().high());
      out.add(
          f.host()
              + " flows="
              + f.flows()
              + " shares="
              + (f.hashRate() == null ? 0 : f.hashRate().shares())
              + " hashrate="
              + rate);
    }
    out.sort(null);
    return out;
  }

  /** The IPv4 and IPv6 packets of an Ethernet capture, with their times. */
  private static List<TrafficBuilder.Frame> ipPackets(Path capture) throws IOException {
    List<TrafficBuilder.Frame> out = new ArrayList<>();
    CaptureFile.read(
        capture,
        new CaptureListener() {
          @Override
          public void packet(Packet p) {
            byte[] b = p.buffer();
            int at = p.offset() + 12;
            int end = p.offset() + p.capturedLength();
            int type = (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
            while (type == 0x8100 || type == 0x88a8) {
              at += 4;
              type = (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
            }
            if (p.linkType() == 1 && (type == 0x0800 || type == 0x86dd)) {
              out.add(
                  new TrafficBuilder.Frame(
                      p.timestampNanos(), java.util.Arrays.copyOfRange(b, at + 2, end)));
            }
          }

          @Override
          public void malformedRecord(
              Path file, long recordNumber, long fileOffset, String reason) {
            // a corpus capture's damaged record is left out of both runs alike
          }
        });
    return out;
  }
}
