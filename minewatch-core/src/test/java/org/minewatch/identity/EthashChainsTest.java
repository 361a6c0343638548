package org.minewatch.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.minewatch.detect.json.JsonTree;
import org.minewatch.detect.stratum.JobClues;
import org.minewatch.detect.stratum.StratumGrammar;
import org.minewatch.model.Algorithm;
import org.minewatch.model.Coin;
import org.minewatch.testkit.EthashSeeds;

class EthashChainsTest {
  /** The seed of the eth-proxy work packages in nDPI's mining.pcapng (2017-01-17). */
  private static final String SEED_OF_A_REAL_2017_JOB =
      "71a56feffb6f10ea9d76e1a9464eb0abd86e4349ae98fb794923a65b650282a3";

  @Test
  void seedsAreKeccakAppliedOncePerEpochToZeroBytes() {
    assertThat(EthashChains.seedOf(0)).isEqualTo("00".repeat(32));
    assertThat(EthashChains.seedOf(100)).isEqualTo(SEED_OF_A_REAL_2017_JOB);
    assertThat(EthashChains.seedOf(418)).isEqualTo(EthashSeeds.EPOCH_418);
    assertThat(EthashChains.seedOf(452)).isEqualTo(EthashSeeds.EPOCH_452);
    assertThat(EthashChains.seedOf(648)).isEqualTo(EthashSeeds.EPOCH_648);
  }

  @Test
  void aSeedGivesItsEpochAndAnyOther32BytesNone() {
    assertThat(EthashChains.epochOfSeed("0x" + SEED_OF_A_REAL_2017_JOB)).isEqualTo(100);
    assertThat(EthashChains.epochOfSeed(SEED_OF_A_REAL_2017_JOB.toUpperCase())).isEqualTo(100);
    assertThat(EthashChains.epochOfSeed(EthashChains.seedOf(EthashChains.MAX_EPOCH)))
        .isEqualTo(EthashChains.MAX_EPOCH);
    // The header hash of the same real work package.
    assertThat(
            EthashChains.epochOfSeed(
                "0x415559c31768833f25b6dbfbb39be72e71375e14a3a711e589696850bc9431ec"))
        .isEqualTo(-1);
    assertThat(EthashChains.epochOfSeed("0x1234")).isEqualTo(-1);
    assertThat(EthashChains.epochOfSeed("zz".repeat(32))).isEqualTo(-1);
    assertThat(EthashChains.epochOfSeed(null)).isEqualTo(-1);
    assertThat(EthashChains.job("ab".repeat(32), Instant.parse("2021-06-01T00:00:00Z"))).isNull();
  }

  @Test
  void beforeTheMergeTheSeedTellsEthereumFromEthereumClassic() {
    ChainClues.Clue clue =
        EthashChains.job(EthashSeeds.EPOCH_418, Instant.parse("2021-06-01T08:00:00Z"));
    assertThat(clue.coin()).isEqualTo(Coin.ETHEREUM);
    assertThat(clue.algorithm()).isEqualTo(Algorithm.ETHASH);
    assertThat(clue.sentence())
        .isEqualTo(
            "the job's seed hash is Ethash epoch 418's (Keccak-256 applied 418 times to 32 zero"
                + " bytes): the pool works on the epoch from block 12,540,000; on 2021-06-01 the"
                + " chains on record stood at: ethereum about 12,549,000, ethereum-classic about"
                + " 12,864,000: coin ethereum");
    // Ethereum Classic's height that day is epoch 428's (60,000 blocks from 12,840,000).
    assertThat(
            EthashChains.job(EthashChains.seedOf(428), Instant.parse("2021-06-01T08:00:00Z"))
                .coin())
        .isEqualTo(Coin.ETHEREUM_CLASSIC);
  }

  @Test
  void whereBothChainsStoodAtTheSeedsEpochEthereumIsTheChoiceAndSaysSo() {
    ChainClues.Clue clue =
        EthashChains.job(SEED_OF_A_REAL_2017_JOB, Instant.parse("2017-01-17T12:17:01Z"));
    assertThat(clue.coin()).isEqualTo(Coin.ETHEREUM);
    assertThat(clue.sentence())
        .endsWith(
            "on 2017-01-17 the chains on record stood at: ethereum about 3,003,000,"
                + " ethereum-classic about 3,027,000: both fit; ethereum, which had most of"
                + " Ethash's hash power then: coin ethereum");
  }

  @Test
  void inTheMonthsOfTheDifficultyBombEthereumStillFits() {
    // July 2017: Ethereum at block 4,000,000 (epoch 133), its blocks slowed by the bomb.
    ChainClues.Clue clue =
        EthashChains.job(EthashChains.seedOf(133), Instant.parse("2017-07-08T00:00:00Z"));
    assertThat(clue.coin()).isEqualTo(Coin.ETHEREUM);
    assertThat(clue.sentence()).contains("ethereum about 4,000,000");
  }

