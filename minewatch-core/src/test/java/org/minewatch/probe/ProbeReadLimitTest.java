package org.minewatch.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An endpoint may make the probe read at most 256 KiB a connection, TLS records included, and one
 * that reaches that ends the probe: no further connection is made to it.
 */
class ProbeReadLimitTest {
  /**
   * A loopback server that answers every connection with the same few bytes again and again until
   * the probe closes it. With {@code afterClientHello} it first reads the ClientHello record, as a
   * TLS server does.
   */
  private static final class Flood implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();

    Flood(byte[] unit, boolean afterClientHello) throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
      byte[] block = new byte[unit.length * (16384 / unit.length)];
      for (int i = 0; i < block.length; i += unit.length) {
        System.arraycopy(unit, 0, block, i, unit.length);
      }
      Thread t =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try (Socket s = server.accept()) {
                    connections.incrementAndGet();
                    if (afterClientHello) {
                      DataInputStream in = new DataInputStream(s.getInputStream());
                      byte[] header = new byte[5];
                      in.readFully(header);
                      in.readFully(new byte[(header[3] & 0xff) << 8 | header[4] & 0xff]);
                    }
                    OutputStream out = new BufferedOutputStream(s.getOutputStream(), block.length);
                    while (true) {
                      out.write(block);
                      out.flush();
                    }
                  } catch (IOException e) {
                    // the probe closed the connection: wait for the next
                  }
                }
              },
              "flood-" + server.getLocalPort());
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  @Test
  void aTlsHandshakeThatNeverEndsStopsTheProbeAtTheReadLimit() throws Exception {
    // Empty handshake records (type 22, TLS 1.2, length 0): the JDK's client reads on, waiting for
    // the ServerHello, as long as they come; only the probe's read limit stops it before the
    // deadline.
    try (Flood flood = new Flood(new byte[] {0x16, 3, 3, 0, 0}, true)) {
      ProbeResult r = ProbeFixtures.loopbackProber().probe(ProbeFixtures.loopback(flood.port()));
      assertThat(r.pool()).isFalse();
      assertThat(r.sentence()).isNull();
      assertThat(r.attempts())
          .containsExactly(
              "stratum-v1 over TLS: TLS handshake failed (read limit of 256 KiB reached during the "
                  + "TLS handshake); probe stopped");
      assertThat(flood.connections).hasValue(1);
    }
  }

  @Test
  void aReplyThatNeverComesStopsTheProbeAtTheReadLimitInClear() throws Exception {
    // Blank lines without end: no message, no reply larger than 64 KiB, only bytes.
    try (Flood flood = new Flood(new byte[] {'\n'}, false)) {
      ProbeResult r = ProbeFixtures.loopbackProber().probe(ProbeFixtures.loopback(flood.port()));
      assertThat(r.pool()).isFalse();
      assertThat(r.attempts())
          .containsExactly(
              "stratum-v1 over TLS: TLS handshake failed (Unsupported or unrecognized SSL message)",
              "stratum-v1 in clear: mining.subscribe: read limit of 256 KiB reached; probe stopped");
      assertThat(flood.connections).hasValue(2);
    }
  }
}
