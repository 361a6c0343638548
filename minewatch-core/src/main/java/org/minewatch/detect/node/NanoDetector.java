package org.minewatch.detect.node;

import org.minewatch.model.Coin;
import org.minewatch.model.Protocol;
import org.minewatch.model.Transport;

/**
 * Nano's node protocol: an 8-byte header ('R', the network, three protocol versions in order, the
 * message type, 16 bits of extensions) whose length rules fix the message's size. A
 * node_id_handshake must be exactly its cookie (query), its account, salt, genesis and signature
 * (response, v2) or both; a keepalive carries exactly 8 peer endpoints. Nano is not mined.
 */
public final class NanoDetector extends NodeProtocolDetector {
  private static final int HEADER = 8;
  private static final int KEEPALIVE = 0x02;
  private static final int NODE_ID_HANDSHAKE = 0x0a;

  @Override
  public String name() {
    return "nano";
  }

  @Override
  public boolean handles(Transport transport) {
    return true;
  }

  @Override
  NodeSighting sight(byte[] d, int offset, int length) {
    if (length < HEADER || !header(d, offset)) {
      return null;
    }
    int type = d[offset + 5] & 0xff;
    int ext = (d[offset + 6] & 0xff) | ((d[offset + 7] & 0xff) << 8);
    String network =
        switch (d[offset + 1]) {
          case 'A' -> "test network";
          case 'B' -> "beta network";
          case 'C' -> "live network";
          default -> "dev network";
        };
    if (type == NODE_ID_HANDSHAKE) {
      boolean query = (ext & 0x1) != 0;
      boolean response = (ext & 0x2) != 0;
      boolean v2 = (ext & 0x4) != 0;
      int expected = HEADER + (query ? 32 : 0) + (response ? (v2 ? 160 : 96) : 0);
      if ((query || response) && length == expected) {
        return new NodeSighting(
            Protocol.NANO_NODE,
            Coin.NANO,
            "a Nano node-id handshake"
                + (query && response ? " (query and response)" : query ? " (query)" : " (response)")
                + " on the "
                + network);
      }
      return null;
    }
    if (type == KEEPALIVE && length == HEADER + 8 * 18) {
      return new NodeSighting(
          Protocol.NANO_NODE, Coin.NANO, "a Nano keepalive with 8 peers on the " + network);
    }
    return null;
  }

  @Override
  boolean couldBecome(byte[] d, int offset, int length) {
    return length < HEADER
        ? length > 0 && d[offset] == 'R'
        : header(d, offset) && length < HEADER + 200;
  }

  private static boolean header(byte[] d, int at) {
    int net = d[at + 1];
    int max = d[at + 2] & 0xff;
    int using = d[at + 3] & 0xff;
    int min = d[at + 4] & 0xff;
    return d[at] == 'R'
        && (net == 'A' || net == 'B' || net == 'C' || net == 'X')
        && min >= 1
        && min <= using
        && using <= max
        && max <= 40;
  }
}
