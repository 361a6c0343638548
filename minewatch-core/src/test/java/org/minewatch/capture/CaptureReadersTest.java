package org.minewatch.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.minewatch.testkit.PcapWriter;
import org.minewatch.testkit.TrafficBuilder;

class CaptureReadersTest {
  @TempDir Path dir;

  /** Records what a reader delivers. */
  static final class Recorder implements CaptureListener {
    final List<Long> times = new ArrayList<>();
    final List<Integer> links = new ArrayList<>();
    final List<Integer> lengths = new ArrayList<>();
    final List<String> faults = new ArrayList<>();

    @Override
    public void packet(Packet p) {
      times.add(p.timestampNanos());
      links.add(p.linkType());
      lengths.add(p.capturedLength());
    }

    @Override
    public void malformedRecord(Path file, long record, long offset, String reason) {
      faults.add(file.getFileName() + "#" + record + "@" + offset + ": " + reason);
    }
  }

  private static List<TrafficBuilder.Frame> threeUdpPackets() {
    TrafficBuilder t = new TrafficBuilder(Instant.parse("2024-05-01T12:00:00.123456789Z"));
    t.udp("10.0.0.1", 1000, "10.0.0.2", 2000, new byte[] {1, 2, 3});
    t.advanceMillis(1500);
    t.udp("10.0.0.2", 2000, "10.0.0.1", 1000, new byte[] {4, 5});
    t.udp("2001:db8::1", 1000, "2001:db8::2", 2000, new byte[10]);
    return t.frames();
  }

  /** The frames' times as a microsecond or nanosecond capture stores them. */
  private static List<Long> expectedTimes(List<TrafficBuilder.Frame> frames, boolean nanos) {
    return frames.stream().map(f -> nanos ? f.timeNanos() : f.timeNanos() / 1000 * 1000).toList();
  }

  private Recorder read(byte[] capture, String name) throws IOException {
    Path f = dir.resolve(name);
    Files.write(f, capture);
    Recorder r = new Recorder();
    CaptureFile.read(f, r);
    return r;
  }

