package org.minewatch.decode;

import org.minewatch.capture.Bytes;
import org.minewatch.capture.LinkType;
import org.minewatch.capture.Packet;

/**
 * Decodes link, network and transport headers in place. Handles Ethernet with any number of
 * 802.1Q/802.1ad tags, PPPoE sessions and MPLS label stacks; Linux cooked v1 and v2; raw IP; BSD
 * loopback; IPv4 with options and fragments; IPv6 with extension headers; TCP and UDP.
 */
public final class PacketDecoder {
  private static final int ETH_IPV4 = 0x0800;
  private static final int ETH_IPV6 = 0x86DD;
  private static final int ETH_VLAN = 0x8100;
  private static final int ETH_QINQ = 0x88A8;
  private static final int ETH_QINQ_OLD = 0x9100;
  private static final int ETH_PPPOE = 0x8864;
  private static final int ETH_MPLS = 0x8847;
  private static final int ETH_MPLS_MC = 0x8848;
  private static final int MAX_TAGS = 8;

  private PacketDecoder() {}

  /** Decodes {@code packet} into {@code out}; never throws on bad input. */
  public static void decode(Packet packet, DecodedPacket out) {
    byte[] b = packet.buffer();
    int at = packet.offset();
    int end = at + packet.capturedLength();
    out.buffer = b;
    out.wireLength = packet.wireLength();
    out.timestampNanos = packet.timestampNanos();
    out.problem = null;
    out.fragment = false;
    out.payloadLength = 0;
    out.srcPort = 0;
    out.dstPort = 0;
    out.tcpFlags = 0;
    // The common case inline: untagged Ethernet, IPv4 without options, not fragmented.
    if (packet.linkType() == LinkType.ETHERNET
        && end - at >= 34
        && b[at + 12] == 0x08
        && b[at + 13] == 0x00
        && b[at + 14] == 0x45
        && (b[at + 20] & 0x3f) == 0
        && b[at + 21] == 0) {
      int ip = at + 14;
      int total = ((b[ip + 2] & 0xff) << 8) | (b[ip + 3] & 0xff);
      if (total >= 20) {
        out.ipVersion = 4;
        out.ipProtocol = b[ip + 9] & 0xff;
        out.srcHi = 0;
        out.dstHi = 0;
        out.srcLo = 0x0000_ffff_0000_0000L | (Bytes.be32(b, ip + 12) & 0xffff_ffffL);
        out.dstLo = 0x0000_ffff_0000_0000L | (Bytes.be32(b, ip + 16) & 0xffff_ffffL);
        transport(b, ip + 20, Math.min(end, ip + total), out);
        return;
      }
    }
    switch (packet.linkType()) {
      case LinkType.ETHERNET -> ethernet(b, at, end, out);
      case LinkType.LINUX_SLL -> {
        if (end - at < 16) {
          malformed(out, "Linux cooked header cut short");
        } else {
          etherType(b, at + 16, end, Bytes.be16(b, at + 14), out);
        }
      }
      case LinkType.LINUX_SLL2 -> {
        if (end - at < 20) {
          malformed(out, "Linux cooked v2 header cut short");
        } else {
          etherType(b, at + 20, end, Bytes.be16(b, at), out);
        }
      }
      case LinkType.RAW, LinkType.RAW_ALT_12, LinkType.RAW_ALT_14 -> rawIp(b, at, end, out);
      case LinkType.IPV4 -> ipv4(b, at, end, out);
      case LinkType.IPV6 -> ipv6(b, at, end, out);
      case LinkType.NULL, LinkType.LOOP ->
          loopback(b, at, end, packet.linkType() == LinkType.LOOP, out);
      default -> {
        out.status = DecodedPacket.Status.NOT_IP;
      }
    }
  }

  private static void malformed(DecodedPacket out, String why) {
    out.status = DecodedPacket.Status.MALFORMED;
    out.problem = why;
  }

  private static void ethernet(byte[] b, int at, int end, DecodedPacket out) {
    if (end - at < 14) {
      malformed(out, "Ethernet header cut short");
      return;
    }
    etherType(b, at + 14, end, Bytes.be16(b, at + 12), out);
  }

