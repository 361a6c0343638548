package org.minewatch.identity;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.minewatch.model.Algorithm;
import org.minewatch.model.Coin;

/**
 * What the traffic says about the coin and its algorithm where no message names them: a coin
 * implies its algorithm, and a Bitcoin-style job (Stratum {@code mining.notify}) carries its
 * chain's previous block hash and the network's difficulty bits, which together with the job's time
 * tell the chain. A KawPow job (Ravencoin-style Stratum) carries its own bits and the block height,
 * which the table can check too.
 *
 * <p>Why the previous block hash: on a chain whose proof of work is SHA-256d, a block's hash is
 * that proof, so it starts with as many zero bytes as the network's target demands (Bitcoin: more
 * than nine); on scrypt or other chains the same double SHA-256 of the header is not the proof and
 * looks random. Six or more leading zero bytes (one chance in 2^48 at random) is a SHA-256d chain's
 * block.
 */
public final class ChainClues {
  /**
   * Leading zero bytes of a previous block hash that only a SHA-256d chain's proof of work
   * explains.
   */
  static final int SHA256D_ZERO_BYTES = 6;

  private static final List<Band> BANDS = load();

  private ChainClues() {}

  /** Where the table gives no heights for a chain. */
  private static final long NO_HEIGHT = -1;

  /**
   * A chain's network difficulty in one year: the lowest and highest it held; and the block heights
   * it had, where the table gives them ({@link #NO_HEIGHT} otherwise).
   */
  record Band(
      Coin coin,
      Algorithm algorithm,
      int year,
      double min,
      double max,
      long minHeight,
      long maxHeight) {
    boolean holds(double difficulty) {
      return difficulty >= min && difficulty <= max;
    }

    boolean holdsHeight(long height) {
      return minHeight == NO_HEIGHT || height >= minHeight && height <= maxHeight;
    }
  }

  /**
   * What a job says: the chain's coin (or null), its algorithm (or null), and the sentence a person
   * can check.
   */
  public record Clue(Coin coin, Algorithm algorithm, String sentence) {}

  /**
   * The algorithm a coin is mined with, where it has had one all along; null where the coin is
   * unknown or changed its algorithm (Monero: CryptoNight and its variants until November 2019,
   * RandomX since, so the coin alone does not say which a miner ran).
   */
  public static Algorithm algorithmOf(Coin coin) {
    if (coin == null) {
      return null;
    }
    return switch (coin) {
      case BITCOIN, BITCOIN_CASH, NAMECOIN -> Algorithm.SHA256D;
      case LITECOIN, DOGECOIN -> Algorithm.SCRYPT;
      case ZCASH -> Algorithm.EQUIHASH_200_9;
      case ETHEREUM, ETHEREUM_CLASSIC -> Algorithm.ETHASH;
      case RAVENCOIN -> Algorithm.KAWPOW;
      case RAPTOREUM -> Algorithm.GHOSTRIDER;
      default -> null;
    };
  }

