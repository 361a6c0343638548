package org.minewatch.detect.node;

import org.minewatch.flow.StreamBuffer;
import org.minewatch.model.Coin;
import org.minewatch.model.Protocol;
import org.minewatch.model.Transport;

/**
 * Levin, the peer-to-peer framing of Monero and other CryptoNote chains: a 33-byte little-endian
 * header opening with the 8-byte signature 0x0101010101012101, then payload size, a reply flag, a
 * command (1001–1007 node commands, 2001–2010 block and transaction relay), a return code, the
 * request/response flags and protocol version 1. The handshake's {@code network_id} tells the
 * Monero networks apart from other chains that share the framing.
 */
public final class LevinDetector extends NodeProtocolDetector {
  private static final int HEADER = 33;
  private static final byte[] SIGNATURE = {0x01, 0x21, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01};
  private static final long MAX_PAYLOAD = 100L << 20;
  private static final byte[] NETWORK_ID_KEY =
      "network_id".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * Monero's network UUIDs; the last byte tells mainnet (0x10), testnet (0x11) and stagenet (0x12).
   */
  private static final byte[] MONERO_NETWORK_ID_PREFIX = {
    0x12,
    0x30,
    (byte) 0xF1,
    0x71,
    0x61,
    0x04,
    0x41,
    0x61,
    0x17,
    0x31,
    0x00,
    (byte) 0x82,
    0x16,
    (byte) 0xA1,
    (byte) 0xA1
  };

  @Override
  public String name() {
    return "levin";
  }

  @Override
  public boolean handles(Transport transport) {
    return transport == Transport.TCP;
  }

  @Override
  NodeSighting sight(byte[] d, int offset, int length) {
    int end = offset + length;
    int i = offset;
    if (length >= HEADER && signatureAt(d, i)) {
      long size = le(d, i + 8, 8);
      int replyFlag = d[i + 16];
      long command = le(d, i + 17, 4);
      long flags = le(d, i + 25, 4);
      long version = le(d, i + 29, 4);
      if (size > MAX_PAYLOAD
          || (replyFlag != 0 && replyFlag != 1)
          || (flags != 1 && flags != 2)
          || version != 1
          || !((command >= 1001 && command <= 1007) || (command >= 2001 && command <= 2010))) {
        return null;
      }
      if (command == 1001 && HEADER + size <= StreamBuffer.MAX_BYTES && HEADER + size > length) {
        return null; // a handshake is read whole, for its network id
      }
      String network = networkName(d, i + HEADER, (int) Math.min(end, i + HEADER + size));
      Coin coin = network != null ? Coin.MONERO : null;
      return new NodeSighting(
          Protocol.MONERO_LEVIN,
          coin,
          "a Levin "
              + commandName((int) command)
              + (flags == 1 ? " request" : " response")
              + (network != null ? " for " + network : ""));
    }
    return null;
  }

  @Override
  boolean couldBecome(byte[] d, int offset, int length) {
    int n = Math.min(length, SIGNATURE.length);
    for (int k = 0; k < n; k++) {
      if (d[offset + k] != SIGNATURE[k]) {
        return false;
      }
    }
    return length < HEADER || HEADER + le(d, offset + 8, 8) <= StreamBuffer.MAX_BYTES;
  }

  private static boolean signatureAt(byte[] d, int i) {
    for (int k = 0; k < SIGNATURE.length; k++) {
      if (d[i + k] != SIGNATURE[k]) {
        return false;
      }
    }
    return true;
  }

  /** Finds {@code network_id} (a 16-byte string in portable storage) and names a Monero network. */
  private static String networkName(byte[] d, int from, int to) {
    outer:
    for (int i = from; i + NETWORK_ID_KEY.length + 2 + 16 <= to; i++) {
      for (int k = 0; k < NETWORK_ID_KEY.length; k++) {
        if (d[i + k] != NETWORK_ID_KEY[k]) {
          continue outer;
        }
      }
      int at = i + NETWORK_ID_KEY.length;
      // Type 0x0a (string), then the length 16 as a portable-storage varint (16 << 2).
      if (d[at] != 0x0a || d[at + 1] != 0x40) {
        return null;
      }
      at += 2;
      for (int k = 0; k < MONERO_NETWORK_ID_PREFIX.length; k++) {
        if (d[at + k] != MONERO_NETWORK_ID_PREFIX[k]) {
          return null;
        }
      }
      return switch (d[at + 15]) {
        case 0x10 -> "Monero mainnet";
        case 0x11 -> "Monero testnet";
        case 0x12 -> "Monero stagenet";
        default -> null;
      };
    }
    return null;
  }

  private static String commandName(int command) {
    return switch (command) {
      case 1001 -> "handshake";
      case 1002 -> "timed sync";
      case 1003 -> "ping";
      case 1007 -> "support-flags";
      case 2001 -> "new-block notification";
      case 2002 -> "new-transactions notification";
      case 2003 -> "get-objects request";
      case 2004 -> "get-objects response";
      case 2006 -> "chain request";
      case 2007 -> "chain entry";
      case 2008 -> "fluffy-block notification";
      default -> "command " + command;
    };
  }

  private static long le(byte[] d, int at, int n) {
    long v = 0;
    for (int k = n - 1; k >= 0; k--) {
      v = (v << 8) | (d[at + k] & 0xffL);
    }
    return v;
  }
}
