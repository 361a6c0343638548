package org.minewatch.flowrecord;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.function.Consumer;

/**
 * Receives NetFlow v5/v9 and IPFIX export datagrams on a UDP socket and decodes them. Each exporter
 * (source address and port) has its own templates and sequence numbers; the templates of one source
 * address, whatever its ports, count against one exporter's {@link TemplateLimits}. A datagram that
 * cannot be decoded is counted by kind and, the first {@value #TOLD_PER_KIND} of each kind,
 * reported; the collector goes on with the next one.
 */
public final class UdpCollector implements AutoCloseable {
  /** Large enough for a burst of exports while the analysis catches up. */
  private static final int RECEIVE_BUFFER = 8 << 20;

  /** Malformed datagrams of one kind reported one by one; the rest are counted. */
  public static final int TOLD_PER_KIND = 20;

  private final DatagramSocket socket;
  private volatile boolean closed;
  private long datagrams;
  private ProblemDigest<ExportFormatException.Kind> malformed = digest(text -> {});

  /** Receives what could not be decoded. */
  public interface Problems {
    void problem(String text);
  }

  public UdpCollector(InetSocketAddress listen) throws IOException {
    socket = new DatagramSocket(null);
    socket.setReceiveBufferSize(RECEIVE_BUFFER);
    socket.bind(listen);
  }

  public InetSocketAddress localAddress() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  public long datagrams() {
    return datagrams;
  }

  public long malformed() {
    return malformed.total();
  }

  /**
   * The malformed datagrams by kind, e.g. "3 not NetFlow/IPFIX, 2 with a bad set"; empty if none.
   */
  public String malformedByKind() {
    return malformed.summary();
  }

  private static ProblemDigest<ExportFormatException.Kind> digest(ProblemDigest.Sink sink) {
    return new ProblemDigest<>(
        ExportFormatException.Kind.class,
        TOLD_PER_KIND,
        "malformed datagrams",
        ExportFormatException.Kind::label,
        sink);
  }

  /**
   * Receives until {@link #close()}; calls {@code tick} whenever {@code tickMillis} pass without a
   * datagram and after each datagram, so the caller can report on time while traffic is quiet.
   * {@code problems} hears the first {@value #TOLD_PER_KIND} malformed datagrams of each kind.
   */
  public void run(
      ExportDecoder decoder,
      Consumer<FlowRecord> out,
      Problems problems,
      Runnable tick,
      int tickMillis)
      throws IOException {
    byte[] buffer = new byte[65535];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    malformed = digest(problems::problem);
    InetAddress lastAddress = null;
    int lastPort = -1;
    String host = null;
    String exporter = null;
    socket.setSoTimeout(tickMillis);
    while (!closed) {
      try {
        packet.setLength(buffer.length);
        socket.receive(packet);
      } catch (SocketTimeoutException e) {
        tick.run();
        continue;
      } catch (SocketException e) {
        if (closed) {
          return;
        }
        throw e;
      }
      datagrams++;
      InetAddress from = packet.getAddress();
      if (packet.getPort() != lastPort || !from.equals(lastAddress)) {
        // Names made when the sender changes, not for every datagram of a steady exporter.
        lastAddress = from;
        lastPort = packet.getPort();
        host = from.getHostAddress();
        exporter = host + ":" + lastPort;
      }
      try {
        decoder.decode(exporter, host, buffer, 0, packet.getLength(), out);
      } catch (ExportFormatException e) {
        malformed.add(e.kind(), e.getMessage());
      }
      tick.run();
    }
  }

  /** Stops {@link #run}; safe from any thread. */
  @Override
  public void close() {
    closed = true;
    socket.close();
  }
}
