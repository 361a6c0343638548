package org.minewatch.testkit;

/**
 * Real Ethash seed hashes for generated jobs: the seed of epoch n is Keccak-256 applied n times to
 * 32 zero bytes (minewatch-core's {@code EthashChainsTest} recomputes each). A job's seed names the
 * block height its pool works at, so a generated job carries the seed of its chain at its time.
 */
public final class EthashSeeds {
  /** Epoch 418 (blocks 12,540,000–12,569,999): Ethereum in June 2021. */
  public static final String EPOCH_418 =
      "1eeb3a61989b688a808a4892304a9f8fe48bfd5d38decbc10536ba45ed75bf8d";

  /** Epoch 452 (blocks 13,560,000–13,589,999): Ethereum in November 2021. */
  public static final String EPOCH_452 =
      "fcc9beabae024ff92e73778124b7915786cd45525e38955b5298567130983f39";

  /**
   * Epoch 648 (blocks 19,440,000–19,499,999 on Ethereum Classic): Ethereum Classic in March 2024.
   */
  public static final String EPOCH_648 =
      "7707618245dd4a7091adc3dd79657c9dc100e912eeecdcdf99c79bf8c4413b30";

  private EthashSeeds() {}
}
