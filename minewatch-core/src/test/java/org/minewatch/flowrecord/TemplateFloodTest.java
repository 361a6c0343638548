package org.minewatch.flowrecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.minewatch.testkit.ExportMessages.ipfix;
import static org.minewatch.testkit.ExportMessages.set;
import static org.minewatch.testkit.ExportMessages.template;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.minewatch.model.IpAddress;
import org.minewatch.testkit.ExportMessages;
import org.minewatch.testkit.ExportMessages.Bytes;

/**
 * A hostile exporter defining a new template (observation domain, template id) in every datagram
 * (issue 12): the decoder's templates stay at their limits, what is evicted is counted exactly, and
 * a legitimate exporter whose template is in use keeps decoding through the flood.
 */
class TemplateFloodTest {
  static final long T0 = 1_636_334_220L;
  static final String LEGIT = "192.0.2.1:2055";

  private final ExportDecoder decoder = new ExportDecoder();
  private final List<FlowRecord> out = new ArrayList<>();

  /**
   * The legitimate exporter's template 300: source, destination, ports, protocol, bytes, packets.
   */
  static byte[] legitTemplate(long sequence) {
    return ipfix(
        T0, sequence, 1, set(2, template(300, 8, 4, 12, 4, 7, 2, 11, 2, 4, 1, 1, 4, 2, 4)));
  }

  /** One record of template 300 whose source port says which it is. */
  static byte[] legitData(long sequence, int port) {
    return ipfix(
        T0,
        sequence,
        1,
        set(
            300,
            new Bytes()
                .ipv4("10.0.0.5")
                .ipv4("203.0.113.9")
                .u16(port)
                .u16(3333)
                .u8(6)
                .u32(1500)
                .u32(12)
                .toByteArray()));
  }

  static FlowRecord legitRecord(int port) {
    long t = T0 * 1_000_000_000L;
    return new FlowRecord(
        LEGIT,
        IpAddress.parse("10.0.0.5"),
        port,
        IpAddress.parse("203.0.113.9"),
        3333,
        6,
        12,
        1500,
        0,
        0,
        t,
        t,
        0);
  }

  private void decode(String exporter, String holder, byte[] m) throws ExportFormatException {
    decoder.decode(exporter, holder, m, 0, m.length, out::add);
  }

  @Test
  void oneAddressFloodingTemplatesKeepsOnlyItsOwnLimitAndALegitimateExporterDecodesThroughout()
      throws Exception {
    decode(LEGIT, "192.0.2.1", legitTemplate(0));
    byte[] m = ExportMessages.floodTemplate(T0, 10, 0);
    List<FlowRecord> expected = new ArrayList<>();
    int flood = 300_000;
    for (int i = 0; i < flood; i++) {
      ExportMessages.redefine(m, i);
      decode(
          "198.51.100.66:" + (1024 + i % 50_000),
          "198.51.100.66",
          m); // ports hop: still one exporter
      if (i % 1_000 == 999) {
        int n = i / 1_000;
        decode(LEGIT, "192.0.2.1", legitData(n, n));
        expected.add(legitRecord(n));
      }
    }
    assertThat(out).isEqualTo(expected);
    assertThat(decoder.templates()).isEqualTo(TemplateLimits.DEFAULTS.perExporter() + 1);
    assertThat(decoder.templatesEvicted()).isEqualTo(flood - TemplateLimits.DEFAULTS.perExporter());
    assertThat(decoder.templatesRefused()).isZero();
    assertThat(decoder.unknownTemplateSets()).isZero();
    assertThat(decoder.lostRecords() + decoder.outOfOrder() + decoder.sequenceResets()).isZero();
    // Every (port, domain) of the flood is a stream of its own; the legitimate one, heard from
    // often, stays.
    assertThat(decoder.streamsForgotten()).isEqualTo(flood + 1 - ExportDecoder.MAX_STREAMS);
  }

  @Test
  void largeTemplatesAreBoundedByTheirFieldsToo() throws Exception {
    byte[] m = ExportMessages.floodTemplate(T0, 100, 0); // the templates: 100 fields each
    for (int i = 0; i < 100_000; i++) {
      ExportMessages.redefine(m, i);
      decode("198.51.100.66:9995", "198.51.100.66", m);
    }
    long fit =
        TemplateLimits.DEFAULTS.fieldsPerExporter() / 100; // 65,536 fields: 655 templates of 100
    assertThat(fit).isEqualTo(655);
    assertThat(decoder.templates()).isEqualTo(fit);
    assertThat(decoder.templatesEvicted()).isEqualTo(100_000 - fit);
  }

