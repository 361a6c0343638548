package org.minewatch.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.minewatch.capture.Packet;
import org.minewatch.model.IpAddress;
import org.minewatch.testkit.PcapWriter;
import org.minewatch.testkit.TrafficBuilder;

class PacketDecoderTest {
  private final DecodedPacket out = new DecodedPacket();

  private static byte[] udp4(String payload) {
    TrafficBuilder t = new TrafficBuilder(Instant.EPOCH);
    t.udp("192.0.2.1", 5353, "198.51.100.7", 3333, payload.getBytes());
    return t.frames().get(0).ipPacket();
  }

  private static byte[] tcp6() {
    TrafficBuilder t = new TrafficBuilder(Instant.EPOCH);
    t.tcp("2001:db8::1", 40000, "2001:db8:0:1::2", 443).client("hello");
    return t.frames().get(0).ipPacket();
  }

  private void decode(PcapWriter.Link link, byte[] ip) {
    byte[] frame = PcapWriter.frame(link, ip);
    int linkType =
        link == PcapWriter.Link.IPV4_IPV6 ? ((ip[0] & 0xf0) == 0x60 ? 229 : 228) : link.linkType();
    PacketDecoder.decode(Packet.of(frame, 0, frame.length, frame.length, 7L, linkType), out);
  }

  @ParameterizedTest
  @EnumSource(PcapWriter.Link.class)
  void decodesEveryLinkLayerToTheSameTransportFields(PcapWriter.Link link) {
    decode(link, udp4("abc"));
    assertThat(out.status()).isEqualTo(DecodedPacket.Status.TRANSPORT);
    assertThat(IpAddress.format(out.srcHi(), out.srcLo())).isEqualTo("192.0.2.1");
    assertThat(IpAddress.format(out.dstHi(), out.dstLo())).isEqualTo("198.51.100.7");
    assertThat(out.ipProtocol()).isEqualTo(17);
    assertThat(out.srcPort()).isEqualTo(5353);
    assertThat(out.dstPort()).isEqualTo(3333);
    assertThat(out.payloadLength()).isEqualTo(3);
    assertThat(out.buffer()[out.payloadOffset()]).isEqualTo((byte) 'a');

    decode(link, tcp6());
    assertThat(out.status()).isEqualTo(DecodedPacket.Status.TRANSPORT);
    assertThat(IpAddress.format(out.srcHi(), out.srcLo())).isEqualTo("2001:db8::1");
    assertThat(IpAddress.format(out.dstHi(), out.dstLo())).isEqualTo("2001:db8:0:1::2");
    assertThat(out.payloadLength()).isEqualTo(5);
    assertThat(out.tcpFlags()).isEqualTo(DecodedPacket.ACK | DecodedPacket.PSH);
  }

  @Test
  void ipv4OptionsAreSkipped() {
    byte[] plain = udp4("xy");
    byte[] withOptions = new byte[plain.length + 8];
    System.arraycopy(plain, 0, withOptions, 0, 20);
    withOptions[0] = 0x47; // IHL 7: 8 bytes of options (NOPs and end-of-list)
    for (int i = 20; i < 28; i++) {
      withOptions[i] = 1;
    }
    System.arraycopy(plain, 20, withOptions, 28, plain.length - 20);
    ByteBuffer.wrap(withOptions).putShort(2, (short) withOptions.length);
    decode(PcapWriter.Link.RAW, withOptions);
    assertThat(out.status()).isEqualTo(DecodedPacket.Status.TRANSPORT);
    assertThat(out.dstPort()).isEqualTo(3333);
    assertThat(out.payloadLength()).isEqualTo(2);
  }

  @Test
  void firstFragmentIsInspectedLaterFragmentsAreNot() {
    byte[] first = udp4("fragment");
    ByteBuffer.wrap(first).putShort(6, (short) 0x2000); // more fragments, offset 0
    decode(PcapWriter.Link.RAW, first);
    assertThat(out.status()).isEqualTo(DecodedPacket.Status.TRANSPORT);
    assertThat(out.fragment()).isTrue();

    byte[] later = udp4("fragment");
    ByteBuffer.wrap(later).putShort(6, (short) 0x0003); // offset 24 bytes, last fragment
    decode(PcapWriter.Link.RAW, later);
    assertThat(out.status()).isEqualTo(DecodedPacket.Status.OTHER_IP);
    assertThat(out.fragment()).isTrue();
  }

  @Test
  void ipv6ExtensionHeadersAreWalked() {
    byte[] plain = tcp6();
    // Insert a hop-by-hop header (8 bytes) and a first-fragment header (8 bytes) before TCP.
    byte[] ext = new byte[plain.length + 16];
    System.arraycopy(plain, 0, ext, 0, 40);
    ext[6] = 0; // next: hop-by-hop
    ext[40] = 44; // hop-by-hop's next: fragment
    ext[41] = 0; // length 0: 8 bytes
    ext[48] = 6; // fragment's next: TCP
    ext[51] = 1; // offset 0, more fragments
    System.arraycopy(plain, 40, ext, 56, plain.length - 40);
    ByteBuffer.wrap(ext).putShort(4, (short) (ext.length - 40));
    decode(PcapWriter.Link.RAW, ext);
    assertThat(out.status()).isEqualTo(DecodedPacket.Status.TRANSPORT);
    assertThat(out.ipProtocol()).isEqualTo(6);
    assertThat(out.fragment()).isTrue();
    assertThat(out.payloadLength()).isEqualTo(5);
  }

  @Test
  void truncatedHeadersAreMalformedWithAReason() {
    byte[] ip = udp4("abc");
    decode(PcapWriter.Link.RAW, java.util.Arrays.copyOf(ip, 12));
    assertThat(out.status()).isEqualTo(DecodedPacket.Status.MALFORMED);
    assertThat(out.problem()).isEqualTo("IPv4 header cut short");

    decode(PcapWriter.Link.RAW, java.util.Arrays.copyOf(ip, 24));
    assertThat(out.status()).isEqualTo(DecodedPacket.Status.MALFORMED);
    assertThat(out.problem()).isEqualTo("UDP header cut short");

    byte[] tcp = tcp6();
    tcp[40 + 12] = 0x30; // data offset 12 bytes: below the minimum
    decode(PcapWriter.Link.RAW, tcp);
    assertThat(out.problem()).isEqualTo("TCP data offset below 20");

    byte[] eth = {1, 2, 3};
    PacketDecoder.decode(Packet.of(eth, 0, 3, 3, 0, 1), out);
    assertThat(out.problem()).isEqualTo("Ethernet header cut short");
  }

  @Test
  void segmentationOffloadZeroLengthIsTakenFromTheCapture() {
    byte[] ip = udp4("abcdef");
    ByteBuffer.wrap(ip).putShort(2, (short) 0);
    decode(PcapWriter.Link.RAW, ip);
    assertThat(out.status()).isEqualTo(DecodedPacket.Status.TRANSPORT);
    assertThat(out.payloadLength()).isEqualTo(6);
  }

  @Test
  void nonIpFramesAreNotIp() {
    byte[] arp = new byte[42];
    arp[12] = 0x08;
    arp[13] = 0x06;
    PacketDecoder.decode(Packet.of(arp, 0, 42, 60, 0, 1), out);
    assertThat(out.status()).isEqualTo(DecodedPacket.Status.NOT_IP);
  }
}
