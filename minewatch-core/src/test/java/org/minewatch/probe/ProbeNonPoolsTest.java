package org.minewatch.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.testkit.pools.LineServer;
import org.minewatch.testkit.pools.Mosquitto;

/**
 * Servers that are not pools, each a real server on loopback, must never be confirmed, and the
 * record says what each answered: web servers in clear and over TLS, an MQTT broker, a server that
 * echoes the probe's own messages, one that never answers, and one that answers malformed JSON.
 */
class ProbeNonPoolsTest {
  @TempDir Path dir;

  private static HttpServer web(HttpServer s) {
    s.createContext(
        "/",
        exchange -> {
          byte[] body = "<html>hello</html>".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    s.start();
    return s;
  }

  @Test
  void aWebServerInClearIsNotAPool() throws Exception {
    HttpServer http =
        web(HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0));
    try {
      ProbeResult r =
          ProbeFixtures.loopbackProber().probe(ProbeFixtures.loopback(http.getAddress().getPort()));
      assertThat(r.pool()).isFalse();
      assertThat(r.sentence()).isNull();
      // The JDK's server waits for the rest of a request that a JSON line never completes.
      assertThat(r.attempts())
          .containsExactly(
              "stratum-v1 over TLS: TLS handshake failed (not completed within 2.0 s)",
              "stratum-v1 in clear: mining.subscribe: no answer within 1.0 s",
              "stratum-xmr in clear: login: no answer within 1.0 s",
              "eth-proxy in clear: eth_submitLogin: no answer within 1.0 s");
    } finally {
      http.stop(0);
    }
  }

  @Test
  void aTlsWebServerIsNotAPool() throws Exception {
    HttpsServer https =
        HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(ProbeFixtures.tls(dir)));
    web(https);
    try {
      ProbeResult r =
          ProbeFixtures.loopbackProber()
              .probe(ProbeFixtures.loopback(https.getAddress().getPort()));
      assertThat(r.pool()).isFalse();
      // It completed a TLS handshake, so it is not tried in clear.
      assertThat(r.attempts())
          .containsExactly(
              "stratum-v1 over TLS: mining.subscribe: no answer within 1.0 s",
              "stratum-xmr over TLS: login: no answer within 1.0 s",
              "eth-proxy over TLS: eth_submitLogin: no answer within 1.0 s");
    } finally {
      https.stop(0);
    }
  }

  @Test
  void anMqttBrokerIsNotAPool() throws Exception {
    Assumptions.assumeTrue(
        Mosquitto.available(),
        "Debian's mosquitto is not installed (apt-get install mosquitto): the MQTT test is skipped");
    try (Mosquitto broker = Mosquitto.start(dir)) {
      ProbeResult r = ProbeFixtures.loopbackProber().probe(ProbeFixtures.loopback(broker.port()));
      assertThat(r.pool()).isFalse();
      assertThat(r.attempts())
          .first()
          .asString()
          .startsWith("stratum-v1 over TLS: TLS handshake failed (");
      // A JSON line is no MQTT CONNECT packet: the broker resets the connection, whatever the
      // dialect.
      assertThat(r.attempts().subList(1, r.attempts().size()))
          .containsExactly(
              "stratum-v1 in clear: mining.subscribe: reset the connection",
              "stratum-xmr in clear: login: reset the connection",
              "eth-proxy in clear: eth_submitLogin: reset the connection");
    }
  }

  @Test
  void anEchoOfTheProbesOwnMessagesConfirmsNothing() throws Exception {
    try (LineServer echo = LineServer.start(null, line -> line + "\n")) {
      ProbeResult r = ProbeFixtures.loopbackProber().probe(ProbeFixtures.loopback(echo.port()));
      assertThat(r.pool()).isFalse();
      assertThat(r.attempts().subList(1, r.attempts().size()))
          .containsExactly(
              "stratum-v1 in clear: mining.subscribe: no answer within 1.0 s",
              "stratum-xmr in clear: login: no answer within 1.0 s",
              "eth-proxy in clear: eth_submitLogin: no answer within 1.0 s");
    }
  }

  @Test
  void aServerThatAcceptsAndNeverAnswersTimesOut() throws Exception {
    try (LineServer silent = LineServer.start(null, line -> null)) {
      // The deadlines bound the wait (2 s for connection and handshake, 1 s per dialect): each
      // attempt says which
      // ran out. A guard, not a measurement: the probe must end well within four times that.
      ProbeResult r =
          org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
              java.time.Duration.ofSeconds(20),
              () -> ProbeFixtures.loopbackProber().probe(ProbeFixtures.loopback(silent.port())));
      assertThat(r.pool()).isFalse();
      assertThat(r.attempts())
          .containsExactly(
              "stratum-v1 over TLS: TLS handshake failed (not completed within 2.0 s)",
              "stratum-v1 in clear: mining.subscribe: no answer within 1.0 s",
              "stratum-xmr in clear: login: no answer within 1.0 s",
              "eth-proxy in clear: eth_submitLogin: no answer within 1.0 s");
    }
  }

  @Test
  void aMalformedReplyIsNotAPool() throws Exception {
    String broken =
        "{\"id\":1,\"result\":[[[\"mining.notify\",\"ae6812eb4cd7735a302a8a9dd95cf71f\"]],\"08000002\",4,]}\n";
    try (LineServer malformed = LineServer.start(null, line -> broken)) {
      ProbeResult r =
          ProbeFixtures.loopbackProber().probe(ProbeFixtures.loopback(malformed.port()));
      assertThat(r.pool()).isFalse();
      assertThat(r.attempts()).hasSize(2);
      assertThat(r.attempts().get(1))
          .startsWith(
              "stratum-v1 in clear: mining.subscribe: answered with malformed JSON "
                  + "\"{\\\"id\\\":1,\\\"result\\\":[[[\\\"mining.notify\\\",");
    }
  }

  @Test
  void aReplyLargerThan64KiBIsCutOff() throws Exception {
    String huge = "{\"id\":1,\"result\":\"" + "a".repeat(70_000) + "\"}\n";
    try (LineServer big = LineServer.start(null, line -> huge)) {
      ProbeResult r = ProbeFixtures.loopbackProber().probe(ProbeFixtures.loopback(big.port()));
      assertThat(r.pool()).isFalse();
      assertThat(r.attempts().subList(1, r.attempts().size()))
          .containsExactly(
              "stratum-v1 in clear: mining.subscribe: sent a reply larger than 64 KiB",
              "stratum-xmr in clear: login: sent a reply larger than 64 KiB",
              "eth-proxy in clear: eth_submitLogin: sent a reply larger than 64 KiB");
    }
  }

  @Test
  void aSubscriptionWithoutAnExtranonceIsNotAPool() throws Exception {
    // The subscription list alone is a shape any JSON-RPC server could be coaxed into; pools grant
    // an extranonce.
    try (LineServer fake =
        LineServer.start(
            null,
            line ->
                line.contains("mining.subscribe")
                    ? "{\"id\":1,\"result\":[[[\"mining.notify\",\"1\"]],null,null],\"error\":null}\n"
                    : null)) {
      ProbeResult r = ProbeFixtures.loopbackProber().probe(ProbeFixtures.loopback(fake.port()));
      assertThat(r.pool()).isFalse();
      assertThat(r.attempts().get(1))
          .isEqualTo(
              "stratum-v1 in clear: mining.subscribe: result [[[mining.notify, 1]], null, null]; mining.authorize: no answer within 1.0 s");
    }
  }
}
