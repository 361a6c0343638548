package org.minewatch.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.capture.LinkType;
import org.minewatch.capture.Packet;
import org.minewatch.estimate.PowerModel;
import org.minewatch.evidence.EvidenceAggregator;
import org.minewatch.intel.AddressNames;
import org.minewatch.intel.Intel;
import org.minewatch.intel.PoolCatalogue;
import org.minewatch.testkit.MiningSessions;
import org.minewatch.testkit.PcapWriter;
import org.minewatch.testkit.TrafficBuilder;

/**
 * A malformed packet never stops an analysis: random bytes on every link type, and real mining
 * sessions with bytes flipped at random, go through the whole pipeline without an exception.
 */
class RobustnessTest {
  private static final int[] LINKS = {
    LinkType.ETHERNET,
    LinkType.LINUX_SLL,
    LinkType.LINUX_SLL2,
    LinkType.RAW,
    LinkType.NULL,
    LinkType.LOOP,
    LinkType.IPV4,
    LinkType.IPV6
  };

  @TempDir Path dir;

  private static Analyzer analyzer(List<String> problems) {
    Intel intel = new Intel(PoolCatalogue.defaults(), new AddressNames());
    return new Analyzer(
        Detectors.standard(intel), new EvidenceAggregator(), new ScanStats(), problems::add, 1000);
  }

  @Test
  void randomBytesOnEveryLinkTypeAreCountedNotThrown() {
    Random r = new Random(2024);
    List<String> problems = new ArrayList<>();
    Analyzer a = analyzer(problems);
    a.startFile(Path.of("random.pcap"));
    for (int i = 0; i < 50_000; i++) {
      byte[] b = new byte[r.nextInt(200)];
      r.nextBytes(b);
      // Make many of them look like IPv4 or IPv6 so that the deeper decoders are reached.
      if (b.length > 0 && r.nextBoolean()) {
        b[0] = (byte) (r.nextBoolean() ? 0x45 : 0x60);
      }
      a.packet(
          Packet.of(
              b,
              0,
              b.length,
              b.length + r.nextInt(3),
              i * 1_000_000L,
              LINKS[r.nextInt(LINKS.length)]));
    }
    a.finish();
    assertThat(problems).isNotEmpty().allMatch(p -> p.startsWith("random.pcap: "));
  }

  @Test
  void miningSessionsWithFlippedBytesNeverStopTheScan() {
    Random r = new Random(99);
    TrafficBuilder t = new TrafficBuilder(Instant.parse("2021-01-01T00:00:00Z"));
    MiningSessions.stratumV1(
        t, "10.0.0.1", 40000, "203.0.113.1", 3333, "cgminer/4.12.1", "a.b", 3, r);
    MiningSessions.xmrig(t, "10.0.0.2", 40001, "203.0.113.2", 3333, "w", "XMRig/6.0", 3, r);
    MiningSessions.getworkHttp(t, "10.0.0.3", 40002, "203.0.113.3", 8332, r);
    t.tcp("10.0.0.4", 40003, "203.0.113.4", 8333)
        .handshake()
        .send(true, MiningSessions.bitcoinVersion(0xf9beb4d9, r));
    t.tcp("10.0.0.5", 40004, "203.0.113.5", 18080)
        .handshake()
        .send(true, MiningSessions.levinHandshake(r));
    List<TrafficBuilder.Frame> frames = t.frames();
    for (int round = 0; round < 200; round++) {
      List<TrafficBuilder.Frame> mutated = new ArrayList<>();
      for (TrafficBuilder.Frame f : frames) {
        byte[] ip = f.ipPacket().clone();
        for (int k = r.nextInt(4); k > 0; k--) {
          ip[r.nextInt(ip.length)] ^= (byte) (1 << r.nextInt(8));
        }
        mutated.add(
            new TrafficBuilder.Frame(
                f.timeNanos(),
                r.nextInt(20) == 0 ? java.util.Arrays.copyOf(ip, r.nextInt(ip.length)) : ip));
      }
      Fixtures.Scan s =
          Fixtures.scanBytes(
              dir, PcapWriter.pcap(mutated, PcapWriter.Link.RAW, ByteOrder.LITTLE_ENDIAN, false));
      assertThat(s.problems()).as("round %d", round).noneMatch(p -> p.contains("cannot be read"));
      assertThat(s.result().stats().files()).isEqualTo(1);
      assertThat(s.result().stats().packets()).isEqualTo(frames.size());
    }
  }

  @Test
  void captureFilesWithFlippedBytesAreReadAsFarAsTheyGo() {
    Random r = new Random(7);
    TrafficBuilder t = new TrafficBuilder(Instant.parse("2021-01-01T00:00:00Z"));
    MiningSessions.stratumV1(
        t, "10.0.0.1", 40000, "203.0.113.1", 3333, "cgminer/4.12.1", "a.b", 3, r);
    List<TrafficBuilder.Frame> frames = t.frames();
    byte[][] captures = {
      PcapWriter.pcap(frames, PcapWriter.Link.ETHERNET_VLAN, ByteOrder.BIG_ENDIAN, true),
      PcapWriter.pcapng(
          frames,
          ByteOrder.LITTLE_ENDIAN,
          true,
          PcapWriter.Link.ETHERNET,
          PcapWriter.Link.LINUX_SLL2)
    };
    for (int round = 0; round < 300; round++) {
      byte[] c = captures[round % 2].clone();
      for (int k = 1 + r.nextInt(6); k > 0; k--) {
        c[r.nextInt(c.length)] ^= (byte) (1 << r.nextInt(8));
      }
      if (r.nextInt(4) == 0) {
        c = java.util.Arrays.copyOf(c, r.nextInt(c.length));
      }
      Fixtures.Scan s = Fixtures.scanBytes(dir, c);
      // A corrupt header may make the file unreadable, with a one-line reason; nothing else may go
      // wrong.
      assertThat(s.problems()).as("round %d", round).noneMatch(p -> p.contains("cannot be read"));
    }
  }

  @Test
  void thePowerTableShippedIsReadable() {
    assertThat(PowerModel.defaults().rows()).hasSizeGreaterThan(8);
  }
}
