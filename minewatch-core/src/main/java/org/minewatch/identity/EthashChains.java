package org.minewatch.identity;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.minewatch.crypto.Keccak256;
import org.minewatch.model.Algorithm;
import org.minewatch.model.Coin;

/**
 * Which chain an Ethash job is for, from its seed hash and the time it was seen. Why it can be
 * told: an Ethash seed hash is Keccak-256 applied to 32 zero bytes once per epoch of 30,000 blocks
 * (Ethereum Classic since ECIP-1099, block 11,700,000: once per 30,000 blocks of the epoch's first
 * block, in epochs of 60,000), so the seed gives the block height the pool works at; and a chain's
 * height at a date is on record, so the height and the job's time name the chain. The eth-proxy and
 * EthereumStratum dialects are the same on every Ethash chain, so the protocol alone names none:
 * since the Merge (2022-09-15) no Ethash job is Ethereum's.
 */
public final class EthashChains {
  /** Blocks per epoch of the seed hash. */
  static final long EPOCH_BLOCKS = 30_000;

  /**
   * Ethereum Classic's ECIP-1099: from this block, epochs of 60,000 (seeds of even epochs only).
   */
  static final long ETC_LONG_EPOCHS_FROM = 11_700_000;

  /** How far a chain's height may lie from the table's straight line between two of its rows. */
  static final long TOLERANCE_BLOCKS = 150_000;

  /** Seeds known: epochs 0 to this (61 million blocks: centuries of any Ethash chain). */
  static final int MAX_EPOCH = 2048;

  private static final List<Chain> CHAINS = load();

  private EthashChains() {}

  /**
   * One chain's heights on record, oldest first; {@code ended} if its last row is its last block.
   */
  record Chain(Coin coin, List<LocalDate> dates, List<Long> heights, boolean ended) {
    LocalDate start() {
      return dates.get(0);
    }

    LocalDate end() {
      return dates.get(dates.size() - 1);
    }

    /** The height on record at a time, by a straight line between rows or past the last one. */
    double heightAt(Instant t) {
      double day = t.getEpochSecond() / 86_400.0;
      int last = dates.size() - 1;
      int i = 1;
      while (i < last && dates.get(i).toEpochDay() < day) {
        i++;
      }
      double d0 = dates.get(i - 1).toEpochDay();
      double d1 = dates.get(i).toEpochDay();
      double h0 = heights.get(i - 1);
      double h1 = heights.get(i);
      return h0 + (h1 - h0) * (day - d0) / (d1 - d0);
    }

    /** The tolerance at a time: wider past the last row, where the line is extrapolated. */
    double toleranceAt(Instant t) {
      double past = t.getEpochSecond() / 86_400.0 - end().toEpochDay();
      return past <= 0 ? TOLERANCE_BLOCKS : TOLERANCE_BLOCKS + 0.05 * (heightAt(t) - lastHeight());
    }

    long lastHeight() {
      return heights.get(heights.size() - 1);
    }

    boolean existsAt(Instant t) {
      LocalDate day = t.atZone(ZoneOffset.UTC).toLocalDate();
      return !day.isBefore(start()) && !(ended && day.isAfter(end()));
    }
  }

  /**
   * The epoch whose seed hash this is (64 hex digits, with or without 0x), or -1 where it is none:
   * a header hash or any other 32 bytes.
   */
  public static int epochOfSeed(String hex) {
    if (hex == null) {
      return -1;
    }
    String h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    if (h.length() != 64) {
      return -1;
    }
    byte[] bytes;
    try {
      bytes = HexFormat.of().parseHex(h);
    } catch (IllegalArgumentException e) {
      return -1;
    }
    Integer epoch = Seeds.BY_PREFIX.get(prefix(bytes));
    return epoch != null && java.util.Arrays.equals(Seeds.seed(epoch), bytes) ? epoch : -1;
  }

