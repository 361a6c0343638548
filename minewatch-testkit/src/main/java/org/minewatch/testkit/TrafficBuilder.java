package org.minewatch.testkit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds IP packets of realistic TCP and UDP conversations on a timeline: handshakes, segments with
 * correct sequence numbers and checksums, messages split over segments or several in one,
 * retransmissions, out-of-order delivery, FIN and RST. {@link PcapWriter} frames and writes them.
 */
public final class TrafficBuilder {
  /** One IP packet and when it was seen. */
  public record Frame(long timeNanos, byte[] ipPacket) {}

  private final List<Frame> frames = new ArrayList<>();
  private long now;
  private int ipId = 1;

  public TrafficBuilder(Instant start) {
    this.now = start.getEpochSecond() * 1_000_000_000L + start.getNano();
  }

  public TrafficBuilder advance(Duration d) {
    now += d.toNanos();
    return this;
  }

  public TrafficBuilder advanceMillis(long millis) {
    now += millis * 1_000_000L;
    return this;
  }

  public long nowNanos() {
    return now;
  }

  /** Frames in time order (stable for equal times). */
  public List<Frame> frames() {
    List<Frame> copy = new ArrayList<>(frames);
    copy.sort(Comparator.comparingLong(Frame::timeNanos));
    return copy;
  }

  /**
   * The frames built so far, in time order, removed from the builder: for captures too large to
   * hold, written in pieces (see {@link PcapWriter.Stream}).
   */
  public List<Frame> drain() {
    List<Frame> out = frames();
    frames.clear();
    return out;
  }

  /** Adds a ready-made IP packet (for malformed-packet tests). */
  public TrafficBuilder raw(byte[] ipPacket) {
    frames.add(new Frame(now, ipPacket));
    now += 1_000L;
    return this;
  }

  public Tcp tcp(String client, int clientPort, String server, int serverPort) {
    return new Tcp(address(client), clientPort, address(server), serverPort);
  }

  /** One UDP datagram. */
  public TrafficBuilder udp(String src, int srcPort, String dst, int dstPort, byte[] payload) {
    byte[] s = address(src);
    byte[] d = address(dst);
    ByteBuffer udp = ByteBuffer.allocate(8 + payload.length);
    udp.putShort((short) srcPort)
        .putShort((short) dstPort)
        .putShort((short) (8 + payload.length))
        .putShort((short) 0);
    udp.put(payload);
    byte[] seg = udp.array();
    int sum = Checksums.transport(s, d, 17, seg);
    seg[6] = (byte) (sum >>> 8);
    seg[7] = (byte) sum;
    raw(ip(s, d, 17, seg));
    return this;
  }

  static byte[] address(String literal) {
    try {
      return InetAddress.getByName(literal).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address literal: " + literal, e);
    }
  }

  byte[] ip(byte[] src, byte[] dst, int protocol, byte[] payload) {
    if (src.length == 4) {
      ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
      b.put((byte) 0x45)
          .put((byte) 0)
          .putShort((short) (20 + payload.length))
          .putShort((short) ipId++)
          .putShort((short) 0x4000)
          .put((byte) 64)
          .put((byte) protocol)
          .putShort((short) 0)
          .put(src)
          .put(dst);
      byte[] out = b.put(payload).array();
      int sum = Checksums.ones(out, 0, 20, 0);
      out[10] = (byte) (sum >>> 8);
      out[11] = (byte) sum;
      return out;
    }
    ByteBuffer b = ByteBuffer.allocate(40 + payload.length);
    b.putInt(0x60000000)
        .putShort((short) payload.length)
        .put((byte) protocol)
        .put((byte) 64)
        .put(src)
        .put(dst);
    return b.put(payload).array();
  }

  /** A TCP conversation; each call adds packets at the builder's current time and moves it on. */
  public final class Tcp {
    private final byte[] client;
    private final byte[] server;
    private final int clientPort;
    private final int serverPort;
    private int clientSeq = 0x1000_0000;
    private int serverSeq = 0x7000_0000;
    private int mss = 1448;
    private long stepNanos = 200_000L;

    Tcp(byte[] client, int clientPort, byte[] server, int serverPort) {
      this.client = client;
      this.clientPort = clientPort;
      this.server = server;
      this.serverPort = serverPort;
    }

    /** Largest segment payload; longer messages are split. */
    public Tcp mss(int bytes) {
      this.mss = bytes;
      return this;
    }

    public Tcp handshake() {
      segment(true, clientSeq - 1, 0, Flags.SYN, new byte[0]);
      segment(false, serverSeq - 1, clientSeq, Flags.SYN | Flags.ACK, new byte[0]);
      segment(true, clientSeq, serverSeq, Flags.ACK, new byte[0]);
      return this;
    }

