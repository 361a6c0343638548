package org.minewatch.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.decode.TlsClientHelloTest;
import org.minewatch.evidence.Finding;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;
import org.minewatch.testkit.DnsMessages;
import org.minewatch.testkit.MiningSessions;
import org.minewatch.testkit.TrafficBuilder;

class PoolIntelTest {
  @TempDir Path dir;

  @Test
  void poolsAreNamedFromDnsAnswersAndTlsToThemIsSuspect() {
    Random r = new Random(5);
    TrafficBuilder t = new TrafficBuilder(Instant.parse("2021-07-01T00:00:00Z"));
    t.udp("10.5.0.2", 53001, "10.5.0.1", 53, DnsMessages.of("xmr-eu1.nanopool.org", null));
    t.udp(
        "10.5.0.1",
        53,
        "10.5.0.2",
        53001,
        DnsMessages.of("xmr-eu1.nanopool.org", new int[] {203, 0, 113, 90}));
    // TLS without a server name to the address just resolved.
    byte[] hello = TlsClientHelloTest.clientHelloForTests(null);
    t.tcp("10.5.0.2", 40100, "203.0.113.90", 14433).handshake().send(true, hello);
    // Stratum in clear to another resolved pool; and NTP's pool, which is no mining pool.
    t.udp(
        "10.5.0.1",
        53,
        "10.5.0.3",
        53002,
        DnsMessages.of("pool.supportxmr.com", new int[] {203, 0, 113, 91}));
    MiningSessions.xmrig(t, "10.5.0.3", 40101, "203.0.113.91", 3333, "4xyz", "XMRig/6.21.0", 1, r);
    t.udp(
        "10.5.0.1",
        53,
        "10.5.0.4",
        53003,
        DnsMessages.of("0.pool.ntp.org", new int[] {192, 0, 2, 123}));
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.findings())
        .extracting(f -> f.host().toString(), Finding::role, Finding::verdict, Finding::poolName)
        .containsExactlyInAnyOrder(
            tuple("10.5.0.3", Role.MINER, Verdict.MINING, "SupportXMR"),
            tuple("203.0.113.91", Role.POOL, Verdict.MINING, "SupportXMR"),
            tuple("10.5.0.2", Role.MINER, Verdict.SUSPECT, "Nanopool"),
            tuple("203.0.113.90", Role.POOL, Verdict.SUSPECT, "Nanopool"));
    Finding tlsMiner = s.only("10.5.0.2", Role.MINER);
    assertThat(tlsMiner.tls().sni()).isNull();
    assertThat(tlsMiner.tls().ja4()).startsWith("t13i0305h2_");
    assertThat(tlsMiner.evidence())
        .anyMatch(e -> e.contains("DNS query for xmr-eu1.nanopool.org (mining pool Nanopool)"))
        .anyMatch(
            e ->
                e.contains(
                    "TLS connection to an address resolved from xmr-eu1.nanopool.org in this traffic (mining pool Nanopool)"));
    // The NTP pool's name is not a mining pool: 10.5.0.4 has no finding.
    assertThat(s.findings()).noneMatch(f -> f.host().toString().equals("10.5.0.4"));
  }

  @Test
  void plainHttpToAPoolHostIsSuspectAndASingleCoinPoolNamesTheCoin() {
    TrafficBuilder t = new TrafficBuilder(Instant.parse("2021-07-01T00:00:00Z"));
    t.tcp("10.5.0.9", 40200, "203.0.113.95", 80)
        .handshake()
        .client(
            "GET /api/stats HTTP/1.1\r\nHost: supportxmr.com\r\nUser-Agent: curl/7.88.1\r\n\r\n");
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.findings())
        .extracting(
            f -> f.host().toString(),
            Finding::role,
            Finding::verdict,
            Finding::poolName,
            Finding::coin)
        .containsExactlyInAnyOrder(
            tuple(
                "10.5.0.9",
                Role.MINER,
                Verdict.SUSPECT,
                "SupportXMR",
                org.minewatch.model.Coin.MONERO),
            tuple(
                "203.0.113.95",
                Role.POOL,
                Verdict.SUSPECT,
                "SupportXMR",
                org.minewatch.model.Coin.MONERO));
  }

  @Test
  void dnsOverTcpNamesThePoolToo() {
    Random r = new Random(8);
    TrafficBuilder t = new TrafficBuilder(Instant.parse("2021-07-01T00:00:00Z"));
    byte[] query = DnsMessages.of("gulf.moneroocean.stream", null);
    byte[] answer = DnsMessages.of("gulf.moneroocean.stream", new int[] {203, 0, 113, 92});
    t.tcp("10.5.0.7", 40300, "10.5.0.1", 53)
        .handshake()
        .send(true, withLength(query))
        .send(false, withLength(answer));
    MiningSessions.xmrig(t, "10.5.0.7", 40301, "203.0.113.92", 10128, "4xyz", "XMRig/6.21.0", 1, r);
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.only("10.5.0.7", Role.MINER).poolName()).isEqualTo("MoneroOcean");
    assertThat(s.only("203.0.113.92", Role.POOL).poolName()).isEqualTo("MoneroOcean");
    assertThat(s.only("10.5.0.7", Role.MINER).evidence())
        .anyMatch(
            e ->
                e.contains(
                    "DNS answer for gulf.moneroocean.stream (mining pool MoneroOcean) -> 203.0.113.92"));
  }

  private static byte[] withLength(byte[] m) {
    byte[] out = new byte[m.length + 2];
    out[0] = (byte) (m.length >>> 8);
    out[1] = (byte) m.length;
    System.arraycopy(m, 0, out, 2, m.length);
    return out;
  }

  @Test
  void aWebMinersWebSocketIsSuspectAndNamesTheService() {
    TrafficBuilder t = new TrafficBuilder(Instant.parse("2018-01-10T09:00:00Z"));
    t.tcp("10.5.0.20", 40400, "203.0.113.96", 80)
        .handshake()
        .client(
            "GET /proxy0 HTTP/1.1\r\nHost: ws001.coinhive.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n\r\n");
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.findings())
        .extracting(
            f -> f.host().toString(),
            Finding::role,
            Finding::verdict,
            Finding::poolName,
            Finding::coin)
        .containsExactlyInAnyOrder(
            tuple(
                "10.5.0.20",
                Role.MINER,
                Verdict.SUSPECT,
                "Coinhive (web miner)",
                org.minewatch.model.Coin.MONERO),
            tuple(
                "203.0.113.96",
                Role.POOL,
                Verdict.SUSPECT,
                "Coinhive (web miner)",
                org.minewatch.model.Coin.MONERO));
  }
}
