package org.minewatch.estimate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.minewatch.model.Algorithm;

/** What a share stands for, in hashes (or solutions), from the way each dialect states it. */
public final class Difficulty {
  private static final BigDecimal TWO_256 = new BigDecimal(BigInteger.ONE.shiftLeft(256));

  private Difficulty() {}

  /**
   * Hashes per share at Stratum difficulty {@code d}: difficulty 1 is 2^32 hashes for SHA-256d,
   * Ethash (EthereumStratum/NiceHash) and KawPow pools, 2^16 for scrypt. Null where the algorithm
   * does not say.
   */
  public static Double stratumShareWork(double d, Algorithm algorithm) {
    if (algorithm == null) {
      return null;
    }
    return switch (algorithm) {
      case SHA256D, ETHASH, KAWPOW -> d * 4294967296.0;
      case SCRYPT -> d * 65536.0;
      default -> null;
    };
  }

  /**
   * Work per share for a full-width target (Equihash set_target, Ethash boundary): 2^256 / target.
   */
  public static double fromTarget256(String hex) {
    String h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    BigInteger target = new BigInteger(h, 16);
    if (target.signum() == 0) {
      throw new IllegalArgumentException("a zero target");
    }
    return TWO_256.divide(new BigDecimal(target), MathContext.DECIMAL64).doubleValue();
  }

  /**
   * The difficulty of a Monero-style job target as XMRig computes it: a 4-byte little-endian target
   * t is widened to 2^64−1 / ⌊(2^32−1) / t⌋ and the difficulty is 2^64−1 over the target; an 8-byte
   * target is used as it is. "b88d0600" (t = 429,496) is difficulty 10,000.
   */
  public static double fromXmrTarget(String hex) {
    long t = 0;
    int bytes = hex.length() / 2;
    if (bytes != 4 && bytes != 8) {
      throw new IllegalArgumentException("a job target has 4 or 8 bytes, not " + bytes);
    }
    for (int i = bytes - 1; i >= 0; i--) {
      t = (t << 8) | Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    BigInteger max64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    BigInteger target;
    if (bytes == 4) {
      if (t == 0) {
        throw new IllegalArgumentException("a zero target");
      }
      long quotient = 0xFFFF_FFFFL / t;
      target = max64.divide(BigInteger.valueOf(Math.max(1, quotient)));
    } else {
      target = new BigInteger(Long.toUnsignedString(t));
      if (target.signum() == 0) {
        throw new IllegalArgumentException("a zero target");
      }
    }
    return new BigDecimal(max64)
        .divide(new BigDecimal(target), MathContext.DECIMAL64)
        .doubleValue();
  }
}