    /** Only the client's SYN, never answered: one packet of a SYN flood. */
    public Tcp syn() {
      segment(true, clientSeq - 1, 0, Flags.SYN, new byte[0]);
      return this;
    }

    public Tcp client(String text) {
      return send(true, text.getBytes(StandardCharsets.UTF_8));
    }

    public Tcp server(String text) {
      return send(false, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends bytes from one side in segments of at most the MSS, each acknowledged. */
    public Tcp send(boolean fromClient, byte[] data) {
      for (int at = 0; at < data.length; at += mss) {
        int n = Math.min(mss, data.length - at);
        byte[] part = java.util.Arrays.copyOfRange(data, at, at + n);
        data(fromClient, part);
      }
      return this;
    }

    /** Sends bytes split at the given offsets, one segment per piece. */
    public Tcp sendSplit(boolean fromClient, byte[] data, int... cuts) {
      int from = 0;
      for (int cut : cuts) {
        data(fromClient, java.util.Arrays.copyOfRange(data, from, cut));
        from = cut;
      }
      data(fromClient, java.util.Arrays.copyOfRange(data, from, data.length));
      return this;
    }

    /** Sends two pieces in reverse order: the second piece's segment arrives first. */
    public Tcp sendOutOfOrder(boolean fromClient, byte[] data, int cut) {
      int base = fromClient ? clientSeq : serverSeq;
      byte[] first = java.util.Arrays.copyOfRange(data, 0, cut);
      byte[] second = java.util.Arrays.copyOfRange(data, cut, data.length);
      segment(
          fromClient,
          base + cut,
          fromClient ? serverSeq : clientSeq,
          Flags.ACK | Flags.PSH,
          second);
      segment(fromClient, base, fromClient ? serverSeq : clientSeq, Flags.ACK, first);
      advanceSeq(fromClient, data.length);
      return this;
    }

    /** Sends bytes, then sends the same segment again as a retransmission. */
    public Tcp sendWithRetransmission(boolean fromClient, byte[] data) {
      int base = fromClient ? clientSeq : serverSeq;
      data(fromClient, data);
      segment(fromClient, base, fromClient ? serverSeq : clientSeq, Flags.ACK | Flags.PSH, data);
      return this;
    }

    public Tcp fin() {
      segment(true, clientSeq, serverSeq, Flags.FIN | Flags.ACK, new byte[0]);
      clientSeq++;
      segment(false, serverSeq, clientSeq, Flags.FIN | Flags.ACK, new byte[0]);
      serverSeq++;
      segment(true, clientSeq, serverSeq, Flags.ACK, new byte[0]);
      return this;
    }

    public Tcp rst(boolean fromClient) {
      segment(fromClient, fromClient ? clientSeq : serverSeq, 0, Flags.RST, new byte[0]);
      return this;
    }

    private void data(boolean fromClient, byte[] part) {
      segment(
          fromClient,
          fromClient ? clientSeq : serverSeq,
          fromClient ? serverSeq : clientSeq,
          Flags.ACK | Flags.PSH,
          part);
      advanceSeq(fromClient, part.length);
      segment(
          !fromClient,
          fromClient ? serverSeq : clientSeq,
          fromClient ? clientSeq : serverSeq,
          Flags.ACK,
          new byte[0]);
    }

    private void advanceSeq(boolean fromClient, int n) {
      if (fromClient) {
        clientSeq += n;
      } else {
        serverSeq += n;
      }
    }

    private void segment(boolean fromClient, int seq, int ack, int flags, byte[] payload) {
      byte[] src = fromClient ? client : server;
      byte[] dst = fromClient ? server : client;
      ByteBuffer t = ByteBuffer.allocate(20 + payload.length);
      t.putShort((short) (fromClient ? clientPort : serverPort))
          .putShort((short) (fromClient ? serverPort : clientPort))
          .putInt(seq)
          .putInt(ack)
          .put((byte) 0x50)
          .put((byte) flags)
          .putShort((short) 65535)
          .putShort((short) 0)
          .putShort((short) 0)
          .put(payload);
      byte[] seg = t.array();
      int sum = Checksums.transport(src, dst, 6, seg);
      seg[16] = (byte) (sum >>> 8);
      seg[17] = (byte) sum;
      raw(ip(src, dst, 6, seg));
      now += stepNanos;
    }
  }

  /** TCP flag bits. */
  public static final class Flags {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    private Flags() {}
  }
}
