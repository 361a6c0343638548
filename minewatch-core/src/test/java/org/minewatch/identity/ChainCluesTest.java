package org.minewatch.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.minewatch.model.Algorithm;
import org.minewatch.model.Coin;

class ChainCluesTest {
  /**
   * A hash as block explorers show it (big-endian), in Stratum's order: stored (reversed) bytes,
   * each word reversed.
   */
  static String stratumOrder(String displayed) {
    StringBuilder stored = new StringBuilder();
    for (int i = displayed.length() - 2; i >= 0; i -= 2) {
      stored.append(displayed, i, i + 2);
    }
    StringBuilder out = new StringBuilder();
    for (int w = 0; w < 8; w++) {
      String word = stored.substring(w * 8, w * 8 + 8);
      for (int i = 6; i >= 0; i -= 2) {
        out.append(word, i, i + 2);
      }
    }
    return out.toString();
  }

  @Test
  void compactBitsAreNetworkDifficulty() {
    assertThat(ChainClues.difficulty("1d00ffff")).isEqualTo(1.0);
    assertThat(ChainClues.difficulty("1b0404cb")).isEqualTo(0xffff / (double) 0x0404cb * 65536.0);
    assertThat(ChainClues.difficulty("17053894"))
        .isEqualTo(0xffff / (double) 0x053894 * Math.pow(256, 6));
    assertThat(ChainClues.difficulty("00000000")).isNaN();
    assertThat(ChainClues.difficulty("zz053894")).isNaN();
    assertThat(ChainClues.difficulty("1705389")).isNaN();
  }

  @Test
  void leadingZeroBytesAreCountedInTheDisplayedOrder() {
    String nineZeros = "000000000000000000" + "02a7c4c1e48d76c5a37902165a270156b7a8d72728a054";
    assertThat(ChainClues.leadingZeroBytes(stratumOrder(nineZeros))).isEqualTo(9);
    String none = "7a" + "00".repeat(31);
    assertThat(ChainClues.leadingZeroBytes(stratumOrder(none))).isZero();
    assertThat(ChainClues.leadingZeroBytes("00".repeat(32))).isEqualTo(32);
    assertThat(ChainClues.leadingZeroBytes("00")).isEqualTo(-1);
    assertThat(ChainClues.leadingZeroBytes("g".repeat(64))).isEqualTo(-1);
  }

  @Test
  void aBitcoinJobOf2023IsBitcoinBySha256dZerosAndDifficulty() {
    String prev =
        stratumOrder("000000000000000000" + "02a7c4c1e48d76c5a37902165a270156b7a8d72728a054");
    ChainClues.Clue c =
        ChainClues.bitcoinJob(prev, "17053894", Instant.parse("2023-07-24T00:00:00Z"));
    assertThat(c.coin()).isEqualTo(Coin.BITCOIN);
    assertThat(c.algorithm()).isEqualTo(Algorithm.SHA256D);
    assertThat(c.sentence())
        .isEqualTo(
            "the job's previous block hash starts with 9 zero bytes (a SHA-256d chain's "
                + "proof of work); its nbits 17053894 are network difficulty 5.39e+13, within bitcoin's band for 2023 "
                + "(3e+13–8e+13): coin bitcoin, algorithm sha256d");
  }

  @Test
  void aSha256dChainOfNoKnownDifficultyIsNamedByItsAlgorithmOnly() {
    String prev = stratumOrder("00000000000000" + "ab".repeat(25));
    ChainClues.Clue c =
        ChainClues.bitcoinJob(prev, "1c00ffff", Instant.parse("2023-07-24T00:00:00Z"));
    assertThat(c.coin()).isNull();
    assertThat(c.algorithm()).isEqualTo(Algorithm.SHA256D);
    assertThat(c.sentence())
        .startsWith(
            "the job's previous block hash starts with 7 zero bytes: a SHA-256d chain's "
                + "proof of work (algorithm sha256d); its nbits 1c00ffff are network difficulty 256");
  }

  @Test
  void aScryptChainsRandomLookingHashAndLitecoinDifficulty() {
    String prev = stratumOrder("9f" + "3c".repeat(31));
    // Litecoin's difficulty in 2024 (about 4e7): the band names it; no zero bytes, so no SHA-256d
    // claim.
    ChainClues.Clue c =
        ChainClues.bitcoinJob(prev, "1a006b60", Instant.parse("2024-05-01T00:00:00Z"));
    assertThat(ChainClues.difficulty("1a006b60")).isBetween(3e7, 8e7);
    assertThat(c.coin()).isEqualTo(Coin.LITECOIN);
    assertThat(c.algorithm()).isEqualTo(Algorithm.SCRYPT);
  }

  @Test
  void aYearPastTheTableWidensTheLastBand() {
    // Bitcoin's difficulty of 2024 seen in a job of 2027: within 2025's band halved down and four
    // times up.
    ChainClues.Clue c =
        ChainClues.bitcoinJob("ab".repeat(32), "17034219", Instant.parse("2027-03-01T00:00:00Z"));
    assertThat(c.coin()).isEqualTo(Coin.BITCOIN);
    assertThat(c.sentence())
        .contains("within bitcoin's band for 2027 (5e+13–8e+14, 2025's widened)");
    // Nothing matches: no clue at all.
    assertThat(
            ChainClues.bitcoinJob(
                "ab".repeat(32), "1d00ffff", Instant.parse("2024-01-01T00:00:00Z")))
        .isNull();
  }