  /**
   * The clue in a Bitcoin-style job: its previous block hash (64 hex digits, Stratum's order: the
   * hash's bytes as stored, each 4-byte word reversed) and its nbits (8 hex digits), at the time
   * the job was seen. Null if neither says anything.
   */
  public static Clue bitcoinJob(String prevHash, String nbits, Instant at) {
    int zeros = prevHash == null ? -1 : leadingZeroBytes(prevHash);
    double difficulty = nbits == null ? Double.NaN : difficulty(nbits);
    boolean sha256d = zeros >= SHA256D_ZERO_BYTES;
    List<Band> matching = new ArrayList<>();
    if (!Double.isNaN(difficulty)) {
      int year = at.atZone(ZoneOffset.UTC).getYear();
      for (Band b : bandsFor(year)) {
        // A KawPow chain's jobs have their own shape: a Bitcoin-style job is never one of them.
        if (b.holds(difficulty)
            && b.algorithm() != Algorithm.KAWPOW
            && (!sha256d || b.algorithm() == Algorithm.SHA256D)) {
          matching.add(b);
        }
      }
    }
    String zeroText =
        String.format(
            Locale.ROOT, "the job's previous block hash starts with %d zero bytes", zeros);
    String diffText =
        Double.isNaN(difficulty)
            ? null
            : String.format(
                Locale.ROOT,
                "its nbits %s are network difficulty %.3g",
                nbits.toLowerCase(Locale.ROOT),
                difficulty);
    if (matching.size() == 1) {
      Band b = matching.get(0);
      return new Clue(
          b.coin(),
          b.algorithm(),
          (sha256d ? zeroText + " (a SHA-256d chain's proof of work); " : "")
              + diffText
              + String.format(
                  Locale.ROOT,
                  ", within %s's band for %d (%.0g–%.0g%s): coin %s, algorithm %s",
                  b.coin().label(),
                  at.atZone(ZoneOffset.UTC).getYear(),
                  b.min(),
                  b.max(),
                  b.year() == at.atZone(ZoneOffset.UTC).getYear()
                      ? ""
                      : ", " + b.year() + "'s widened",
                  b.coin().label(),
                  b.algorithm().label()));
    }
    if (sha256d) {
      return new Clue(
          null,
          Algorithm.SHA256D,
          zeroText
              + ": a SHA-256d chain's proof of work (algorithm sha256d)"
              + (diffText == null ? "" : "; " + diffText + ", which names no single chain"));
    }
    return null;
  }

  /**
   * The clue in a KawPow job (Ravencoin-style Stratum {@code mining.notify}: header hash, seed
   * hash, target, clean, height, bits), whose shape the caller has checked: its algorithm is
   * KawPow, and its bits (8 hex digits, the chain's network difficulty) and block height, at the
   * time the job was seen, name the chain where exactly one KawPow chain's band holds both.
   */
  public static Clue kawpowJob(long height, String bits, Instant at) {
    int year = at.atZone(ZoneOffset.UTC).getYear();
    double difficulty = bits == null ? Double.NaN : difficulty(bits);
    String shapeText =
        String.format(
            Locale.ROOT,
            "the job has KawPow's shape (header hash, seed hash and target of 64 hex digits, block"
                + " height %d): algorithm kawpow",
            height);
    if (Double.isNaN(difficulty)) {
      return new Clue(null, Algorithm.KAWPOW, shapeText);
    }
    List<Band> matching = new ArrayList<>();
    for (Band b : bandsFor(year)) {
      if (b.algorithm() == Algorithm.KAWPOW && b.holds(difficulty) && b.holdsHeight(height)) {
        matching.add(b);
      }
    }
    String seen =
        String.format(
            Locale.ROOT,
            "; its bits %s are network difficulty %.3g and its height %d, within ",
            bits.toLowerCase(Locale.ROOT),
            difficulty,
            height);
    if (matching.size() != 1) {
      return new Clue(
          null,
          Algorithm.KAWPOW,
          shapeText
              + seen
              + (matching.isEmpty() ? "no KawPow chain's band" : "several KawPow chains' bands")
              + String.format(Locale.ROOT, " for %d: no coin", year));
    }
    Band b = matching.get(0);
    String heights =
        b.minHeight() == NO_HEIGHT
            ? ""
            : b.maxHeight() == Long.MAX_VALUE
                ? String.format(Locale.ROOT, ", heights from %d", b.minHeight())
                : String.format(Locale.ROOT, ", heights %d–%d", b.minHeight(), b.maxHeight());
    return new Clue(
        b.coin(),
        Algorithm.KAWPOW,
        shapeText
            + seen
            + String.format(
                Locale.ROOT,
                "%s's band for %d (difficulty %.0g–%.0g%s%s): coin %s",
                b.coin().label(),
                year,
                b.min(),
                b.max(),
                heights,
                b.year() == year ? "" : ", " + b.year() + "'s widened",
                b.coin().label()));
  }

