package org.minewatch.decode;

/**
 * The network and transport fields of one packet, filled in place by {@link PacketDecoder}. One
 * instance is reused for every packet; nothing here is allocated per packet.
 */
public final class DecodedPacket {
  /** Outcome of decoding. */
  public enum Status {
    /** TCP or UDP with its header decoded. */
    TRANSPORT,
    /** IP, but a transport the flow table does not track, or a non-first fragment. */
    OTHER_IP,
    /** Not IP (ARP, LLDP, ...). */
    NOT_IP,
    /** A header is inconsistent or cut short. */
    MALFORMED
  }

  Status status;
  String problem;
  int ipVersion;
  long srcHi;
  long srcLo;
  long dstHi;
  long dstLo;
  int ipProtocol;
  int srcPort;
  int dstPort;
  int tcpFlags;
  int seq;
  int ack;
  boolean fragment;
  byte[] buffer;
  int payloadOffset;
  int payloadLength;
  int wireLength;
  long timestampNanos;

  public Status status() {
    return status;
  }

  /** Why the packet is malformed; a constant string, null otherwise. */
  public String problem() {
    return problem;
  }

  public int ipVersion() {
    return ipVersion;
  }

  public long srcHi() {
    return srcHi;
  }

  public long srcLo() {
    return srcLo;
  }

  public long dstHi() {
    return dstHi;
  }

  public long dstLo() {
    return dstLo;
  }

  public int ipProtocol() {
    return ipProtocol;
  }

  public int srcPort() {
    return srcPort;
  }

  public int dstPort() {
    return dstPort;
  }

  public int tcpFlags() {
    return tcpFlags;
  }

  public int seq() {
    return seq;
  }

  public int ack() {
    return ack;
  }

  /** Part of a fragmented IP datagram (the first fragment still carries the transport header). */
  public boolean fragment() {
    return fragment;
  }

  public byte[] buffer() {
    return buffer;
  }

  public int payloadOffset() {
    return payloadOffset;
  }

  /** Transport payload bytes present in the capture. */
  public int payloadLength() {
    return payloadLength;
  }

  public int wireLength() {
    return wireLength;
  }

  public long timestampNanos() {
    return timestampNanos;
  }

  public static final int FIN = 0x01;
  public static final int SYN = 0x02;
  public static final int RST = 0x04;
  public static final int PSH = 0x08;
  public static final int ACK = 0x10;

  public boolean isTcp() {
    return ipProtocol == 6;
  }
}