  /**
   * What an Ethash job's seed hash says at the time the job was seen: the chain (coin), algorithm
   * Ethash, and the sentence with the epoch, its blocks and the chains' heights then. Null where
   * the hash is no seed.
   */
  public static ChainClues.Clue job(String seedHash, Instant at) {
    int epoch = epochOfSeed(seedHash);
    if (epoch < 0) {
      return null;
    }
    long low = epoch * EPOCH_BLOCKS;
    String seen =
        String.format(
            Locale.ROOT,
            "the job's seed hash is Ethash epoch %d's (Keccak-256 applied %d times to 32 zero"
                + " bytes): the pool works on the epoch from block %,d",
            epoch,
            epoch,
            low);
    List<Chain> fit = new ArrayList<>();
    List<String> heights = new ArrayList<>();
    for (Chain c : CHAINS) {
      if (!c.existsAt(at)) {
        continue;
      }
      // Ethereum Classic's long epochs: a seed of an even epoch covers 60,000 blocks, an odd one
      // is none of its seeds.
      boolean longEpochs = c.coin() == Coin.ETHEREUM_CLASSIC && low >= ETC_LONG_EPOCHS_FROM;
      if (longEpochs && epoch % 2 != 0) {
        continue;
      }
      long high = low + (longEpochs ? 2 * EPOCH_BLOCKS : EPOCH_BLOCKS) - 1;
      double expected = c.heightAt(at);
      double off = expected < low ? low - expected : expected > high ? expected - high : 0;
      heights.add(
          String.format(
              Locale.ROOT, "%s about %,d", c.coin().label(), Math.round(expected / 1000) * 1000));
      if (off <= c.toleranceAt(at)) {
        fit.add(c);
      }
    }
    String day = at.atZone(ZoneOffset.UTC).toLocalDate().toString();
    String merged =
        at.isAfter(ethereumEnd())
            ? "; ethereum has been mined by no one since "
                + ethereumEnd().atZone(ZoneOffset.UTC).toLocalDate()
                + " (proof of stake)"
            : "";
    String then =
        heights.isEmpty()
            ? "; on " + day + " no Ethash chain on record was mined"
            : "; on " + day + " the chains on record stood at: " + String.join(", ", heights);
    if (fit.size() == 1) {
      Coin coin = fit.get(0).coin();
      return new ChainClues.Clue(
          coin, Algorithm.ETHASH, seen + then + merged + ": coin " + coin.label());
    }
    if (fit.size() > 1 && fit.stream().anyMatch(c -> c.coin() == Coin.ETHEREUM)) {
      // Before Ethereum's and Ethereum Classic's heights drew apart (2018) a seed fits both;
      // Ethereum then had most of Ethash's hash power, so it is the likelier, and the sentence says
      // it is a choice.
      return new ChainClues.Clue(
          Coin.ETHEREUM,
          Algorithm.ETHASH,
          seen
              + then
              + ": both fit; ethereum, which had most of Ethash's hash power then: coin ethereum");
    }
    if (fit.size() > 1) {
      return new ChainClues.Clue(
          null, Algorithm.ETHASH, seen + then + merged + ": several fit: no coin");
    }
    return new ChainClues.Clue(
        null,
        Algorithm.ETHASH,
        seen + then + merged + ": none fits, an Ethash chain not on record: no coin");
  }

  /**
   * Whether a coin was mined at a time: false only for Ethereum after its last proof-of-work block,
   * where an address alone must not name it as a miner's coin.
   */
  public static boolean minedAt(Coin coin, Instant at) {
    return coin != Coin.ETHEREUM || !at.isAfter(ethereumEnd());
  }

  /** The end of the day Ethereum's last proof-of-work block was mined. */
  private static Instant ethereumEnd() {
    for (Chain c : CHAINS) {
      if (c.coin() == Coin.ETHEREUM && c.ended()) {
        return c.end()
            .plusDays(1)
            .atStartOfDay(ZoneOffset.UTC)
            .toInstant()
            .minus(Duration.ofNanos(1));
      }
    }
    return Instant.MAX;
  }

  private static long prefix(byte[] b) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = v << 8 | (b[i] & 0xffL);
    }
    return v;
  }

  /** The seeds of epochs 0..{@link #MAX_EPOCH}, computed on first use (about 2,000 hashes). */
  private static final class Seeds {
    private static final byte[][] SEEDS = new byte[MAX_EPOCH + 1][];
    static final Map<Long, Integer> BY_PREFIX = new HashMap<>();

    static {
      byte[] s = new byte[32];
      for (int e = 0; e <= MAX_EPOCH; e++) {
        SEEDS[e] = s;
        BY_PREFIX.put(prefix(s), e);
        s = Keccak256.digest(s);
      }
    }

    static byte[] seed(int epoch) {
      return SEEDS[epoch];
    }
  }

  /** The seed hash of an epoch, as 64 hex digits (for tests and fixtures). */
  public static String seedOf(int epoch) {
    if (epoch < 0 || epoch > MAX_EPOCH) {
      throw new IllegalArgumentException("epoch " + epoch + " is not in 0.." + MAX_EPOCH);
    }
    return HexFormat.of().formatHex(Seeds.seed(epoch));
  }

  private static List<Chain> load() {
    Map<Coin, List<String[]>> rows = new java.util.LinkedHashMap<>();
    for (String[] f : ShippedTable.rows("ethash-heights.csv")) {
      rows.computeIfAbsent(Coin.fromLabel(f[0]), k -> new ArrayList<>()).add(f);
    }
    List<Chain> out = new ArrayList<>();
    rows.forEach(
        (coin, list) -> {
          List<LocalDate> dates = new ArrayList<>();
          List<Long> heights = new ArrayList<>();
          for (String[] f : list) {
            dates.add(LocalDate.parse(f[1]));
            heights.add(Long.parseLong(f[2]));
          }
          boolean ended = list.get(list.size() - 1).length > 3;
          out.add(new Chain(coin, List.copyOf(dates), List.copyOf(heights), ended));
        });
    return List.copyOf(out);
  }
}
