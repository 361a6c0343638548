package org.minewatch.detect.stratum;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.minewatch.identity.ChainClues;
import org.minewatch.identity.EthashChains;
import org.minewatch.model.Algorithm;

/**
 * Where a pool's job names its chain: a Bitcoin-style {@code mining.notify} (previous block hash
 * and nbits), a KawPow one (height and bits), an Ethash one or an eth-proxy work package (the seed
 * hash). One reading for the passive detector and the probe alike.
 */
public final class JobClues {
  private JobClues() {}

  /** Whether the message is a job whose chain {@link #of} can read (the grammar recognised it). */
  public static boolean isJob(Map<?, ?> message, Recognition r) {
    if (r == null) {
      return false;
    }
    if ("mining.notify".equals(message.get("method"))
        && message.get("params") instanceof List<?> p) {
      return p.size() == 9
          || r.algorithm() == Algorithm.KAWPOW && p.size() == 7
          || r.algorithm() == Algorithm.ETHASH && p.size() >= 3;
    }
    return r.algorithm() == Algorithm.ETHASH
        && message.get("result") instanceof List<?> l
        && (l.size() == 3 || l.size() == 4);
  }

  /** What the job says of its chain at the time it was seen, or null where it says nothing. */
  public static ChainClues.Clue of(Map<?, ?> message, Recognition r, Instant at) {
    if (!isJob(message, r)) {
      return null;
    }
    if (message.get("params") instanceof List<?> p) {
      // Only these places carry a chain's clue: [.., prevhash, .., nbits at 6, ..] (9 parameters)
      // and KawPow's [.., height at 5, bits at 6] (7 parameters).
      if (p.size() == 9) {
        return p.get(1) instanceof String prev && p.get(6) instanceof String nbits
            ? ChainClues.bitcoinJob(prev, nbits, at)
            : null;
      }
      if (r.algorithm() == Algorithm.KAWPOW) {
        return p.get(5) instanceof Number height && p.get(6) instanceof String bits
            ? ChainClues.kawpowJob(height.longValue(), bits, at)
            : null;
      }
      // EthereumStratum/1.0.0 sends [job, seed, header, clean]; eth-proxy's Stratum [job, header,
      // seed, target, ..]: the seed is whichever of the two is one.
      ChainClues.Clue first = ethash(p.get(1), at);
      ChainClues.Clue second = ethash(p.get(2), at);
      return first == null || first.coin() == null && second != null ? second : first;
    }
    // An eth-proxy work package: [header hash, seed hash, share boundary(, height)].
    return ethash(((List<?>) message.get("result")).get(1), at);
  }

  private static ChainClues.Clue ethash(Object seed, Instant at) {
    return seed instanceof String s ? EthashChains.job(s, at) : null;
  }
}