  @Test
  void aCoinImpliesItsAlgorithm() {
    assertThat(ChainClues.algorithmOf(Coin.LITECOIN)).isEqualTo(Algorithm.SCRYPT);
    assertThat(ChainClues.algorithmOf(Coin.BITCOIN)).isEqualTo(Algorithm.SHA256D);
    assertThat(ChainClues.algorithmOf(Coin.DOGECOIN)).isEqualTo(Algorithm.SCRYPT);
    assertThat(ChainClues.algorithmOf(Coin.DASH)).isNull();
    assertThat(ChainClues.algorithmOf(Coin.MONERO))
        .as("CryptoNight until 2019, RandomX since")
        .isNull();
    assertThat(ChainClues.algorithmOf(null)).isNull();
  }

  @Test
  void aJobOfTheEarlyYearsIsNamedByThatYearsBand() {
    // Public traces of bfgminer and cgminer are from 2013-2014: Bitcoin's difficulty then was 3e6
    // to 5e10.
    String prev = stratumOrder("00000000000000" + "3c".repeat(25));
    ChainClues.Clue c =
        ChainClues.bitcoinJob(prev, "19262222", Instant.parse("2013-09-01T00:00:00Z"));
    assertThat(ChainClues.difficulty("19262222")).isBetween(3e6, 2e9);
    assertThat(c.coin()).isEqualTo(Coin.BITCOIN);
    assertThat(c.algorithm()).isEqualTo(Algorithm.SHA256D);
  }

  @Test
  void aKawPowJobOfRavencoinsDifficultyAndHeightIsRavencoin() {
    ChainClues.Clue c =
        ChainClues.kawpowJob(2_800_000, "1b00f2a1", Instant.parse("2023-06-01T00:00:00Z"));
    assertThat(c.coin()).isEqualTo(Coin.RAVENCOIN);
    assertThat(c.algorithm()).isEqualTo(Algorithm.KAWPOW);
    assertThat(c.sentence())
        .isEqualTo(
            "the job has KawPow's shape (header hash, seed hash and target of 64 hex digits, block "
                + "height 2800000): algorithm kawpow; its bits 1b00f2a1 are network difficulty "
                + "6.91e+04 and its height 2800000, within ravencoin's band for 2023 (difficulty "
                + "1e+04–3e+05, heights 2580000–3150000): coin ravencoin");
  }

  @Test
  void aKawPowJobPastTheTableKeepsTheLastHeightAsAFloor() {
    // Heights only grow: past the table, the last year's lowest height still holds, the highest
    // does not.
    ChainClues.Clue c =
        ChainClues.kawpowJob(4_600_000, "1b00f2a1", Instant.parse("2027-03-01T00:00:00Z"));
    assertThat(c.coin()).isEqualTo(Coin.RAVENCOIN);
    assertThat(c.sentence())
        .endsWith(
            "within ravencoin's band for 2027 (difficulty 5e+03–1e+06, heights from 3620000, "
                + "2025's widened): coin ravencoin");
    assertThat(
            ChainClues.kawpowJob(3_000_000, "1b00f2a1", Instant.parse("2027-03-01T00:00:00Z"))
                .coin())
        .isNull();
  }

  @Test
  void aKawPowJobOutsideEveryBandNamesItsAlgorithmOnly() {
    Instant at = Instant.parse("2023-06-01T00:00:00Z");
    ChainClues.Clue lowDifficulty = ChainClues.kawpowJob(2_800_000, "1d00ffff", at);
    assertThat(lowDifficulty.coin()).isNull();
    assertThat(lowDifficulty.algorithm()).isEqualTo(Algorithm.KAWPOW);
    assertThat(lowDifficulty.sentence())
        .endsWith(
            "its bits 1d00ffff are network difficulty 1.00 and its height 2800000, within no "
                + "KawPow chain's band for 2023: no coin");
    // Before Ravencoin forked to KawPow (May 2020) no chain in the table mined it.
    assertThat(
            ChainClues.kawpowJob(1_000_000, "1b00f2a1", Instant.parse("2019-12-01T00:00:00Z"))
                .coin())
        .isNull();
    // Bits that are no target: the shape still says the algorithm.
    ChainClues.Clue noBits = ChainClues.kawpowJob(2_800_000, "zz", at);
    assertThat(noBits.coin()).isNull();
    assertThat(noBits.algorithm()).isEqualTo(Algorithm.KAWPOW);
  }

  @Test
  void aBitcoinStyleJobIsNeverNamedByAKawPowBand() {
    // Ravencoin's difficulty and a random-looking previous block hash: a Bitcoin-style job is no
    // KawPow chain's, so no clue.
    assertThat(
            ChainClues.bitcoinJob(
                stratumOrder("9f" + "3c".repeat(31)),
                "1b00f2a1",
                Instant.parse("2023-06-01T00:00:00Z")))
        .isNull();
  }
}