  /**
   * The clue in a getblocktemplate answer (BIP 22): its {@code previousblockhash} as nodes write it
   * (displayed, big-endian) and its {@code bits}, at the answer's time.
   */
  public static Clue blockTemplate(String previousBlockHash, String bits, Instant at) {
    if (previousBlockHash == null || previousBlockHash.length() != 64) {
      return bitcoinJob(null, bits, at);
    }
    // Displayed order to Stratum's: the stored bytes are the displayed ones reversed; Stratum
    // reverses each word.
    StringBuilder stored = new StringBuilder(64);
    for (int i = 62; i >= 0; i -= 2) {
      stored.append(previousBlockHash, i, i + 2);
    }
    StringBuilder stratum = new StringBuilder(64);
    for (int w = 0; w < 8; w++) {
      for (int i = 6; i >= 0; i -= 2) {
        stratum.append(stored, w * 8 + i, w * 8 + i + 2);
      }
    }
    return bitcoinJob(stratum.toString(), bits, at);
  }

  /**
   * Leading zero bytes of the hash as displayed (big-endian), from Stratum's word-reversed stored
   * order.
   */
  static int leadingZeroBytes(String stratumHex) {
    if (stratumHex.length() != 64) {
      return -1;
    }
    int zeros = 0;
    // Stored order is little-endian: the displayed hash's first bytes are the stored last ones.
    // Stratum reverses the
    // bytes within each 4-byte word, so the displayed order is: words from last to first, each read
    // as written.
    for (int word = 7; word >= 0; word--) {
      for (int i = 0; i < 4; i++) {
        int at = word * 8 + i * 2;
        int v =
            Character.digit(stratumHex.charAt(at), 16) << 4
                | Character.digit(stratumHex.charAt(at + 1), 16);
        if (v < 0) {
          return -1;
        }
        if (v != 0) {
          return zeros;
        }
        zeros++;
      }
    }
    return zeros;
  }

  /**
   * Network difficulty of compact target bits: difficulty 1 is 0x1d00ffff. NaN for bits that are no
   * target.
   */
  static double difficulty(String nbits) {
    if (nbits.length() != 8) {
      return Double.NaN;
    }
    long bits;
    try {
      bits = Long.parseLong(nbits, 16);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
    int exponent = (int) (bits >>> 24);
    long mantissa = bits & 0x7f_ffffL;
    if (mantissa == 0 || exponent < 3 || exponent > 32) {
      return Double.NaN;
    }
    // target = mantissa * 256^(exponent-3); difficulty = 0xffff * 256^(0x1d-3) / target
    return 0xffff / (double) mantissa * Math.pow(256, 0x1d - exponent);
  }

  /**
   * The bands in force in a year: that year's rows, or for a later year the last year's, widened.
   */
  static List<Band> bandsFor(int year) {
    List<Band> out = new ArrayList<>();
    for (Coin c : BANDS.stream().map(Band::coin).distinct().toList()) {
      Band best = null;
      for (Band b : BANDS) {
        if (b.coin() == c && b.year() <= year && (best == null || b.year() > best.year())) {
          best = b;
        }
      }
      if (best != null) {
        // Past the table: the last year's band, halved downward (difficulty fell by a third after
        // China's 2021 ban)
        // and four times upward (it has grown by up to that in a year).
        // Heights only grow: the last year's lowest still holds, its highest does not.
        out.add(
            best.year() == year
                ? best
                : new Band(
                    c,
                    best.algorithm(),
                    best.year(),
                    best.min() / 2,
                    best.max() * 4,
                    best.minHeight(),
                    best.minHeight() == NO_HEIGHT ? NO_HEIGHT : Long.MAX_VALUE));
      }
    }
    return out;
  }

  private static List<Band> load() {
    List<Band> out = new ArrayList<>();
    for (String[] f : ShippedTable.rows("chain-difficulty.csv")) {
      boolean heights = f.length == 7;
      out.add(
          new Band(
              Coin.fromLabel(f[0]),
              Algorithm.fromLabel(f[1]),
              Integer.parseInt(f[2]),
              Double.parseDouble(f[3]),
              Double.parseDouble(f[4]),
              heights ? Long.parseLong(f[5]) : NO_HEIGHT,
              heights ? Long.parseLong(f[6]) : NO_HEIGHT));
    }
    return List.copyOf(out);
  }
}