  /**
   * A listener that keeps packets past the call (a parallel scan's workers read them later)
   * supplies the arrays: every packet must still hold its bytes when the whole file has been read,
   * records straddling the arrays' ends, a gzip stream and a record larger than the usual array
   * included.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"a.pcap", "a.pcapng", "a.pcap.gz"})
  void packetsStayValidAfterTheCallWhenTheListenerSuppliesTheArrays(String name)
      throws IOException {
    TrafficBuilder t = new TrafficBuilder(Instant.parse("2024-05-01T12:00:00Z"));
    for (int i = 0; i < 2000; i++) {
      byte[] payload = new byte[100 + i % 1300];
      java.util.Arrays.fill(payload, (byte) i);
      t.udp("10.0.0.1", 1000 + i, "10.0.0.2", 2000, payload);
    }
    List<TrafficBuilder.Frame> frames = new ArrayList<>(t.frames());
    byte[] large = java.util.Arrays.copyOf(frames.get(0).ipPacket(), CaptureInput.CHUNK * 3);
    frames.add(1000, new TrafficBuilder.Frame(frames.get(999).timeNanos(), large));
    byte[] capture =
        name.endsWith("pcapng")
            ? PcapWriter.pcapng(frames, ByteOrder.LITTLE_ENDIAN, false, PcapWriter.Link.ETHERNET)
            : PcapWriter.pcap(frames, PcapWriter.Link.ETHERNET, ByteOrder.LITTLE_ENDIAN, false);
    Path f = dir.resolve(name);
    if (name.endsWith(".gz")) {
      PcapWriter.writeGzip(f, capture);
    } else {
      Files.write(f, capture);
    }
    List<byte[]> supplied = new ArrayList<>();
    List<byte[]> buffers = new ArrayList<>();
    List<Integer> offsets = new ArrayList<>();
    List<byte[]> copies = new ArrayList<>();
    CaptureFile.read(
        f,
        new CaptureListener() {
          @Override
          public void packet(Packet p) {
            buffers.add(p.buffer());
            offsets.add(p.offset());
            copies.add(
                java.util.Arrays.copyOfRange(
                    p.buffer(), p.offset(), p.offset() + p.capturedLength()));
          }

          @Override
          public void malformedRecord(Path file, long record, long offset, String reason) {
            throw new AssertionError(reason);
          }

          @Override
          public byte[] freshArray(int minLength) {
            byte[] b = new byte[minLength]; // as small as allowed: many records straddle two
            supplied.add(b);
            return b;
          }
        });
    assertThat(copies).hasSize(frames.size());
    assertThat(supplied.size()).isGreaterThan(5);
    for (int i = 0; i < copies.size(); i++) {
      byte[] now =
          java.util.Arrays.copyOfRange(
              buffers.get(i), offsets.get(i), offsets.get(i) + copies.get(i).length);
      assertThat(now).as("packet %d", i).isEqualTo(copies.get(i));
      byte[] buffer = buffers.get(i);
      assertThat(supplied.stream().anyMatch(b -> b == buffer)).as("packet %d", i).isTrue();
    }
  }

  @ParameterizedTest(name = "pcap {0} nanos={1}")
  @CsvSource({"LITTLE_ENDIAN,false", "LITTLE_ENDIAN,true", "BIG_ENDIAN,false", "BIG_ENDIAN,true"})
  void readsClassicPcapInBothByteOrdersAndResolutions(String order, boolean nanos)
      throws IOException {
    List<TrafficBuilder.Frame> frames = threeUdpPackets();
    ByteOrder bo = order.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    Recorder r = read(PcapWriter.pcap(frames, PcapWriter.Link.ETHERNET, bo, nanos), "a.pcap");
    assertThat(r.times).containsExactlyElementsOf(expectedTimes(frames, nanos));
    assertThat(r.links).containsOnly(LinkType.ETHERNET);
    assertThat(r.lengths).containsExactly(14 + 20 + 8 + 3, 14 + 20 + 8 + 2, 14 + 40 + 8 + 10);
    assertThat(r.faults).isEmpty();
  }

  @ParameterizedTest(name = "pcapng {0} nanos={1}")
  @CsvSource({"LITTLE_ENDIAN,false", "LITTLE_ENDIAN,true", "BIG_ENDIAN,false", "BIG_ENDIAN,true"})
  void readsPcapngWithSeveralInterfacesAndLinkTypes(String order, boolean nanos)
      throws IOException {
    List<TrafficBuilder.Frame> frames = threeUdpPackets();
    ByteOrder bo = order.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    byte[] cap =
        PcapWriter.pcapng(
            frames,
            bo,
            nanos,
            PcapWriter.Link.ETHERNET,
            PcapWriter.Link.LINUX_SLL2,
            PcapWriter.Link.RAW);
    Recorder r = read(cap, "a.pcapng");
    assertThat(r.times).containsExactlyElementsOf(expectedTimes(frames, nanos));
    assertThat(r.links).containsExactly(LinkType.ETHERNET, LinkType.LINUX_SLL2, LinkType.RAW);
    assertThat(r.faults).isEmpty();
  }

  @Test
  void readsSimpleAndObsoletePacketBlocksAndASecondSection() throws IOException {
    byte[] ip = threeUdpPackets().get(0).ipPacket();
    byte[] frame = PcapWriter.frame(PcapWriter.Link.ETHERNET, ip);
    int padded = (frame.length + 3) & ~3;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    // Section 1, little-endian: SHB, IDB (Ethernet), SPB, OPB with a timestamp of 2 s.
    ByteBuffer shb = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
    shb.putInt(0x0A0D0D0A)
        .putInt(28)
        .putInt(0x1A2B3C4D)
        .putShort((short) 1)
        .putShort((short) 0)
        .putLong(-1)
        .putInt(28);
    out.writeBytes(shb.array());
    ByteBuffer idb = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
    idb.putInt(1).putInt(20).putShort((short) 1).putShort((short) 0).putInt(0).putInt(20);
    out.writeBytes(idb.array());
    ByteBuffer spb = ByteBuffer.allocate(16 + padded).order(ByteOrder.LITTLE_ENDIAN);
    spb.putInt(3).putInt(16 + padded).putInt(frame.length).put(frame).position(12 + padded);
    spb.putInt(16 + padded);
    out.writeBytes(spb.array());
    ByteBuffer opb = ByteBuffer.allocate(32 + padded).order(ByteOrder.LITTLE_ENDIAN);
    opb.putInt(2)
        .putInt(32 + padded)
        .putShort((short) 0)
        .putShort((short) 0)
        .putInt(0)
        .putInt(2_000_000)
        .putInt(frame.length)
        .putInt(frame.length)
        .put(frame)
        .position(28 + padded);
    opb.putInt(32 + padded);
    out.writeBytes(opb.array());
    // Section 2, big-endian, one raw-IP interface and an enhanced packet block.
    out.writeBytes(
        PcapWriter.pcapng(
            threeUdpPackets().subList(0, 1), ByteOrder.BIG_ENDIAN, true, PcapWriter.Link.RAW));
    Recorder r = read(out.toByteArray(), "blocks.pcapng");
    assertThat(r.links).containsExactly(LinkType.ETHERNET, LinkType.ETHERNET, LinkType.RAW);
    assertThat(r.lengths).containsExactly(frame.length, frame.length, ip.length);
    assertThat(r.times.get(1)).isEqualTo(2_000_000_000L);
    assertThat(r.times.get(2)).isEqualTo(threeUdpPackets().get(0).timeNanos());
    assertThat(r.faults).isEmpty();
  }

  @Test
  void readsGzipCompressedCaptures() throws IOException {
    byte[] cap =
        PcapWriter.pcap(
            threeUdpPackets(), PcapWriter.Link.LINUX_SLL, ByteOrder.LITTLE_ENDIAN, true);
    Path f = dir.resolve("a.pcap.gz");
    PcapWriter.writeGzip(f, cap);
    Recorder r = new Recorder();
    assertThat(CaptureFile.read(f, r)).isEqualTo(3);
    assertThat(r.links).containsOnly(LinkType.LINUX_SLL);
  }

  @Test
  void truncatedLastRecordIsReportedAndEarlierPacketsKept() throws IOException {
    byte[] cap =
        PcapWriter.pcap(
            threeUdpPackets(), PcapWriter.Link.ETHERNET, ByteOrder.LITTLE_ENDIAN, false);
    byte[] cut = java.util.Arrays.copyOf(cap, cap.length - 5);
    Recorder r = read(cut, "cut.pcap");
    assertThat(r.times).hasSize(2);
    long thirdRecordOffset = 24 + (16 + 45) + (16 + 44);
    assertThat(r.faults)
        .containsExactly(
            "cut.pcap#3@"
                + thirdRecordOffset
                + ": record cut short: 67 of 72 captured bytes before the end of the file");
  }

  @Test
  void truncatedGzipKeepsWhatWasInflated() throws IOException {
    List<TrafficBuilder.Frame> many = new ArrayList<>();
    TrafficBuilder t = new TrafficBuilder(Instant.parse("2024-05-01T12:00:00Z"));
    for (int i = 0; i < 2000; i++) {
      t.udp("10.0.0.1", 1000, "10.0.0.2", 2000, new byte[200]);
    }
    many.addAll(t.frames());
    Path full = dir.resolve("full.pcap.gz");
    PcapWriter.writeGzip(
        full, PcapWriter.pcap(many, PcapWriter.Link.ETHERNET, ByteOrder.LITTLE_ENDIAN, false));
    byte[] gz = Files.readAllBytes(full);
    Path cut = dir.resolve("cut.pcap.gz");
    Files.write(cut, java.util.Arrays.copyOf(gz, gz.length / 2));
    Recorder r = new Recorder();
    CaptureFile.read(cut, r);
    assertThat(r.times.size()).isGreaterThan(0).isLessThan(2000);
    assertThat(r.faults).hasSize(1);
    assertThat(r.faults.get(0)).contains("cut short");
  }

  @Test
  void impossibleRecordLengthEndsTheFileWithAReport() throws IOException {
    byte[] cap =
        PcapWriter.pcap(
            threeUdpPackets(), PcapWriter.Link.ETHERNET, ByteOrder.LITTLE_ENDIAN, false);
    int second = 24 + 16 + 45;
    ByteBuffer.wrap(cap).order(ByteOrder.LITTLE_ENDIAN).putInt(second + 8, 0x7fff_0000);
    Recorder r = read(cap, "bad.pcap");
    assertThat(r.times).hasSize(1);
    assertThat(r.faults)
        .containsExactly(
            "bad.pcap#2@"
                + second
                + ": record header gives a captured length of "
                + 0x7fff_0000
                + " bytes (at most 1048576 accepted); the rest of the file cannot be located and is skipped");
  }

  @Test
  void pcapngBlockWithMismatchedTrailerIsSkippedAndTheRestRead() throws IOException {
    byte[] cap =
        PcapWriter.pcapng(
            threeUdpPackets(), ByteOrder.LITTLE_ENDIAN, false, PcapWriter.Link.ETHERNET);
    // SHB (28) + IDB (20), then the first EPB: corrupt its trailing length copy.
    int epb = 28 + 20;
    int len = ByteBuffer.wrap(cap).order(ByteOrder.LITTLE_ENDIAN).getInt(epb + 4);
    ByteBuffer.wrap(cap).order(ByteOrder.LITTLE_ENDIAN).putInt(epb + len - 4, len + 4);
    Recorder r = read(cap, "bad.pcapng");
    assertThat(r.times).hasSize(2);
    assertThat(r.faults)
        .containsExactly(
            "bad.pcapng#3@48: trailing block length differs from the leading one; block skipped");
  }

  @Test
  void packetNamingAnUnknownInterfaceIsReported() throws IOException {
    byte[] cap =
        PcapWriter.pcapng(threeUdpPackets(), ByteOrder.BIG_ENDIAN, false, PcapWriter.Link.ETHERNET);
    ByteBuffer.wrap(cap).putInt(28 + 20 + 8, 7);
    Recorder r = read(cap, "iface.pcapng");
    assertThat(r.times).hasSize(2);
    assertThat(r.faults)
        .containsExactly("iface.pcapng#3@48: packet names interface 7 but the section describes 1");
  }

  @Test
  void aDecimalResolutionFinerThanTenToTheMinus18IsReadAsThat() throws IOException {
    // Found by fuzzing: if_tsresol 10^-61 indexed past a table of powers and ended the scan.
    List<TrafficBuilder.Frame> frames = threeUdpPackets();
    byte[] cap = PcapWriter.pcapng(frames, ByteOrder.BIG_ENDIAN, true, PcapWriter.Link.ETHERNET);
    assertThat(cap[28 + 16 + 4]).isEqualTo((byte) 9);
    cap[28 + 16 + 4] = 61;
    Recorder r = read(cap, "resolution.pcapng");
    long e18 = 1_000_000_000_000_000_000L;
    assertThat(r.times)
        .containsExactlyElementsOf(
            frames.stream()
                .map(
                    f ->
                        f.timeNanos() / e18 * 1_000_000_000L + f.timeNanos() % e18 / 1_000_000_000L)
                .toList());
    assertThat(r.faults).isEmpty();
  }

  @Test
  void aSimplePacketBlockUnderASnapLengthAbove2To31KeepsItsBytes() throws IOException {
    // Found by fuzzing: a snap length of 0xffffffff (unsigned) read as -1 gave a packet of -1
    // bytes.
    byte[] frame = PcapWriter.frame(PcapWriter.Link.ETHERNET, threeUdpPackets().get(0).ipPacket());
    int padded = (frame.length + 3) & ~3;
    ByteBuffer b = ByteBuffer.allocate(28 + 20 + 16 + padded).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x0A0D0D0A)
        .putInt(28)
        .putInt(0x1A2B3C4D)
        .putShort((short) 1)
        .putShort((short) 0)
        .putLong(-1)
        .putInt(28);
    b.putInt(1).putInt(20).putShort((short) 1).putShort((short) 0).putInt(0xffff_ffff).putInt(20);
    b.putInt(3).putInt(16 + padded).putInt(frame.length).put(frame).position(28 + 20 + 12 + padded);
    b.putInt(16 + padded);
    Recorder r = read(b.array(), "snap.pcapng");
    assertThat(r.lengths).containsExactly(frame.length);
    assertThat(r.faults).isEmpty();
  }

  @Test
  void aFileThatIsNotACaptureIsRefusedByName() throws IOException {
    Path f = dir.resolve("notes.txt");
    Files.writeString(f, "hello, this is text");
    assertThatThrownBy(() -> CaptureFile.read(f, new Recorder()))
        .isInstanceOf(CaptureFormatException.class)
        .hasMessage(f + ": not a capture (no pcap, pcapng or gzip magic in the first bytes)");
    Path empty = dir.resolve("empty.pcap");
    Files.write(empty, new byte[0]);
    assertThatThrownBy(() -> CaptureFile.read(empty, new Recorder()))
        .hasMessage(empty + ": empty file");
  }
}
