package org.minewatch.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.minewatch.capture.CaptureFile;
import org.minewatch.capture.CaptureListener;
import org.minewatch.capture.Packet;

public class TlsClientHelloTest {

  /** A ClientHello record for other tests. */
  public static byte[] clientHelloForTests(String sni) {
    return clientHello(sni);
  }

  /** Builds a ClientHello record from its parts, as a TLS stack writes it. */
  static byte[] clientHello(String sni) {
    ByteArrayOutputStream ext = new ByteArrayOutputStream();
    if (sni != null) {
      byte[] n = sni.getBytes(StandardCharsets.US_ASCII);
      ext(ext, 0x0000, concat(u16(n.length + 3), new byte[] {0}, u16(n.length), n));
    }
    ext(ext, 0x0a0a, new byte[0]); // GREASE extension
    ext(ext, 0x000a, concat(u16(4), u16(0x001d), u16(0x0017)));
    ext(ext, 0x000b, new byte[] {1, 0});
    ext(ext, 0x000d, concat(u16(4), u16(0x0403), u16(0x0804)));
    ext(
        ext,
        0x0010,
        concat(
            u16(12), new byte[] {2, 'h', '2', 8}, "http/1.1".getBytes(StandardCharsets.US_ASCII)));
    ext(ext, 0x002b, new byte[] {4, 0x03, 0x04, 0x03, 0x03});
    byte[] extensions = ext.toByteArray();
    byte[] body =
        concat(
            u16(0x0303),
            new byte[32],
            new byte[] {0},
            u16(8),
            u16(0x0a0a),
            u16(0x1301),
            u16(0x1302),
            u16(0xc02f),
            new byte[] {1, 0},
            u16(extensions.length),
            extensions);
    byte[] handshake = concat(new byte[] {1, 0}, u16(body.length), body);
    return concat(new byte[] {0x16, 0x03, 0x01}, u16(handshake.length), handshake);
  }

  private static void ext(ByteArrayOutputStream out, int type, byte[] data) {
    out.writeBytes(u16(type));
    out.writeBytes(u16(data.length));
    out.writeBytes(data);
  }

  private static byte[] u16(int v) {
    return new byte[] {(byte) (v >>> 8), (byte) v};
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static String hex(String algorithm, String s) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void readsServerNameAlpnAndFingerprintsWithoutGrease() throws Exception {
    byte[] b = clientHello("pool.supportxmr.com");
    TlsClientHello h = ((TlsClientHello.Hello) TlsClientHello.parse(b, 0, b.length)).hello();
    assertThat(h.sni()).isEqualTo("pool.supportxmr.com");
    assertThat(h.alpn()).containsExactly("h2", "http/1.1");
    assertThat(h.ja3String()).isEqualTo("771,4865-4866-49199,0-10-11-13-16-43,29-23,0");
    assertThat(h.ja3()).isEqualTo(hex("MD5", "771,4865-4866-49199,0-10-11-13-16-43,29-23,0"));
    // JA4: TCP, TLS 1.3, a server name, 3 ciphers, 6 extensions, ALPN "h2".
    assertThat(h.ja4())
        .isEqualTo(
            "t13d0306h2_"
                + hex("SHA-256", "1301,1302,c02f").substring(0, 12)
                + "_"
                + hex("SHA-256", "000a,000b,000d,002b_0403,0804").substring(0, 12));
  }

  @Test
  void theServerNameAloneIsFoundWithoutDecodingTheRest() {
    byte[] b = clientHello("xmr-eu1.nanopool.org");
    assertThat(TlsClientHello.serverName(b, 0, b.length)).isEqualTo("xmr-eu1.nanopool.org");
    byte[] none = clientHello(null);
    assertThat(TlsClientHello.serverName(none, 0, none.length)).isNull();
    assertThat(TlsClientHello.serverName(b, 0, b.length - 1)).isNull(); // not whole yet
    assertThat(TlsClientHello.frame(b, 0, b.length)).isInstanceOf(TlsClientHello.Hello.class);
  }

  @Test
  void withoutServerNameJa4SaysI() {
    byte[] b = clientHello(null);
    TlsClientHello h = ((TlsClientHello.Hello) TlsClientHello.parse(b, 0, b.length)).hello();
    assertThat(h.sni()).isNull();
    assertThat(h.ja4()).startsWith("t13i0305h2_");
  }

  @Test
  void cutShortIsIncompleteAndInconsistentIsNotAHello() {
    byte[] b = clientHello("x.example");
    assertThat(TlsClientHello.parse(b, 0, 40)).isInstanceOf(TlsClientHello.Incomplete.class);
    assertThat(TlsClientHello.parse(b, 0, 3)).isInstanceOf(TlsClientHello.Incomplete.class);
    byte[] bad = b.clone();
    bad[9 + 2 + 32 + 1 + 1] = 0x7f; // cipher list length far beyond the message
    assertThat(TlsClientHello.parse(bad, 0, bad.length))
        .isInstanceOf(TlsClientHello.NotHello.class);
    byte[] http = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    assertThat(TlsClientHello.parse(http, 0, http.length))
        .isInstanceOf(TlsClientHello.NotHello.class);
  }

  @Test
  void ja3MatchesWiresharksOnRealClientHellos() throws Exception {
    // Wireshark 4.0's tls.handshake.ja3 for the first ClientHello of two nDPI test captures.
    Path other =
        Path.of("").toAbsolutePath().getParent().getParent().resolve("shared/corpus/ndpi/other");
    assumeTrue(Files.isDirectory(other), "skipped: ../shared is absent");
    assertThat(firstJa3(other.resolve("443-firefox.pcap")))
        .isEqualTo("b20b44b18b853ef29ab773e921b03422");
    assertThat(firstJa3(other.resolve("tls_alert.pcap")))
        .isEqualTo("d78489b860c8bf7838a6ff0b4d131541");
  }

  /**
   * The JA3 of the first ClientHello, reassembled from the client's first segments if it spans
   * several.
   */
  private static String firstJa3(Path capture) throws Exception {
    ByteArrayOutputStream hello = new ByteArrayOutputStream();
    int[] clientPort = {-1};
    List<String> found = new ArrayList<>();
    DecodedPacket d = new DecodedPacket();
    CaptureFile.read(
        capture,
        new CaptureListener() {
          @Override
          public void packet(Packet p) {
            PacketDecoder.decode(p, d);
            if (!found.isEmpty()
                || d.status() != DecodedPacket.Status.TRANSPORT
                || d.payloadLength() == 0) {
              return;
            }
            if (clientPort[0] < 0 && d.buffer()[d.payloadOffset()] == 0x16) {
              clientPort[0] = d.srcPort();
            }
            if (d.srcPort() != clientPort[0]) {
              return;
            }
            hello.write(d.buffer(), d.payloadOffset(), d.payloadLength());
            byte[] b = hello.toByteArray();
            if (TlsClientHello.parse(b, 0, b.length) instanceof TlsClientHello.Hello h) {
              found.add(h.hello().ja3());
            }
          }

          @Override
          public void malformedRecord(Path file, long record, long offset, String reason) {}
        });
    return found.isEmpty() ? null : found.get(0);
  }
}