  private static void etherType(byte[] b, int at, int end, int type, DecodedPacket out) {
    for (int tags = 0; ; tags++) {
      switch (type) {
        case ETH_IPV4 -> {
          ipv4(b, at, end, out);
          return;
        }
        case ETH_IPV6 -> {
          ipv6(b, at, end, out);
          return;
        }
        case ETH_VLAN, ETH_QINQ, ETH_QINQ_OLD -> {
          if (tags == MAX_TAGS || end - at < 4) {
            malformed(out, "VLAN tag cut short");
            return;
          }
          type = Bytes.be16(b, at + 2);
          at += 4;
        }
        case ETH_PPPOE -> {
          if (end - at < 8) {
            malformed(out, "PPPoE header cut short");
            return;
          }
          int ppp = Bytes.be16(b, at + 6);
          at += 8;
          if (ppp == 0x0021) {
            ipv4(b, at, end, out);
          } else if (ppp == 0x0057) {
            ipv6(b, at, end, out);
          } else {
            out.status = DecodedPacket.Status.NOT_IP;
          }
          return;
        }
        case ETH_MPLS, ETH_MPLS_MC -> {
          // Walk the label stack to the bottom-of-stack bit, then look at the IP version nibble.
          for (int labels = 0; ; labels++) {
            if (labels == MAX_TAGS || end - at < 4) {
              malformed(out, "MPLS label stack cut short");
              return;
            }
            boolean bottom = (b[at + 2] & 0x01) != 0;
            at += 4;
            if (bottom) {
              break;
            }
          }
          rawIp(b, at, end, out);
          return;
        }
        default -> {
          out.status = DecodedPacket.Status.NOT_IP;
          return;
        }
      }
    }
  }

  private static void loopback(byte[] b, int at, int end, boolean networkOrder, DecodedPacket out) {
    if (end - at < 4) {
      malformed(out, "loopback header cut short");
      return;
    }
    int family = Bytes.be32(b, at);
    if (!networkOrder && (family & 0xffff) == 0) {
      family = Integer.reverseBytes(family); // written in the capturing host's order
    }
    switch (family) {
      case 2 -> ipv4(b, at + 4, end, out);
      case 10, 24, 28, 30 -> ipv6(b, at + 4, end, out); // Linux, BSDs, FreeBSD, Darwin
      default -> out.status = DecodedPacket.Status.NOT_IP;
    }
  }

  private static void rawIp(byte[] b, int at, int end, DecodedPacket out) {
    if (end - at < 1) {
      malformed(out, "IP header cut short");
      return;
    }
    int version = (b[at] & 0xf0) >>> 4;
    if (version == 4) {
      ipv4(b, at, end, out);
    } else if (version == 6) {
      ipv6(b, at, end, out);
    } else {
      malformed(out, "raw IP packet with version neither 4 nor 6");
    }
  }

  private static void ipv4(byte[] b, int at, int end, DecodedPacket out) {
    if (end - at < 20) {
      malformed(out, "IPv4 header cut short");
      return;
    }
    int vihl = b[at] & 0xff;
    int ihl = (vihl & 0x0f) * 4;
    if ((vihl >>> 4) != 4 || ihl < 20) {
      malformed(out, "IPv4 header with a bad version or header length");
      return;
    }
    int total = Bytes.be16(b, at + 2);
    if (total == 0) {
      total =
          end - at; // segmentation offload: captured on the sender before the NIC set the length
    }
    if (total < ihl) {
      malformed(out, "IPv4 total length shorter than its header");
      return;
    }
    if (end - at < ihl) {
      malformed(out, "IPv4 options cut short");
      return;
    }
    out.ipVersion = 4;
    int flagsFrag = Bytes.be16(b, at + 6);
    int fragOffset = flagsFrag & 0x1fff;
    out.fragment = fragOffset != 0 || (flagsFrag & 0x2000) != 0;
    out.ipProtocol = b[at + 9] & 0xff;
    out.srcHi = 0;
    out.dstHi = 0;
    out.srcLo = 0x0000_ffff_0000_0000L | (Bytes.be32(b, at + 12) & 0xffff_ffffL);
    out.dstLo = 0x0000_ffff_0000_0000L | (Bytes.be32(b, at + 16) & 0xffff_ffffL);
    // Ethernet pads short frames: trust the IP length; a snap length may cut it shorter.
    int ipEnd = Math.min(end, at + total);
    if (fragOffset != 0) {
      out.status = DecodedPacket.Status.OTHER_IP;
      return;
    }
    transport(b, at + ihl, ipEnd, out);
  }

