package org.minewatch.flowrecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.minewatch.testkit.ExportMessages.ipfix;
import static org.minewatch.testkit.ExportMessages.set;
import static org.minewatch.testkit.ExportMessages.template;
import static org.minewatch.testkit.ExportMessages.v5;
import static org.minewatch.testkit.ExportMessages.v9;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.minewatch.model.IpAddress;
import org.minewatch.testkit.ExportMessages.Bytes;
import org.minewatch.testkit.ExportMessages.V5Flow;

class ExportDecoderTest {
  private static final String EXPORTER = "192.0.2.1:2055";

  /** 2021-11-08T01:17:00Z. */
  private static final long T0 = 1_636_334_220L;

  private static final long REVERSE = 29305L << 16;

  private final ExportDecoder decoder = new ExportDecoder();
  private final List<FlowRecord> out = new ArrayList<>();

  private int decode(byte[] message) throws ExportFormatException {
    return decoder.decode(EXPORTER, message, 0, message.length, out::add);
  }

  private static long nanos(String instant) {
    Instant i = Instant.parse(instant);
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  @Test
  void netflowV5RecordsAreTimedFromTheExportersUptimeAndLostRecordsAreCounted() throws Exception {
    byte[] first =
        v5(
            10_000,
            T0,
            0,
            new V5Flow("10.0.0.5", "203.0.113.9", 40000, 3333, 6, 12, 1500, 4_000, 9_000, 0x1b),
            new V5Flow("203.0.113.9", "10.0.0.5", 3333, 40000, 6, 10, 2500, 4_100, 9_100, 0x1a));
    assertThat(decode(first)).isEqualTo(2);
    assertThat(out.get(0))
        .isEqualTo(
            new FlowRecord(
                EXPORTER,
                IpAddress.parse("10.0.0.5"),
                40000,
                IpAddress.parse("203.0.113.9"),
                3333,
                6,
                12,
                1500,
                0,
                0,
                nanos("2021-11-08T01:16:54Z"),
                nanos("2021-11-08T01:16:59Z"),
                0x1b));
    assertThat(out.get(1).tcpFlags()).isEqualTo(0x1a);

    // Sequence 0 carried 2 flows, so 2 is next; 5 means 3 were lost.
    decode(
        v5(
            20_000,
            T0 + 10,
            5,
            new V5Flow("10.0.0.6", "203.0.113.9", 40001, 3333, 6, 1, 60, 19_000, 19_000, 2)));
    assertThat(decoder.lostRecords()).isEqualTo(3);
    assertThat(decoder.records()).isEqualTo(3);
    assertThat(decoder.messages()).isEqualTo(2);
  }

  @Test
  void aPortFieldWiderThanTwoBytesIsNoPort() throws Exception {
    // Found by fuzzing: a template giving sourceTransportPort 4 bytes made a record with port
    // 256097.
    byte[] data =
        new Bytes().ipv4("10.0.0.5").ipv4("203.0.113.9").u32(256_097).u16(3333).toByteArray();
    decode(ipfix(T0, 0, 1, set(2, template(256, 8, 4, 12, 4, 7, 4, 11, 2)), set(256, data)));
    assertThat(out)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.sourcePort()).isZero();
              assertThat(r.destinationPort()).isEqualTo(3333);
            });
  }

  @Test
  void netflowV5CountThatDoesNotFitIsRefused() {
    byte[] m = v5(0, T0, 0, new V5Flow("10.0.0.5", "203.0.113.9", 1, 2, 6, 1, 1, 0, 0, 0));
    byte[] cut = java.util.Arrays.copyOf(m, m.length - 1);
    assertThatThrownBy(() -> decode(cut))
        .isInstanceOf(ExportFormatException.class)
        .hasMessage(
            "192.0.2.1:2055: byte 2 of the message: NetFlow v5 count 1 does not fit a message of 71 bytes");
  }

  private static byte[] v9Template() {
    return set(0, template(300, 8, 4, 12, 4, 7, 2, 11, 2, 4, 1, 1, 4, 2, 4, 22, 4, 21, 4, 6, 1));
  }

  private static byte[] v9Data(
      String src, String dst, int sport, int dport, long bytes, long packets) {
    return new Bytes()
        .ipv4(src)
        .ipv4(dst)
        .u16(sport)
        .u16(dport)
        .u8(6)
        .u32(bytes)
        .u32(packets)
        .u32(4_000)
        .u32(9_000)
        .u8(0x18)
        .toByteArray();
  }

  @Test
  void netflowV9TemplatesApplyToLaterPacketsOfTheSameExporterAndSourceId() throws Exception {
    assertThat(decode(v9(10_000, T0, 10, 1, v9Template()))).isZero();
    byte[] two =
        new Bytes()
            .bytes(v9Data("10.0.0.5", "203.0.113.9", 40000, 3333, 1500, 12))
            .bytes(v9Data("203.0.113.9", "10.0.0.5", 3333, 40000, 2500, 10))
            .toByteArray();
    assertThat(decode(v9(10_000, T0, 11, 1, set(300, two)))).isEqualTo(2);
    assertThat(out.get(0))
        .isEqualTo(
            new FlowRecord(
                EXPORTER,
                IpAddress.parse("10.0.0.5"),
                40000,
                IpAddress.parse("203.0.113.9"),
                3333,
                6,
                12,
                1500,
                0,
                0,
                nanos("2021-11-08T01:16:54Z"),
                nanos("2021-11-08T01:16:59Z"),
                0x18));
    assertThat(out.get(1).source()).isEqualTo(IpAddress.parse("203.0.113.9"));

    // Another source id of the same exporter has its own templates: its data waits unknown.
    decode(v9(10_000, T0, 0, 2, set(300, v9Data("10.0.0.7", "203.0.113.9", 1, 2, 3, 4))));
    assertThat(decoder.unknownTemplateSets()).isEqualTo(1);
    assertThat(out).hasSize(2);

    // v9 sequence numbers count export packets: 12 was next, 14 means 2 lost.
    decode(v9(10_000, T0, 14, 1, set(300, v9Data("10.0.0.5", "203.0.113.9", 40000, 3333, 1, 1))));
    assertThat(decoder.lostMessages()).isEqualTo(2);
    assertThat(decoder.templates()).isEqualTo(1);
  }

  @Test
  void netflowV9DataBeforeItsTemplateIsCountedAndSkipped() throws Exception {
    assertThat(
            decode(v9(10_000, T0, 1, 1, set(300, v9Data("10.0.0.5", "203.0.113.9", 1, 2, 3, 4)))))
        .isZero();
    assertThat(decoder.unknownTemplateSets()).isEqualTo(1);
    assertThat(out).isEmpty();
  }

  /** Options template 256: meteringProcessId (scope), systemInitTimeMilliseconds. */
  private static byte[] ipfixOptionsTemplate() {
    return set(3, new Bytes().u16(256).u16(2).u16(1).u16(143).u16(4).u16(160).u16(8).toByteArray());
  }

  /**
   * Biflow template 257 with RFC 5103 reverse counters, uptime times and a variable-length
   * interface name.
   */
  private static byte[] ipfixBiflowTemplate() {
    return set(
        2,
        template(
            257,
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
            1,
            8,
            2,
            8,
            REVERSE | 1,
            8,
            REVERSE | 2,
            8,
            22,
            4,
            21,
            4,
            82,
            65535));
  }

  @Test
  void ipfixBiflowsWithUptimeTimesTakeTheBootTimeFromTheOptionsRecord() throws Exception {
    byte[] options = set(256, new Bytes().u32(1).u64(T0 * 1000 - 20_000).toByteArray());
    byte[] data =
        set(
            257,
            new Bytes()
                .ipv4("10.0.0.5")
                .ipv4("203.0.113.9")
                .u16(40000)
                .u16(443)
                .u8(6)
                .u64(1500)
                .u64(12)
                .u64(2500)
                .u64(10)
                .u32(20_000)
                .u32(80_000)
                .u8(4)
                .bytes("eth0".getBytes())
                .toByteArray());
    assertThat(
            decode(
                ipfix(T0 + 60, 0, 7, ipfixOptionsTemplate(), ipfixBiflowTemplate(), options, data)))
        .isEqualTo(1);
    assertThat(out.get(0))
        .isEqualTo(
            new FlowRecord(
                EXPORTER,
                IpAddress.parse("10.0.0.5"),
                40000,
                IpAddress.parse("203.0.113.9"),
                443,
                6,
                12,
                1500,
                10,
                2500,
                nanos("2021-11-08T01:17:00Z"),
                nanos("2021-11-08T01:18:00Z"),
                0));

    // IPFIX sequence numbers count data records, options records included: 2 were sent, so 2 is
    // next; 7 means 5 lost.
    decode(ipfix(T0 + 70, 7, 7));
    assertThat(decoder.lostRecords()).isEqualTo(5);
  }

  @Test
  void ipfixTemplateWithdrawalForgetsTheTemplate() throws Exception {
    decode(ipfix(T0, 0, 1, ipfixBiflowTemplate()));
    assertThat(decoder.templates()).isEqualTo(1);
    decode(ipfix(T0, 0, 1, set(2, new Bytes().u16(257).u16(0).toByteArray())));
    assertThat(decoder.templates()).isZero();
  }

  @Test
  void ipfixRecordWithoutTimesIsTimedByItsMessage() throws Exception {
    byte[] t = set(2, template(258, 27, 16, 28, 16, 4, 1, 2, 4, 1, 4));
    byte[] data =
        set(
            258,
            new Bytes()
                .u64(0x2001_0db8_0000_0000L)
                .u64(1)
                .u64(0x2001_0db8_0000_0000L)
                .u64(2)
                .u8(17)
                .u32(3)
                .u32(300)
                .toByteArray());
    decode(ipfix(T0, 0, 1, t, data));
    assertThat(out.get(0))
        .isEqualTo(
            new FlowRecord(
                EXPORTER,
                IpAddress.parse("2001:db8::1"),
                0,
                IpAddress.parse("2001:db8::2"),
                0,
                17,
                3,
                300,
                0,
                0,
                T0 * 1_000_000_000L,
                T0 * 1_000_000_000L,
                0));
  }

  @Test
  void brokenSetLengthNamesTheOffsetAndKeepsTheRecordsBeforeIt() throws Exception {
    byte[] t = ipfixBiflowTemplate();
    decode(ipfix(T0, 0, 1, t));
    byte[] good =
        set(
            257,
            new Bytes()
                .ipv4("10.0.0.5")
                .ipv4("203.0.113.9")
                .u16(1)
                .u16(2)
                .u8(6)
                .u64(1)
                .u64(1)
                .u64(0)
                .u64(0)
                .u32(0)
                .u32(0)
                .u8(0)
                .toByteArray());
    byte[] bad = new Bytes().u16(257).u16(200).u32(0).toByteArray();
    byte[] message = ipfix(T0, 0, 1, good, bad);
    int badAt = 16 + good.length;
    assertThatThrownBy(() -> decode(message))
        .isInstanceOf(ExportFormatException.class)
        .hasMessage(
            "192.0.2.1:2055: byte "
                + (badAt + 2)
                + " of the message: set 257 length 200 runs past the "
                + "message end ("
                + message.length
                + ")");
    assertThat(out).hasSize(1);
    assertThat(decoder.records()).isEqualTo(1);
  }

  @Test
  void unknownVersionAndShortMessagesAreRefused() {
    assertThatThrownBy(() -> decode(new byte[] {0, 7, 0, 0}))
        .hasMessage(
            "192.0.2.1:2055: byte 0 of the message: version 7 is not NetFlow v5, v9 or IPFIX (10)");
    assertThatThrownBy(() -> decode(new byte[] {0, 10}))
        .hasMessage(
            "192.0.2.1:2055: byte 0 of the message: message of 2 bytes is shorter than any export header");
    assertThatThrownBy(
            () -> decode(new Bytes().u16(10).u16(400).u32(0).u32(0).u32(0).toByteArray()))
        .hasMessage(
            "192.0.2.1:2055: byte 2 of the message: IPFIX message length 400 does not fit the 16 bytes received");
  }

  @Test
  void templateFieldOfLengthZeroIsRefused() {
    byte[] t = set(2, template(259, 8, 0));
    assertThatThrownBy(() -> decode(ipfix(T0, 0, 1, t)))
        .hasMessage("192.0.2.1:2055: byte 26 of the message: template 259 field 8 has length 0");
  }

  @Test
  void randomBytesNeverEscapeAsAnythingButAFormatFault() {
    java.util.Random random = new java.util.Random(42);
    byte[] t = ipfixBiflowTemplate();
    for (int i = 0; i < 20_000; i++) {
      byte[] m = ipfix(T0, 0, 1, t, set(257, new byte[random.nextInt(120)]));
      int flips = 1 + random.nextInt(6);
      for (int j = 0; j < flips; j++) {
        m[random.nextInt(m.length)] = (byte) random.nextInt(256);
      }
      try {
        decode(m);
      } catch (ExportFormatException e) {
        assertThat(e.getMessage()).startsWith(EXPORTER + ": byte ");
      }
    }
  }
}
