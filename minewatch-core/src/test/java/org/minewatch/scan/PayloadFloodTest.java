package org.minewatch.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.estimate.PowerModel;
import org.minewatch.intel.PoolCatalogue;
import org.minewatch.testkit.PcapWriter;
import org.minewatch.testkit.SimulatedMiner;
import org.minewatch.testkit.TrafficBuilder;

/**
 * Thousands of concurrent TCP flows each carrying payload no detector can decide on yet (the start
 * of a long Bitcoin message) while miners work: the reassembly buffers stay within their budget,
 * the flood's flows are the ones whose inspection ends, and the miners keep their exact shares and
 * estimates.
 */
class PayloadFloodTest {
  private static final Instant START = Instant.parse("2021-05-01T00:00:00Z");
  private static final int FLOOD_FLOWS = 3_000;
  private static final int SEGMENT = 1_400;

  /** A first segment of 1,400 bytes takes a 2,048-byte buffer. */
  private static final int BUFFER = 2_048;

  private static final long BUDGET = 256 * 1024;

  /**
   * Bitcoin's magic, the command "version" and a payload length of 16,000 (checksum left random).
   */
  private static final byte[] BITCOIN_HEADER = {
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

  @TempDir Path dir;

  @Test
  void aPayloadFloodStaysWithinTheBufferBudgetAndTheMinersAreFoundAsWithoutIt() throws IOException {
    List<TrafficBuilder.Frame> miners = miners();
    Scanner.Result alone = scan(miners, BUDGET);
    List<String> expected = SynFloodTest.minerSummaries(alone);
    assertThat(expected)
        .containsExactly(
            "10.7.0.1 flows=1 shares=27 hashrate=450.0 H/s (317.6-620.6)",
            "10.7.0.2 flows=1 shares=12 hashrate=4034 Sol/s (2327-6535)",
            "10.7.0.3 flows=1 shares=27 hashrate=1.288e+13 H/s (9.092e+12-1.776e+13)");
    long minersBuffers = alone.stats().peakBufferBytes(); // all three sessions are open together
    assertThat(alone.stats().bytesNotInspectedBudget()).isZero();

    Scanner.Result flooded = scan(SynFloodTest.merge(miners, flood()), BUDGET);

    assertThat(SynFloodTest.minerSummaries(flooded)).isEqualTo(expected);
    ScanStats s = flooded.stats();
    assertThat(s.peakBufferBytes()).isLessThanOrEqualTo(BUDGET);
    // The flood's flows hold one 2,048-byte buffer each, in what the miners leave of the budget;
    // every other flood flow was released for a newer one or for the miners, losing its 1,400
    // bytes, and no segment was refused (there was always an older flood flow to release).
    long keptAtTheEnd = (BUDGET - minersBuffers) / BUFFER;
    assertThat(s.flowsCutByBudget()).isEqualTo(FLOOD_FLOWS - keptAtTheEnd);
    assertThat(s.bytesNotInspectedBudget()).isEqualTo((FLOOD_FLOWS - keptAtTheEnd) * SEGMENT);
    assertThat(s.flows()).isEqualTo(FLOOD_FLOWS + 3);
  }

  /** Without a budget the same flood holds a buffer per flow. */
  @Test
  void withoutABudgetTheFloodHoldsABufferPerFlow() throws IOException {
    Scanner.Result r = scan(SynFloodTest.merge(miners(), flood()), Long.MAX_VALUE);
    assertThat(r.stats().peakBufferBytes()).isGreaterThan((long) FLOOD_FLOWS * BUFFER);
    assertThat(r.stats().bytesNotInspectedBudget()).isZero();
  }

  /**
   * Three miners whose sessions span the whole ten minutes; each reaches its largest buffers early.
   */
  private static List<TrafficBuilder.Frame> miners() {
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
        595,
        new Random(12));
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
    return SynFloodTest.merge(SynFloodTest.merge(xmr.frames(), zec.frames()), btc.frames());
  }

  /**
   * From 100 s to 500 s, flows that open, send one segment and stay open: a Bitcoin message header
   * announcing 16,000 bytes, then random bytes. The node detector waits for the rest, so each flow
   * keeps its buffer.
   */
  private static List<TrafficBuilder.Frame> flood() {
    TrafficBuilder t = new TrafficBuilder(START.plusSeconds(100));
    Random r = new Random(7);
    long step = Duration.ofSeconds(400).toNanos() / FLOOD_FLOWS;
    for (int i = 0; i < FLOOD_FLOWS; i++) {
      long next = t.nowNanos() + step;
      byte[] payload = new byte[SEGMENT];
      r.nextBytes(payload);
      System.arraycopy(BITCOIN_HEADER, 0, payload, 0, BITCOIN_HEADER.length);
      t.tcp("198.18." + (i >>> 8) + "." + (i & 0xff), 20_000 + i, "10.9.0.1", 8080)
          .handshake()
          .send(true, payload);
      t.advance(Duration.ofNanos(next - t.nowNanos()));
    }
    return t.frames();
  }

  private Scanner.Result scan(List<TrafficBuilder.Frame> frames, long budget) throws IOException {
    Path file = Files.createTempFile(dir, "flood", ".pcap");
    Files.write(
        file, PcapWriter.pcap(frames, PcapWriter.Link.ETHERNET, ByteOrder.LITTLE_ENDIAN, true));
    List<String> problems = new ArrayList<>();
    Scanner.Result r =
        new Scanner(problems::add, 10_000, budget, PowerModel.defaults(), PoolCatalogue.defaults())
            .scan(List.of(file));
    assertThat(problems).isEmpty();
    return r;
  }
}