  @Test
  void epochsOutsideTheSeedTableAreRefused() {
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> EthashChains.seedOf(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("epoch -1 is not in 0..2048");
    assertThat(EthashChains.epochOfSeed("11".repeat(32))).isEqualTo(-1);
  }

  @Test
  void afterTheMergeNoEthashJobIsEthereums() {
    Instant march2024 = Instant.parse("2024-03-13T12:00:00Z");
    ChainClues.Clue clue = EthashChains.job(EthashSeeds.EPOCH_648, march2024);
    assertThat(clue.coin()).isEqualTo(Coin.ETHEREUM_CLASSIC);
    assertThat(clue.sentence())
        .endsWith(
            "the pool works on the epoch from block 19,440,000; on 2024-03-13 the chains on"
                + " record stood at: ethereum-classic about 19,495,000; ethereum has been mined"
                + " by no one since 2022-09-15 (proof of stake): coin ethereum-classic");
    // Ethereum's last epoch, a year after the Merge, and an odd epoch (none of Ethereum Classic's
    // since its epochs became 60,000 blocks): an Ethash chain, not a coin on record.
    ChainClues.Clue lastEthereum =
        EthashChains.job(EthashChains.seedOf(517), Instant.parse("2023-09-15T00:00:00Z"));
    assertThat(lastEthereum.coin()).isNull();
    assertThat(lastEthereum.algorithm()).isEqualTo(Algorithm.ETHASH);
    assertThat(lastEthereum.sentence())
        .endsWith(
            "; ethereum has been mined by no one since 2022-09-15 (proof of stake): none fits,"
                + " an Ethash chain not on record: no coin");
    assertThat(EthashChains.job(EthashChains.seedOf(649), march2024).coin()).isNull();
    // Before Ethereum's launch no chain was mined with Ethash.
    assertThat(EthashChains.job(EthashChains.seedOf(0), Instant.parse("2015-01-01T00:00:00Z")))
        .extracting(ChainClues.Clue::coin, ChainClues.Clue::sentence)
        .containsExactly(
            null,
            "the job's seed hash is Ethash epoch 0's (Keccak-256 applied 0 times to 32 zero bytes):"
                + " the pool works on the epoch from block 0; on 2015-01-01 no Ethash chain on"
                + " record was mined: none fits, an Ethash chain not on record: no coin");
  }

  @Test
  void pastTheTableAChainsHeightIsExtrapolatedWithAWiderTolerance() {
    // 2026-12-01, 1,030 days past the last row: Ethereum Classic about 26 million blocks on.
    Instant dec2026 = Instant.parse("2026-12-01T00:00:00Z");
    int epoch = 2 * (int) (26_000_000 / 60_000);
    assertThat(EthashChains.job(EthashChains.seedOf(epoch), dec2026).coin())
        .isEqualTo(Coin.ETHEREUM_CLASSIC);
    assertThat(EthashChains.job(EthashSeeds.EPOCH_648, dec2026).coin()).isNull();
  }

  @Test
  void anEthereumAddressNamesNoCoinAfterTheMerge() {
    assertThat(EthashChains.minedAt(Coin.ETHEREUM, Instant.parse("2022-09-15T23:59:59Z"))).isTrue();
    assertThat(EthashChains.minedAt(Coin.ETHEREUM, Instant.parse("2022-09-16T00:00:00Z")))
        .isFalse();
    assertThat(EthashChains.minedAt(Coin.ETHEREUM_CLASSIC, Instant.parse("2026-01-01T00:00:00Z")))
        .isTrue();
    assertThat(EthashChains.minedAt(Coin.MONERO, Instant.parse("2026-01-01T00:00:00Z"))).isTrue();
  }

  @Test
  void everyEthashJobShapeIsReadForItsSeed() throws JsonTree.JsonException {
    Instant june2021 = Instant.parse("2021-06-01T08:00:00Z");
    String header = "ab".repeat(32);
    String[] jobs = {
      // eth-proxy work package: [header, seed, boundary]
      "{\"id\":0,\"result\":[\"0x"
          + header
          + "\",\"0x"
          + EthashSeeds.EPOCH_418
          + "\",\"0x00000000ffff"
          + "00".repeat(26)
          + "\"]}",
      // EthereumStratum/1.0.0: [job, seed, header, clean]
      "{\"id\":null,\"method\":\"mining.notify\",\"params\":[\"bf0488aa\",\""
          + EthashSeeds.EPOCH_418
          + "\",\""
          + header
          + "\",true]}",
      // eth-proxy's Stratum: [job, header, seed, target]
      "{\"id\":null,\"method\":\"mining.notify\",\"params\":[\"0x1\",\"0x"
          + header
          + "\",\"0x"
          + EthashSeeds.EPOCH_418
          + "\",\"0x00000000ffff"
          + "00".repeat(26)
          + "\"]}"
    };
    for (String json : jobs) {
      Map<?, ?> m =
          (Map<?, ?>) JsonTree.parse(json.getBytes(StandardCharsets.UTF_8), 0, json.length());
      ChainClues.Clue clue = JobClues.of(m, StratumGrammar.recognise(m, false), june2021);
      assertThat(clue).as(json).isNotNull();
      assertThat(clue.coin()).as(json).isEqualTo(Coin.ETHEREUM);
      assertThat(clue.sentence()).as(json).startsWith("the job's seed hash is Ethash epoch 418's");
    }
  }
}