  @Test
  void manyAddressesFillingTheTotalEvictTheLeastRecentlyUsedNotATemplateInUse() throws Exception {
    decode(LEGIT, "192.0.2.1", legitTemplate(0));
    decode(
        LEGIT,
        "192.0.2.1",
        ipfix(T0, 0, 1, set(2, template(301, 8, 4, 12, 4)))); // defined, never used
    byte[] m = ExportMessages.floodTemplate(T0, 10, 0);
    List<FlowRecord> expected = new ArrayList<>();
    int flood = 200_000;
    for (int i = 0; i < flood; i++) {
      ExportMessages.redefine(m, i);
      String address =
          "198.51." + (i % 2_000) / 250 + "." + i % 250; // 2,000 senders, 100 templates each
      decode(address + ":2055", address, m);
      if (i % 1_000 == 999) {
        int n = i / 1_000;
        decode(LEGIT, "192.0.2.1", legitData(n, n));
        expected.add(legitRecord(n));
      }
    }
    assertThat(out).isEqualTo(expected);
    int total = TemplateLimits.DEFAULTS.total();
    assertThat(decoder.templates()).isEqualTo(total);
    assertThat(decoder.templatesEvicted()).isEqualTo(flood + 2 - total);
    // Template 301, defined and never used, was the first to go; 300, in use, decodes still.
    decode(
        LEGIT,
        "192.0.2.1",
        ipfix(T0, 200, 1, set(301, new Bytes().ipv4("10.0.0.1").ipv4("10.0.0.2").toByteArray())));
    assertThat(decoder.unknownTemplateSets()).isEqualTo(1);
    decode(LEGIT, "192.0.2.1", legitData(200, 7));
    assertThat(out.get(out.size() - 1)).isEqualTo(legitRecord(7));
  }

  @Test
  void aFloodFromTheLegitimateExportersOwnAddressEvictsNoTemplateInUse() throws Exception {
    decode(LEGIT, "192.0.2.1", legitTemplate(0));
    decode(LEGIT, "192.0.2.1", legitData(0, 0));
    byte[] m = ExportMessages.floodTemplate(T0, 10, 0);
    List<FlowRecord> expected = new ArrayList<>(List.of(legitRecord(0)));
    int flood = 100_000;
    for (int i = 0; i < flood; i++) {
      ExportMessages.redefine(m, i);
      decode("192.0.2.1:" + (1024 + i % 50_000), "192.0.2.1", m); // spoofed, or behind the same NAT
      if (i % 5_000 == 4_999) { // used far less often than the limit of 1,024 templates turns over
        int n = i / 5_000 + 1;
        decode(LEGIT, "192.0.2.1", legitData(n, n));
        expected.add(legitRecord(n));
      }
    }
    assertThat(out).isEqualTo(expected);
    assertThat(decoder.templates()).isEqualTo(TemplateLimits.DEFAULTS.perExporter());
    assertThat(decoder.templatesEvicted())
        .isEqualTo(flood - (TemplateLimits.DEFAULTS.perExporter() - 1));
  }

  @Test
  void anExporterRenewingItsTemplatesReplacesItsLeastRecentlyUsed() throws Exception {
    ExportDecoder small = new ExportDecoder(new TemplateLimits(3, 10));
    List<Integer> ports = new ArrayList<>();
    for (int id = 300; id < 304; id++) {
      byte[] t = ipfix(T0, 0, 1, set(2, template(id, 8, 4, 12, 4, 7, 2)));
      byte[] d =
          ipfix(
              T0,
              0,
              1,
              set(id, new Bytes().ipv4("10.0.0.5").ipv4("203.0.113.9").u16(id).toByteArray()));
      small.decode(LEGIT, "192.0.2.1", t, 0, t.length, r -> {});
      small.decode(LEGIT, "192.0.2.1", d, 0, d.length, r -> ports.add(r.sourcePort()));
    }
    // The fourth, new and not yet used, did not go: 300, used least recently, did.
    assertThat(ports).containsExactly(300, 301, 302, 303);
    assertThat(small.templates()).isEqualTo(3);
    assertThat(small.templatesEvicted()).isEqualTo(1);
    byte[] d =
        ipfix(
            T0,
            0,
            1,
            set(300, new Bytes().ipv4("10.0.0.5").ipv4("203.0.113.9").u16(300).toByteArray()));
    small.decode(LEGIT, "192.0.2.1", d, 0, d.length, r -> ports.add(r.sourcePort()));
    assertThat(small.unknownTemplateSets()).isEqualTo(1);
  }

