package org.minewatch.detect.node;

import org.minewatch.model.Coin;
import org.minewatch.model.Protocol;
import org.minewatch.model.Transport;

/**
 * Casper's ZUG consensus messages over UDP: a datagram opening with its own length (16 bits,
 * big-endian) and then "UG" and version 0x10. Casper is proof of stake: a node, never mining.
 */
public final class CasperZugDetector extends NodeProtocolDetector {

  @Override
  public String name() {
    return "casper-zug";
  }

  @Override
  public boolean handles(Transport transport) {
    return transport == Transport.UDP;
  }

  @Override
  NodeSighting sight(byte[] d, int offset, int length) {
    if (length < 16
        || (((d[offset] & 0xff) << 8) | (d[offset + 1] & 0xff)) != length
        || d[offset + 2] != 'U'
        || d[offset + 3] != 'G'
        || d[offset + 4] != 0x10) {
      return null;
    }
    return new NodeSighting(
        Protocol.CASPER_ZUG,
        Coin.CASPER,
        "a Casper ZUG datagram (its length field matches, protocol version 16)");
  }

  @Override
  boolean couldBecome(byte[] d, int offset, int length) {
    return false; // one datagram tells
  }
}
