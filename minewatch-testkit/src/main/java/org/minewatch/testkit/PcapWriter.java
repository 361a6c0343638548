package org.minewatch.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes frames as classic pcap or pcapng, in either byte order, framed in the chosen link layer.
 * Made for fixtures: every variant the readers must handle can be produced.
 */
public final class PcapWriter {

  /** The link layers a frame can be wrapped in, with their LINKTYPE_ values. */
  public enum Link {
    ETHERNET(1),
    ETHERNET_VLAN(1),
    ETHERNET_QINQ(1),
    LINUX_SLL(113),
    LINUX_SLL2(276),
    RAW(101),
    NULL(0),
    IPV4_IPV6(228);

    final int linkType;

    Link(int linkType) {
      this.linkType = linkType;
    }

    public int linkType() {
      return linkType;
    }
  }

  private PcapWriter() {}

  /** Wraps an IP packet in a link-layer header. */
  public static byte[] frame(Link link, byte[] ip) {
    boolean v6 = ip.length > 0 && (ip[0] & 0xf0) == 0x60;
    int etherType = v6 ? 0x86DD : 0x0800;
    ByteBuffer b = ByteBuffer.allocate(ip.length + 32);
    byte[] macA = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
    byte[] macB = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
    switch (link) {
      case ETHERNET -> b.put(macA).put(macB).putShort((short) etherType);
      case ETHERNET_VLAN ->
          b.put(macA)
              .put(macB)
              .putShort((short) 0x8100)
              .putShort((short) 42)
              .putShort((short) etherType);
      case ETHERNET_QINQ ->
          b.put(macA)
              .put(macB)
              .putShort((short) 0x88A8)
              .putShort((short) 100)
              .putShort((short) 0x8100)
              .putShort((short) 42)
              .putShort((short) etherType);
      case LINUX_SLL ->
          b.putShort((short) 0)
              .putShort((short) 1)
              .putShort((short) 6)
              .put(macA)
              .putShort((short) 0)
              .putShort((short) etherType);
      case LINUX_SLL2 ->
          b.putShort((short) etherType)
              .putShort((short) 0)
              .putInt(2)
              .putShort((short) 1)
              .put((byte) 0)
              .put((byte) 6)
              .put(macA)
              .putShort((short) 0);
      case RAW, IPV4_IPV6 -> {
        // no link header
      }
      case NULL -> b.order(ByteOrder.LITTLE_ENDIAN).putInt(v6 ? 30 : 2).order(ByteOrder.BIG_ENDIAN);
    }
    b.put(ip);
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  /** The link type to write for a link and, for {@link Link#IPV4_IPV6}, the packets' version. */
  private static int linkType(Link link, List<TrafficBuilder.Frame> frames) {
    if (link == Link.IPV4_IPV6
        && !frames.isEmpty()
        && (frames.get(0).ipPacket()[0] & 0xf0) == 0x60) {
      return 229;
    }
    return link.linkType;
  }

  public static byte[] pcap(
      List<TrafficBuilder.Frame> frames, Link link, ByteOrder order, boolean nanos) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer h = ByteBuffer.allocate(24).order(order);
    h.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4)
        .putShort((short) 2)
        .putShort((short) 4)
        .putInt(0)
        .putInt(0)
        .putInt(262144)
        .putInt(linkType(link, frames));
    out.writeBytes(h.array());
    for (TrafficBuilder.Frame f : frames) {
      byte[] data = frame(link, f.ipPacket());
      ByteBuffer r = ByteBuffer.allocate(16).order(order);
      long t = f.timeNanos();
      r.putInt((int) (t / 1_000_000_000L))
          .putInt((int) (nanos ? t % 1_000_000_000L : (t % 1_000_000_000L) / 1000))
          .putInt(data.length)
          .putInt(data.length);
      out.writeBytes(r.array());
      out.writeBytes(data);
    }
    return out.toByteArray();
  }

  /**
   * A pcapng section with one interface per link in {@code links}; frame i goes to interface {@code
   * i % links.length}. Timestamps in nanoseconds ({@code if_tsresol} 9) or the default
   * microseconds.
   */
  public static byte[] pcapng(
      List<TrafficBuilder.Frame> frames, ByteOrder order, boolean nanos, Link... links) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer shb = ByteBuffer.allocate(28).order(order);
    shb.putInt(0x0A0D0D0A)
        .putInt(28)
        .putInt(0x1A2B3C4D)
        .putShort((short) 1)
        .putShort((short) 0)
        .putLong(-1L)
        .putInt(28);
    out.writeBytes(shb.array());
    for (Link link : links) {
      int len = nanos ? 20 + 8 + 4 : 20;
      ByteBuffer idb = ByteBuffer.allocate(len).order(order);
      idb.putInt(1)
          .putInt(len)
          .putShort((short) linkType(link, frames))
          .putShort((short) 0)
          .putInt(262144);
      if (nanos) {
        idb.putShort((short) 9).putShort((short) 1).put((byte) 9).put((byte) 0).putShort((short) 0);
        idb.putShort((short) 0).putShort((short) 0);
      }
      idb.putInt(len);
      out.writeBytes(idb.array());
    }
    for (int i = 0; i < frames.size(); i++) {
      TrafficBuilder.Frame f = frames.get(i);
      int iface = i % links.length;
      byte[] data = frame(links[iface], f.ipPacket());
      int padded = (data.length + 3) & ~3;
      int len = 32 + padded;
      long ts = nanos ? f.timeNanos() : f.timeNanos() / 1000;
      ByteBuffer epb = ByteBuffer.allocate(len).order(order);
      epb.putInt(6)
          .putInt(len)
          .putInt(iface)
          .putInt((int) (ts >>> 32))
          .putInt((int) ts)
          .putInt(data.length)
          .putInt(data.length)
          .put(data);
      epb.position(28 + padded);
      epb.putInt(len);
      out.writeBytes(epb.array());
    }
    return out.toByteArray();
  }

  /**
   * A classic pcap written frame by frame (microsecond timestamps, little-endian): for large
   * captures.
   */
  public static final class Stream implements AutoCloseable {
    private final OutputStream out;
    private final Link link;
    private final ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    private long frames;

    public Stream(Path file, Link link) throws IOException {
      this.out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
      this.link = link;
      ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
      h.putInt(0xa1b2c3d4)
          .putShort((short) 2)
          .putShort((short) 4)
          .putInt(0)
          .putInt(0)
          .putInt(262144)
          .putInt(link.linkType);
      out.write(h.array());
    }

    public void write(TrafficBuilder.Frame f) throws IOException {
      byte[] data = frame(link, f.ipPacket());
      long t = f.timeNanos();
      record.clear();
      record
          .putInt((int) (t / 1_000_000_000L))
          .putInt((int) (t % 1_000_000_000L / 1000))
          .putInt(data.length)
          .putInt(data.length);
      out.write(record.array());
      out.write(data);
      frames++;
    }

    public void writeAll(List<TrafficBuilder.Frame> list) throws IOException {
      for (TrafficBuilder.Frame f : list) {
        write(f);
      }
    }

    /** Frames written so far. */
    public long frames() {
      return frames;
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  public static void write(Path file, byte[] capture) throws IOException {
    Files.write(file, capture);
  }

  public static void writeGzip(Path file, byte[] capture) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(capture);
    }
  }
}
