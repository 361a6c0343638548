package org.minewatch.flowrecord;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.function.Consumer;

/**
 * Receives NetFlow v5/v9 and IPFIX export datagrams on a UDP socket and decodes them. Each
 * exporter (source address and port) has its own templates and sequence numbers. A datagram that
 * cannot be decoded is counted and reported; the collector goes on with the next one.
 */
public final class UdpCollector implements AutoCloseable {
  /** Large enough for a burst of exports while the analysis catches up. */
  private static final int RECEIVE_BUFFER = 8 << 20;

  private final DatagramSocket socket;
  private volatile boolean closed;
  private long datagrams;
  private long malformed;

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
    return malformed;
  }

  /**
   * Receives until {@link #close()}; calls {@code tick} whenever {@code tickMillis} pass without a
   * datagram and after each datagram, so the caller can report on time while traffic is quiet.
   */
  public void run(ExportDecoder decoder, Consumer<FlowRecord> out, Problems problems, Runnable tick,
      int tickMillis) throws IOException {
    byte[] buffer = new byte[65535];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
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
      InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
      String exporter = from.getAddress().getHostAddress() + ":" + from.getPort();
      try {
        decoder.decode(exporter, buffer, 0, packet.getLength(), out);
      } catch (ExportFormatException e) {
        malformed++;
        problems.problem(e.getMessage());
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
