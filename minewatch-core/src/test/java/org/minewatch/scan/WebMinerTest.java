package org.minewatch.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.minewatch.testkit.MiningSessions.hex;
import static org.minewatch.testkit.MiningSessions.webSocketText;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.evidence.Finding;
import org.minewatch.model.Coin;
import org.minewatch.model.Protocol;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;
import org.minewatch.testkit.MiningSessions;
import org.minewatch.testkit.TrafficBuilder;

class WebMinerTest {
  @TempDir Path dir;

  private final Random random = new Random(11);

  private TrafficBuilder builder() {
    return new TrafficBuilder(Instant.parse("2018-02-01T10:00:00Z"));
  }

  @Test
  void coinhiveStyleWebSocketMiningIsMiningWithTheSiteKey() {
    TrafficBuilder t = builder();
    MiningSessions.coinhiveStyle(
            t,
            "10.30.0.7",
            52000,
            "198.51.100.90",
            80,
            "ws.example-proxy.test",
            "SiteKeyAbc123",
            3,
            random)
        .fin();
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    Finding browser = s.only("10.30.0.7", Role.MINER);
    assertThat(browser.verdict()).isEqualTo(Verdict.MINING);
    assertThat(browser.protocol()).isEqualTo(Protocol.WEB_MINER);
    assertThat(browser.coin()).isEqualTo(Coin.MONERO);
    assertThat(browser.login()).isEqualTo("SiteKeyAbc123");
    assertThat(browser.agent()).startsWith("Mozilla/5.0 (Windows NT 10.0");
    String flow = "TCP 10.30.0.7:52000 -> 198.51.100.90:80 at 2018-02-01T10:00:";
    assertThat(browser.evidence())
        .containsExactly(
            flow + "00.001407Z: browser sent web-miner auth over WebSocket: site key SiteKeyAbc123",
            flow + "00.001809Z: proxy sent web-miner authed over WebSocket: authenticated",
            flow + "00.002211Z: proxy sent web-miner job over WebSocket: job j668",
            flow + "20.002613Z: browser sent web-miner submit over WebSocket: share for job j668",
            flow
                + "20.003015Z: proxy sent web-miner hash_accepted over WebSocket: 256 hashes accepted");
    assertThat(s.only("198.51.100.90", Role.POOL).verdict()).isEqualTo(Verdict.MINING);
  }

  @Test
  void webminerpoolStyleHandshakeNamesTheWallet() {
    TrafficBuilder t = builder();
    TrafficBuilder.Tcp tcp =
        MiningSessions.webSocketUpgrade(
            t, "10.30.0.8", 52001, "198.51.100.91", 8181, "198.51.100.91:8181", "/");
    String wallet =
        "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";
    tcp.send(
        true,
        webSocketText(
            "{\"identifier\":\"handshake\",\"pool\":\"moneroocean.stream\",\"login\":\""
                + wallet
                + "\",\"password\":\"web\",\"userid\":\"\",\"version\":7}",
            true,
            random));
    tcp.send(
        false,
        webSocketText(
            "{\"identifier\":\"job\",\"job_id\":\"77\",\"algo\":\"cn\",\"variant\":1,\"blob\":\""
                + hex(random, 76)
                + "\",\"target\":\"b88d0600\"}",
            false,
            random));
    tcp.send(
        true,
        webSocketText(
            "{\"identifier\":\"solved\",\"job_id\":\"77\",\"nonce\":\""
                + hex(random, 4)
                + "\",\"result\":\""
                + hex(random, 32)
                + "\"}",
            true,
            random));
    tcp.fin();
    Finding browser = Fixtures.scan(dir, t.frames()).only("10.30.0.8", Role.MINER);
    assertThat(browser.verdict()).isEqualTo(Verdict.MINING);
    assertThat(browser.login()).isEqualTo(wallet);
    assertThat(browser.wallet()).isNotNull();
    String flow = "TCP 10.30.0.8:52001 -> 198.51.100.91:8181 at 2018-02-01T10:00:00.00";
    assertThat(browser.evidence())
        .containsExactly(
            "login "
                + wallet
                + " is a valid monero mainnet standard address (keccak-256 checksum verified)",
            flow
                + "1407Z: browser sent web-miner handshake over WebSocket: login "
                + wallet
                + " on pool moneroocean.stream",
            flow + "1809Z: proxy sent web-miner job over WebSocket: job 77",
            flow + "2211Z: browser sent web-miner solved over WebSocket: share for job 77");
  }

  @Test
  void loadingAMiningLibraryIsSuspect() {
    TrafficBuilder t = builder();
    t.tcp("10.30.0.9", 52002, "203.0.113.60", 80)
        .handshake()
        .client(
            "GET /lib/coinhive.min.js?v=2 HTTP/1.1\r\nHost: static.example.test\r\nUser-Agent: Mozilla/5.0\r\n\r\n")
        .server(
            "HTTP/1.1 200 OK\r\nContent-Type: application/javascript\r\nContent-Length: 5\r\n\r\nvar a")
        .fin();
    Fixtures.Scan s = Fixtures.scan(dir, t.frames());
    assertThat(s.findings()).hasSize(1);
    Finding f = s.only("10.30.0.9", Role.MINER);
    assertThat(f.verdict()).isEqualTo(Verdict.SUSPECT);
    assertThat(f.evidence())
        .containsExactly(
            "TCP 10.30.0.9:52002 -> 203.0.113.60:80 at 2018-02-01T10:00:00.000603Z: "
                + "HTTP GET /lib/coinhive.min.js?v=2 from static.example.test loads the in-browser mining library "
                + "coinhive.min.js");
  }

  @Test
  void otherWebSocketsAndScriptsAreNotWebMiners() {
    TrafficBuilder t = builder();
    TrafficBuilder.Tcp chat =
        MiningSessions.webSocketUpgrade(
            t, "10.30.0.10", 52003, "203.0.113.61", 443, "chat.example.test", "/socket");
    chat.send(
        true,
        webSocketText("{\"type\":\"message\",\"params\":{\"text\":\"hello\"}}", true, random));
    chat.send(
        false,
        webSocketText(
            "{\"type\":\"job\",\"params\":{\"job_id\":\"print-7\",\"status\":\"queued\"}}",
            false,
            random));
    chat.fin();
    t.tcp("10.30.0.11", 52004, "203.0.113.62", 80)
        .handshake()
        .client("GET /js/app.min.js HTTP/1.1\r\nHost: www.example.test\r\n\r\n")
        .server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
        .fin();
    assertThat(Fixtures.scan(dir, t.frames()).findings()).isEmpty();
  }
}
