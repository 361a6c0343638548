package org.minewatch.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Each stage of a probe connection has a deadline of its own that a server cannot stretch by
 * sending slowly: connection and TLS handshake together within the connect timeout, each reply
 * within the reply timeout.
 */
class ProbeDeadlineTest {
  private static final Duration CONNECT = Duration.ofSeconds(1);
  private static final Duration REPLY = Duration.ofSeconds(1);

  /**
   * Sends {@code head} at once, then one byte of {@code drip} every 200 ms, on every connection,
   * until closed.
   */
  private static final class Dripper implements Closeable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    Dripper(byte[] head, byte drip) throws IOException {
      Thread t =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    Socket s = server.accept();
                    open.add(s);
                    Thread d =
                        new Thread(
                            () -> {
                              try (s) {
                                OutputStream out = s.getOutputStream();
                                out.write(head);
                                out.flush();
                                while (true) {
                                  Thread.sleep(
                                      200); // the server's pace, not the test's synchronisation
                                  out.write(drip);
                                  out.flush();
                                }
                              } catch (IOException | InterruptedException e) {
                                // the probe closed the connection
                              }
                            });
                    d.setDaemon(true);
                    d.start();
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : open) {
        s.close();
      }
    }
  }

  private static Prober prober() {
    return new Prober(
        AllowList.parse(List.of("127.0.0.0/8")),
        new ProbeRateLimit(Duration.ZERO),
        ProbeMemory.inMemory(ProbeMemory.DEFAULT_INTERVAL),
        Clock.systemUTC(),
        CONNECT,
        REPLY);
  }

  @Test
  void aServerHelloDrippedOneByteAtATimeEndsTheHandshakeAtItsDeadline() throws Exception {
    // A TLS handshake record announcing 16 KiB, whose body then comes a byte every 200 ms: each
    // read
    // returns well within any read timeout, so only a deadline on the whole handshake ends it.
    byte[] head = {0x16, 0x03, 0x03, 0x40, 0x00, 0x02};
    try (Dripper server = new Dripper(head, (byte) 0x00)) {
      ProbeResult r =
          assertTimeoutPreemptively(
              CONNECT.plus(REPLY).multipliedBy(4),
              () -> prober().probe(ProbeFixtures.loopback(server.port())));
      assertThat(r.pool()).isFalse();
      assertThat(r.attempts()).hasSize(2);
      assertThat(r.attempts().get(0))
          .isEqualTo("stratum-v1 over TLS: TLS handshake failed (not completed within 1.0 s)");
      // In clear it answers bytes that are not JSON: no other dialect is tried.
      assertThat(r.attempts().get(1))
          .startsWith("stratum-v1 in clear: mining.subscribe: answered bytes 16 03 03 40 00");
    }
  }

  @Test
  void aReplyDrippedOneByteAtATimeEndsAtItsDeadline() throws Exception {
    byte[] head = "{\"id\":1,\"result\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try (Dripper server = new Dripper(head, (byte) 'a')) {
      ProbeResult r =
          assertTimeoutPreemptively(
              CONNECT.plus(REPLY.multipliedBy(3)).multipliedBy(4),
              () -> prober().probe(ProbeFixtures.loopback(server.port())));
      assertThat(r.pool()).isFalse();
      assertThat(r.attempts().subList(1, r.attempts().size()))
          .containsExactly(
              "stratum-v1 in clear: mining.subscribe: no answer within 1.0 s",
              "stratum-xmr in clear: login: no answer within 1.0 s",
              "eth-proxy in clear: eth_submitLogin: no answer within 1.0 s");
    }
  }
}
