package org.minewatch.detect.node;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.minewatch.flow.StreamBuffer;
import org.minewatch.model.Coin;
import org.minewatch.model.Protocol;
import org.minewatch.model.Transport;

/**
 * The Bitcoin peer-to-peer protocol and its forks: a 24-byte header of network magic, a command of
 * lower-case ASCII padded with NULs, a payload length and the first four bytes of the payload's
 * double SHA-256, which must match. Found on any port.
 */
public final class BitcoinP2pDetector extends NodeProtocolDetector {
  private static final int HEADER = 24;
  private static final int MAX_PAYLOAD = 32 << 20;

  private record Network(int magic, Coin coin, String name) {}

  /** Network magics (the "message start" bytes) of the chains that use this framing. */
  private static final Network[] NETWORKS = {
    new Network(0xf9beb4d9, Coin.BITCOIN, "Bitcoin mainnet"),
    new Network(0x0b110907, Coin.BITCOIN, "Bitcoin testnet3"),
    new Network(0x1c163f28, Coin.BITCOIN, "Bitcoin testnet4"),
    new Network(0x0a03cf40, Coin.BITCOIN, "Bitcoin signet"),
    new Network(0xfabfb5da, Coin.BITCOIN, "Bitcoin regtest"),
    new Network(0xe3e1f3e8, Coin.BITCOIN_CASH, "Bitcoin Cash mainnet"),
    new Network(0xfbc0b6db, Coin.LITECOIN, "Litecoin mainnet"),
    new Network(0xfdd2c8f1, Coin.LITECOIN, "Litecoin testnet"),
    new Network(0xc0c0c0c0, Coin.DOGECOIN, "Dogecoin mainnet"),
    new Network(0xbf0c6bbd, Coin.DASH, "Dash mainnet"),
    new Network(0x24e92764, Coin.ZCASH, "Zcash mainnet"),
    new Network(0xf9beb4fe, Coin.NAMECOIN, "Namecoin mainnet"),
  };

  @Override
  public String name() {
    return "bitcoin-p2p";
  }

  @Override
  public boolean handles(Transport transport) {
    return transport == Transport.TCP;
  }

  @Override
  NodeSighting sight(byte[] d, int offset, int length) {
    if (length < HEADER) {
      return null;
    }
    Network n = network(d, offset);
    String command = n == null ? null : command(d, offset + 4);
    if (command == null) {
      return null;
    }
    long payload = le32(d, offset + 16);
    if (payload <= MAX_PAYLOAD
        && HEADER + payload <= length
        && checksumMatches(d, offset + HEADER, (int) payload, offset + 20)) {
      return new NodeSighting(
          Protocol.BITCOIN_P2P,
          n.coin(),
          "a \""
              + command
              + "\" message of the "
              + n.name()
              + " peer-to-peer protocol (checksum verified)");
    }
    if (legacyHandshake(d, offset, length, command, payload)) {
      return new NodeSighting(
          Protocol.BITCOIN_P2P,
          n.coin(),
          "a \""
              + command
              + "\" message of the "
              + n.name()
              + " peer-to-peer protocol (early format without checksum, payload structure verified)");
    }
    return null;
  }

  /**
   * Before 2012 (protocol 60002) the handshake's "version" and "verack" went without a checksum: a
   * 20-byte header. Accepted when the payload is a plausible version message (protocol version, a
   * timestamp after the genesis block) and the next message, if any, starts right after it.
   */
  private static boolean legacyHandshake(
      byte[] d, int offset, int length, String command, long payload) {
    int end = offset + length;
    int next = (int) Math.min(Integer.MAX_VALUE, offset + 20 + payload);
    boolean boundary = next == end || (next + 4 <= end && network(d, next) != null);
    if (!boundary) {
      return false;
    }
    if (command.equals("verack")) {
      return payload == 0;
    }
    if (!command.equals("version") || payload < 46 || payload > 1024) {
      return false;
    }
    long version = le32(d, offset + 20);
    long timestamp = le32(d, offset + 32) | (le32(d, offset + 36) << 32);
    return version >= 100
        && version < 60002
        && timestamp >= GENESIS_TIME
        && timestamp < 4_102_444_800L;
  }

  /** 2009-01-03, the Bitcoin genesis block. */
  private static final long GENESIS_TIME = 1_230_940_800L;

  @Override
  boolean couldBecome(byte[] d, int offset, int length) {
    if (length >= HEADER) {
      // A valid header whose payload is still arriving (and fits the inspection buffer).
      return network(d, offset) != null
          && command(d, offset + 4) != null
          && le32(d, offset + 16) <= StreamBuffer.MAX_BYTES - HEADER;
    }
    // A header still forming: its first bytes must begin a known magic.
    for (Network n : NETWORKS) {
      boolean prefix = true;
      for (int k = 0; k < Math.min(4, length) && prefix; k++) {
        prefix = (d[offset + k] & 0xff) == ((n.magic() >>> (24 - 8 * k)) & 0xff);
      }
      if (prefix) {
        return true;
      }
    }
    return false;
  }

  private static Network network(byte[] d, int i) {
    int magic =
        ((d[i] & 0xff) << 24)
            | ((d[i + 1] & 0xff) << 16)
            | ((d[i + 2] & 0xff) << 8)
            | (d[i + 3] & 0xff);
    for (Network n : NETWORKS) {
      if (n.magic() == magic) {
        return n;
      }
    }
    return null;
  }

  /** The command name if the 12 bytes are lower-case ASCII letters and digits, then only NULs. */
  private static String command(byte[] d, int at) {
    int len = 0;
    while (len < 12 && d[at + len] != 0) {
      byte c = d[at + len];
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
        return null;
      }
      len++;
    }
    if (len == 0) {
      return null;
    }
    for (int k = len; k < 12; k++) {
      if (d[at + k] != 0) {
        return null;
      }
    }
    return new String(d, at, len, StandardCharsets.US_ASCII);
  }

  private static long le32(byte[] d, int i) {
    return (d[i] & 0xffL)
        | ((d[i + 1] & 0xffL) << 8)
        | ((d[i + 2] & 0xffL) << 16)
        | ((d[i + 3] & 0xffL) << 24);
  }

  private static boolean checksumMatches(byte[] d, int at, int len, int checksumAt) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(d, at, len);
      byte[] h = sha.digest(sha.digest());
      return h[0] == d[checksumAt]
          && h[1] == d[checksumAt + 1]
          && h[2] == d[checksumAt + 2]
          && h[3] == d[checksumAt + 3];
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
