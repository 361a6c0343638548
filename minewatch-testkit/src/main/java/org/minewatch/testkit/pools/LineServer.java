package org.minewatch.testkit.pools;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * A real TCP server on a random loopback port, in clear or over TLS, that reads newline-delimited
 * lines and writes what its responder returns for each (null: nothing). Pools and the servers that
 * must not pass for pools are responders over it. Counts connections and keeps every line received.
 */
public final class LineServer implements Closeable {
  private final ServerSocket server;
  private final Function<String, String> responder;
  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  private LineServer(ServerSocket server, Function<String, String> responder) {
    this.server = server;
    this.responder = responder;
    Thread t = new Thread(this::acceptLoop, "line-server-" + server.getLocalPort());
    t.setDaemon(true);
    t.start();
  }

  /**
   * @param tls a server context (see {@link PemTls}), or null for clear
   */
  public static LineServer start(SSLContext tls, Function<String, String> responder)
      throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    ServerSocket s =
        tls == null
            ? new ServerSocket(0, 50, loopback)
            : tls.getServerSocketFactory().createServerSocket(0, 50, loopback);
    return new LineServer(s, responder);
  }

  public int port() {
    return server.getLocalPort();
  }

  public int connections() {
    return connections.get();
  }

  public List<String> received() {
    return List.copyOf(received);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        connections.incrementAndGet();
        open.add(s);
        Thread t = new Thread(() -> serve(s), "line-server-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s;
        BufferedReader in =
            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
      OutputStream out = s.getOutputStream();
      String line;
      while ((line = in.readLine()) != null) {
        received.add(line);
        String reply = responder.apply(line);
        if (reply != null) {
          out.write(reply.getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
    } catch (SocketException e) {
      // the client went away, or the server closed
    } catch (IOException e) {
      // a TLS handshake that failed, or a reset: this connection is over
    } finally {
      open.remove(s);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
