package org.minewatch.detect.node;

import java.math.BigInteger;
import org.minewatch.crypto.Keccak256;
import org.minewatch.model.Coin;
import org.minewatch.model.Protocol;
import org.minewatch.model.Transport;

/**
 * Ethereum's peer-to-peer protocols. Over UDP, node discovery v4: a packet opens with the
 * Keccak-256 of the rest of it, which is recomputed. Over TCP, the RLPx handshake: each side's
 * first message is ECIES-encrypted and opens with an uncompressed secp256k1 public key (0x04 || x
 * || y), either bare (307-byte legacy auth) or after a 2-byte size (EIP-8); the key must lie on the
 * curve, which random bytes practically never do.
 */
public final class EthereumDetector extends NodeProtocolDetector {
  private static final int DISCV4_MIN = 32 + 65 + 1 + 1;
  private static final BigInteger P =
      new BigInteger("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f", 16);
  private static final BigInteger SEVEN = BigInteger.valueOf(7);

  /** Smallest ECIES message: key, IV, MAC and a minimal RLP body. */
  private static final int MIN_ECIES = 65 + 16 + 32 + 16;

  private static final int MAX_EIP8 = 2048;
  private static final int LEGACY_AUTH = 307;
  private static final int LEGACY_ACK = 210;

  @Override
  public String name() {
    return "ethereum";
  }

  @Override
  public boolean handles(Transport transport) {
    return true;
  }

  @Override
  NodeSighting sight(byte[] d, int offset, int length) {
    if (length >= DISCV4_MIN && isDiscv4(d, offset, length)) {
      int type = d[offset + 97];
      return new NodeSighting(
          Protocol.ETHEREUM_DEVP2P,
          Coin.ETHEREUM,
          "a node discovery v4 " + discv4Name(type) + " packet (Keccak-256 hash verified)");
    }
    if (length >= 3 + 64) {
      int size = ((d[offset] & 0xff) << 8) | (d[offset + 1] & 0xff);
      if (size >= MIN_ECIES
          && size <= MAX_EIP8
          && d[offset + 2] == 0x04
          && onCurve(d, offset + 3)) {
        return new NodeSighting(
            Protocol.ETHEREUM_DEVP2P,
            Coin.ETHEREUM,
            "an RLPx (EIP-8) handshake message whose ephemeral secp256k1 key lies on the curve");
      }
    }
    if ((length == LEGACY_AUTH || length == LEGACY_ACK)
        && d[offset] == 0x04
        && onCurve(d, offset + 1)) {
      return new NodeSighting(
          Protocol.ETHEREUM_DEVP2P,
          Coin.ETHEREUM,
          "an RLPx legacy handshake message whose secp256k1 key lies on the curve");
    }
    return null;
  }

  @Override
  boolean couldBecome(byte[] d, int offset, int length) {
    // Only the first message of a TCP direction can be checked; it arrives whole or nearly.
    if (length >= 1 && length < 3 + 64) {
      return d[offset] == 0x04 || (length >= 3 ? d[offset + 2] == 0x04 : true);
    }
    return false;
  }

  private static boolean isDiscv4(byte[] d, int offset, int length) {
    int v = d[offset + 96];
    int type = d[offset + 97];
    if ((v != 0 && v != 1)
        || type < 1
        || type > 6
        || !rlpListFills(d, offset + 98, offset + length)) {
      return false; // cheap structure checks first: the hash is the expensive one
    }
    byte[] h = Keccak256.digest(d, offset + 32, length - 32);
    for (int k = 0; k < 32; k++) {
      if (h[k] != d[offset + k]) {
        return false;
      }
    }
    return true;
  }

  /** Whether an RLP list starts at {@code at} and ends exactly at {@code end}. */
  static boolean rlpListFills(byte[] d, int at, int end) {
    if (at >= end) {
      return false;
    }
    int b = d[at] & 0xff;
    if (b < 0xc0) {
      return false;
    }
    if (b <= 0xf7) {
      return at + 1 + (b - 0xc0) == end;
    }
    int lenLen = b - 0xf7;
    if (lenLen > 3 || at + 1 + lenLen > end) {
      return false;
    }
    int len = 0;
    for (int k = 1; k <= lenLen; k++) {
      len = (len << 8) | (d[at + k] & 0xff);
    }
    return len > 55 && at + 1 + lenLen + len == end;
  }

  private static String discv4Name(int type) {
    return switch (type) {
      case 1 -> "ping";
      case 2 -> "pong";
      case 3 -> "find-node";
      case 4 -> "neighbors";
      case 5 -> "ENR request";
      default -> "ENR response";
    };
  }

  /** Whether the 64 bytes at {@code at} are an (x, y) point on secp256k1: y² = x³ + 7 (mod p). */
  static boolean onCurve(byte[] d, int at) {
    BigInteger x = new BigInteger(1, java.util.Arrays.copyOfRange(d, at, at + 32));
    BigInteger y = new BigInteger(1, java.util.Arrays.copyOfRange(d, at + 32, at + 64));
    if (x.compareTo(P) >= 0 || y.compareTo(P) >= 0) {
      return false;
    }
    return y.multiply(y).mod(P).equals(x.pow(3).add(SEVEN).mod(P));
  }
}
