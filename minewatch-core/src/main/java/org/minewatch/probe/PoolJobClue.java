package org.minewatch.probe;

import java.time.Instant;
import java.util.Map;
import org.minewatch.detect.stratum.JobClues;
import org.minewatch.detect.stratum.Recognition;
import org.minewatch.detect.stratum.StratumGrammar;
import org.minewatch.identity.ChainClues;
import org.minewatch.model.Algorithm;
import org.minewatch.model.Coin;

/**
 * The coin and algorithm a pool's message to the probe gives, by the same rules the passive
 * detectors apply to a miner's traffic ({@link JobClues}: a Bitcoin-style job's previous block hash
 * and nbits, a KawPow job's height and bits, an Ethash job's seed hash), or what the message names
 * (an XMRig job's {@code algo}, a work package's shape). Why: a miner over TLS shows none of this,
 * but the pool it talks to tells anyone who logs in, so the confirmation can carry the coin its
 * miners work for.
 */
final class PoolJobClue {
  private PoolJobClue() {}

  /** The clue in a message {@link PoolReplyJudge#poolAnswer} accepted, or null if it has none. */
  static ChainClues.Clue of(Map<?, ?> message, Instant at) {
    Recognition r = StratumGrammar.recognise(message, false);
    if (r == null) {
      return null;
    }
    ChainClues.Clue clue = JobClues.of(message, r, at);
    if (clue != null) {
      return jobSays(clue.coin(), clue.algorithm(), clue.sentence());
    }
    Coin coin = r.coin();
    Algorithm algorithm = r.algorithm() != null ? r.algorithm() : ChainClues.algorithmOf(coin);
    if (coin == null && algorithm == null) {
      return null;
    }
    return jobSays(
        coin,
        algorithm,
        (coin != null ? "coin " + coin.label() : "no coin")
            + (algorithm != null ? ", algorithm " + algorithm.label() : ""));
  }

  private static ChainClues.Clue jobSays(Coin coin, Algorithm algorithm, String sentence) {
    return new ChainClues.Clue(coin, algorithm, "its work for the probe: " + sentence);
  }
}
