package org.minewatch.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.minewatch.governance.Governance;
import org.minewatch.governance.Settings;
import org.minewatch.governance.order.TariffPolicies;
import org.minewatch.governance.store.Database;
import org.minewatch.governance.user.Role;
import org.minewatch.governance.user.User;

/**
 * Slow clients (slowloris): headers or a body dribbled a byte at a time must not keep a connection,
 * or the worker thread reading the body, beyond the server's limits, and others are served
 * meanwhile. The limits are made short here; the test waits at most {@link #GIVE_UP_MS} for the
 * server to cut a dribbler (it never asserts how fast).
 */
class SlowRequestsTest {
  /** A dribbler still connected after this long was never cut: the server has no limit. */
  static final long GIVE_UP_MS = 40_000;

  static final ApiServer.Limits LIMITS =
      new ApiServer.Limits(
          java.time.Duration.ofSeconds(2), 4096, java.time.Duration.ofSeconds(2), 6);

  @TempDir Path dir;
  Database db;
  ApiServer server;
  Http http;
  String sensor;

  @BeforeEach
  void start() {
    db = Database.embedded(dir);
    Governance g =
        new Governance(db, Clock.systemUTC(), Settings.defaults(), TariffPolicies.builtIn());
    sensor = g.addUser(User.SYSTEM, "probe", Role.SENSOR, null, null, null);
    server = ApiServer.start(g, "127.0.0.1", 0, null, LIMITS);
    http = new Http(server.port());
  }

  @AfterEach
  void stop() {
    server.close();
    db.close();
  }

  /**
   * A client that sends {@code head} at once, then {@code dribble} a byte at a time, until cut off
   * or done.
   */
  final class Dribbler implements AutoCloseable {
    final Socket socket;
    final AtomicBoolean cutWhileSending = new AtomicBoolean();

    /** Set once every byte was written without the server cutting the connection. */
    volatile boolean sentAll;

    final Thread sender;
    volatile boolean finished;

    Dribbler(String head, byte[] dribble, long pauseMs) throws IOException {
      socket = new Socket("127.0.0.1", server.port());
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      sender =
          new Thread(
              () -> {
                try {
                  for (byte b : dribble) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(pauseMs);
                  }
                  sentAll = true;
                } catch (IOException e) {
                  cutWhileSending.set(true);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                finished = true;
              },
              "dribbler");
      sender.setDaemon(true);
      sender.start();
    }

    /**
     * What the server said before closing (empty if nothing), once it closed; null if it never did.
     */
    String awaitServerClose() throws IOException {
      socket.setSoTimeout(500);
      InputStream in = socket.getInputStream();
      StringBuilder said = new StringBuilder();
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GIVE_UP_MS);
      byte[] buf = new byte[512];
      while (System.nanoTime() < until) {
        try {
          int n = in.read(buf);
          if (n < 0) {
            return said.toString();
          }
          said.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
        } catch (SocketTimeoutException e) {
          if (finished && !cutWhileSending.get()) {
            return null; // sent everything and the server still waits: it never cut this client
          }
        } catch (java.net.SocketException e) {
          return said.toString(); // reset by the server
        }
      }
      return null;
    }

    @Override
    public void close() throws IOException {
      sender.interrupt();
      socket.close();
    }
  }

  static byte[] repeat(char c, int n) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) c);
    return b;
  }

  @Test
  void headersDribbledAByteAtATimeAreCutAtTheHeaderTimeout() throws Exception {
    // 2,000 header bytes at 5 a second: 400 s, far beyond the 2 s header timeout but always
    // "active".
    try (Dribbler slow =
        new Dribbler(
            "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", repeat('a', 2000), 200)) {
      // Others are served while it dribbles.
      assertThat(http.get("/health", null).status()).isEqualTo(200);
      String said = slow.awaitServerClose();
      assertThat(said)
          .as("the server never closed a connection whose headers took minutes")
          .isNotNull();
      assertThat(said).isEmpty();
      assertThat(slow.sentAll).isFalse(); // cut before the last byte (it may have seen the cut)
    }
    assertThat(http.get("/health", null).status()).isEqualTo(200);
  }

  @Test
  void aBodyDribbledBelowTheMinimumRateIsCutAndFreesItsWorker() throws Exception {
    List<Dribbler> slow = new ArrayList<>();
    try {
      // More slow bodies than the connection limit would let in at once: each holds a worker thread
      // while it reads.
      for (int i = 0; i < 3; i++) {
        slow.add(
            new Dribbler(
                "POST /api/findings HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + sensor
                    + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: 100000\r\n\r\n",
                repeat(' ', 100_000),
                100));
      }
      // A normal ingest is served meanwhile.
      assertThat(
              http.send(
                      "POST",
                      "/api/findings",
                      sensor,
                      "application/x-ndjson",
                      (ApiTest.LINE + "\n").getBytes(StandardCharsets.UTF_8))
                  .status())
          .isEqualTo(200);
      for (Dribbler d : slow) {
        String said = d.awaitServerClose();
        assertThat(said).as("the server kept reading a body sent at 10 bytes a second").isNotNull();
        // The sender may already have seen the cut (finished, with a failed write): what matters
        // is that it did not get to send the whole body.
        assertThat(d.sentAll).isFalse();
        // Cut mid-body: either no answer or a 408, never a 500.
        assertThat(said)
            .satisfiesAnyOf(
                s -> assertThat(s).isEmpty(), s -> assertThat(s).startsWith("HTTP/1.1 408 "));
      }
    } finally {
      for (Dribbler d : slow) {
        d.close();
      }
    }
    assertThat(http.get("/health", null).status()).isEqualTo(200);
  }

  @Test
  void connectionsBeyondTheLimitWaitAndAreServedOnceSlotsFree() throws Exception {
    List<Dribbler> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 3 * LIMITS.maxConnections(); i++) {
        slow.add(
            new Dribbler(
                "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", repeat('a', 2000), 200));
      }
      // The server holds at most the limit; the rest wait in the kernel's backlog, holding no
      // thread or buffer.
      for (int i = 0; i < 20; i++) {
        assertThat(server.connections()).isLessThanOrEqualTo(LIMITS.maxConnections());
        Thread.sleep(50);
      }
      // A normal client queues behind them and is served once the header timeout has cut enough of
      // them.
      assertThat(http.get("/health", null).status()).isEqualTo(200);
    } finally {
      for (Dribbler d : slow) {
        d.close();
      }
    }
  }

  /**
   * A request Jetty refuses before any route sees it (here a request line beyond its limit) is
   * answered with {@code Connection: close}: a client must not send its next request into a
   * connection whose leftover bytes the server would parse as a request of their own.
   */
  @Test
  void aRequestLineTooLongIsRefusedWithConnectionClose() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET /health?x=" + "A".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String head = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      head = head.substring(0, head.indexOf("\r\n\r\n"));
      assertThat(head).startsWith("HTTP/1.1 414 ");
      assertThat(head.lines().map(String::toLowerCase)).contains("connection: close");
    }
  }
}