  @Test
  void replacingOrWithdrawingATemplateEvictsNothing() throws Exception {
    for (int i = 0; i < 3; i++) {
      decode(LEGIT, "192.0.2.1", legitTemplate(0));
    }
    assertThat(decoder.templates()).isEqualTo(1);
    decode(LEGIT, "192.0.2.1", ipfix(T0, 0, 1, set(2, new Bytes().u16(300).u16(0).toByteArray())));
    assertThat(decoder.templates()).isZero();
    assertThat(decoder.templatesEvicted()).isZero();
  }

  @Test
  void smallerLimitsAreKeptExactly() throws Exception {
    ExportDecoder small = new ExportDecoder(new TemplateLimits(3, 5));
    byte[] m = ExportMessages.floodTemplate(T0, 2, 0);
    for (int i = 0; i < 7; i++) {
      ExportMessages.redefine(m, i);
      String address = i < 4 ? "198.51.100.1" : "198.51.100.2";
      small.decode(address + ":2055", address, m, 0, m.length, out::add);
    }
    // The first sender's fourth template evicts its first; the second sender's third makes six, and
    // the
    // oldest of all (the first sender's second) goes.
    assertThat(small.templates()).isEqualTo(5);
    assertThat(small.templatesEvicted()).isEqualTo(2);
    assertThatThrownBy(() -> new TemplateLimits(10, 5))
        .hasMessage("templates per exporter (10) exceed the total (5)");
    assertThatThrownBy(() -> new TemplateLimits(0, 5))
        .hasMessage("template limits must be at least 1");
  }

  @Test
  void aTemplateDeclaringMoreFieldsThanItsSetHoldsIsRefusedBeforeAnythingIsAllocated() {
    byte[] m =
        ipfix(T0, 0, 1, set(2, new Bytes().u16(300).u16(65_535).u16(8).u16(4).toByteArray()));
    assertThatThrownBy(() -> decode(LEGIT, "192.0.2.1", m))
        .isInstanceOf(ExportFormatException.class)
        .hasMessage(
            "192.0.2.1:2055: byte 22 of the message: template 300 declares 65535 fields; its set has room "
                + "for 1")
        .extracting(e -> ((ExportFormatException) e).kind())
        .isEqualTo(ExportFormatException.Kind.TEMPLATE);
    assertThat(decoder.templatesRefused()).isEqualTo(1);
    assertThat(decoder.templates()).isZero();
  }

  @Test
  void aTemplateWhoseRecordsNoMessageCanCarryIsRefused() {
    byte[] ipfixMessage = ipfix(T0, 0, 1, set(2, template(300, 8, 4, 1, 65_000, 2, 1_000)));
    assertThatThrownBy(() -> decode(LEGIT, "192.0.2.1", ipfixMessage))
        .hasMessage(
            "192.0.2.1:2055: byte 20 of the "
                + "message: template 300 describes records of at least 66004 bytes; no message can carry one (at most 65515 "
                + "bytes of data)");
    byte[] v9 =
        org.minewatch.testkit.ExportMessages.v9(
            0, T0, 0, 1, set(0, template(300, 8, 4, 1, 65_508)));
    assertThatThrownBy(() -> decode(LEGIT, "192.0.2.1", v9))
        .hasMessage(
            "192.0.2.1:2055: byte 24 of the "
                + "message: template 300 describes records of at least 65512 bytes; no message can carry one (at most 65511 "
                + "bytes of data)");
    assertThat(decoder.templatesRefused()).isEqualTo(2);
    assertThat(decoder.templates()).isZero();
  }

  @Test
  void theLargestTemplateAMessageCanHoldIsKept() throws Exception {
    int fields = ExportDecoder.MAX_TEMPLATE_FIELDS;
    assertThat(fields).isEqualTo(16_377);
    long[] pairs = new long[fields * 2];
    for (int i = 0; i < fields; i++) {
      pairs[2 * i] = 8;
      pairs[2 * i + 1] = 1;
    }
    byte[] m = ipfix(T0, 0, 1, set(2, template(300, pairs)));
    assertThat(m.length).isEqualTo(65_532);
    decode(LEGIT, "192.0.2.1", m);
    assertThat(decoder.templates()).isEqualTo(1);
    assertThat(decoder.templatesRefused()).isZero();
  }
}