  private static void ipv6(byte[] b, int at, int end, DecodedPacket out) {
    if (end - at < 40) {
      malformed(out, "IPv6 header cut short");
      return;
    }
    if ((b[at] & 0xf0) != 0x60) {
      malformed(out, "IPv6 header with a bad version");
      return;
    }
    out.ipVersion = 6;
    int payload = Bytes.be16(b, at + 4);
    int next = b[at + 6] & 0xff;
    out.srcHi = Bytes.be64(b, at + 8);
    out.srcLo = Bytes.be64(b, at + 16);
    out.dstHi = Bytes.be64(b, at + 24);
    out.dstLo = Bytes.be64(b, at + 32);
    int ipEnd = payload == 0 ? end : Math.min(end, at + 40 + payload); // 0: jumbogram
    at += 40;
    for (int headers = 0; headers < 16; headers++) {
      switch (next) {
        case 0, 43, 60, 135, 139, 140 -> { // hop-by-hop, routing, destination, mobility, HIP, shim6
          if (ipEnd - at < 8) {
            malformed(out, "IPv6 extension header cut short");
            return;
          }
          next = b[at] & 0xff;
          at += ((b[at + 1] & 0xff) + 1) * 8;
        }
        case 44 -> { // fragment
          if (ipEnd - at < 8) {
            malformed(out, "IPv6 fragment header cut short");
            return;
          }
          next = b[at] & 0xff;
          int offsetFlags = Bytes.be16(b, at + 2);
          out.fragment = true;
          at += 8;
          if ((offsetFlags & 0xfff8) != 0) {
            out.ipProtocol = next;
            out.status = DecodedPacket.Status.OTHER_IP;
            return;
          }
        }
        case 51 -> { // authentication header: length in 4-byte units, minus 2
          if (ipEnd - at < 8) {
            malformed(out, "IPv6 authentication header cut short");
            return;
          }
          next = b[at] & 0xff;
          at += ((b[at + 1] & 0xff) + 2) * 4;
        }
        default -> {
          if (at > ipEnd) {
            malformed(out, "IPv6 extension headers run past the packet");
            return;
          }
          out.ipProtocol = next;
          transport(b, at, ipEnd, out);
          return;
        }
      }
    }
    malformed(out, "too many IPv6 extension headers");
  }

  private static void transport(byte[] b, int at, int end, DecodedPacket out) {
    int proto = out.ipProtocol;
    if (proto == 6) {
      if (end - at < 20) {
        malformed(out, "TCP header cut short");
        return;
      }
      int dataOffset = ((b[at + 12] & 0xf0) >>> 4) * 4;
      if (dataOffset < 20 || end - at < dataOffset) {
        malformed(out, dataOffset < 20 ? "TCP data offset below 20" : "TCP options cut short");
        return;
      }
      out.srcPort = Bytes.be16(b, at);
      out.dstPort = Bytes.be16(b, at + 2);
      out.seq = Bytes.be32(b, at + 4);
      out.ack = Bytes.be32(b, at + 8);
      out.tcpFlags = b[at + 13] & 0x3f;
      out.payloadOffset = at + dataOffset;
      out.payloadLength = end - at - dataOffset;
      out.status = DecodedPacket.Status.TRANSPORT;
    } else if (proto == 17) {
      if (end - at < 8) {
        malformed(out, "UDP header cut short");
        return;
      }
      out.srcPort = Bytes.be16(b, at);
      out.dstPort = Bytes.be16(b, at + 2);
      int udpLength = Bytes.be16(b, at + 4);
      int payloadEnd = udpLength >= 8 ? Math.min(end, at + udpLength) : end;
      out.payloadOffset = at + 8;
      out.payloadLength = payloadEnd - at - 8;
      out.status = DecodedPacket.Status.TRANSPORT;
    } else {
      out.status = DecodedPacket.Status.OTHER_IP;
    }
  }
}
