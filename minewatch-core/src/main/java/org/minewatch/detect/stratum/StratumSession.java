package org.minewatch.detect.stratum;

import java.util.LinkedHashMap;
import java.util.Map;
import org.minewatch.detect.FlowSides;
import org.minewatch.detect.Session;
import org.minewatch.estimate.ShareSample;
import org.minewatch.evidence.Evidence;
import org.minewatch.evidence.EvidenceSink;
import org.minewatch.flow.Flow;
import org.minewatch.identity.ChainClues;
import org.minewatch.identity.EthashChains;
import org.minewatch.identity.WalletAddress;
import org.minewatch.identity.Wallets;
import org.minewatch.model.Algorithm;
import org.minewatch.model.Coin;
import org.minewatch.model.Protocol;
import org.minewatch.model.Role;
import org.minewatch.model.Verdict;

/**
 * Follows a mining JSON-RPC flow: reports the first message of each kind as evidence, keeps the
 * login, worker, agent and coin, and counts every message for a closing summary.
 */
final class StratumSession implements Session {
  private final EvidenceSink sink;
  private final long flowId;
  private final FlowSides sides;
  private final JsonMessages reader = new JsonMessages();
  private final Map<String, Integer> counts = new LinkedHashMap<>();
  private final ShareTracker shares = new ShareTracker();
  private Protocol protocol;
  private Coin coin;
  private Algorithm algorithm;
  private long lastNanos;
  private boolean chainSeen;
  private String loginTried;

  StratumSession(Flow flow, EvidenceSink sink) {
    this.sink = sink;
    this.flowId = flow.id();
    this.sides = new FlowSides(flow);
  }

  @Override
  public int data(
      Flow flow, boolean fromA, byte[] data, int offset, int length, long timestampNanos) {
    reader.reset(data, offset, length);
    lastNanos = timestampNanos;
    while (true) {
      switch (reader.next()) {
        case END, INCOMPLETE -> {
          int used = reader.position() - offset;
          // A message larger than the buffer can hold is dropped, not waited for.
          return used == 0 && length >= org.minewatch.flow.StreamBuffer.MAX_BYTES ? length : used;
        }
        case NOT_JSON -> {
          if (!reader.skipLine()) {
            return length >= JsonMessages.MAX_MESSAGE ? length : reader.position() - offset;
          }
        }
        case MESSAGE -> {
          Recognition r = StratumGrammar.recognise(reader.value, false);
          shares.message(reader.value, r, timestampNanos);
          message(fromA, r, timestampNanos);
          if (r != null && (coin == null || algorithm == null)) {
            clues(reader.value, r, timestampNanos);
          }
        }
      }
    }
  }

  private void message(boolean fromA, Recognition r, long ts) {
    if (r == null) {
      return;
    }
    sides.settle(fromA, r.fromClient());
    if (protocol == null
        || (protocol == Protocol.STRATUM_V1 && r.protocol() != Protocol.STRATUM_V1)) {
      protocol = r.protocol(); // a dialect-specific message refines plain Stratum v1
    }
    if (coin == null && r.coin() != null) {
      coin = r.coin();
    }
    if (algorithm == null && r.algorithm() != null) {
      algorithm = r.algorithm();
    }
    boolean first = counts.merge(r.what(), 1, Integer::sum) == 1;
    if (!first) {
      return;
    }
    String who = r.fromClient() ? "client sent " : "server sent ";
    String text =
        sides.prefix(ts)
            + who
            + r.what()
            + (r.detail() != null ? " (" + r.detail() + ")" : "")
            + (r.login() != null && r.detail() == null ? " (login \"" + r.login() + "\")" : "");
    sink.accept(
        new Evidence(
            r.conclusive() ? Verdict.MINING : Verdict.SUSPECT,
            protocol,
            r.coin() != null ? r.coin() : coin,
            sides.client(),
            sides.server(),
            Role.MINER,
            Role.POOL,
            flowId,
            ts,
            r.login(),
            r.worker(),
            r.agent(),
            text,
            r.algorithm() != null ? r.algorithm() : algorithm,
            null,
            Double.NaN,
            null,
            null,
            r.serverName()));
  }

  /**
   * Coin and algorithm where no message named them: from the first job's chain ({@link JobClues}: a
   * Bitcoin-style job's previous block hash and difficulty bits, a KawPow job's bits and height, an
   * Ethash job's seed hash), or from the login's wallet address (a coin has its algorithm). Each
   * inference is a sentence.
   */
  private void clues(Object message, Recognition r, long ts) {
    String sentence = null;
    Coin c = null;
    Algorithm a = null;
    boolean fromJob = false;
    if (!chainSeen && message instanceof Map<?, ?> m && JobClues.isJob(m, r)) {
      chainSeen = true; // the first job says it; the others repeat the chain
      fromJob = true;
      ChainClues.Clue clue = JobClues.of(m, r, java.time.Instant.ofEpochSecond(0, ts));
      if (clue != null) {
        c = clue.coin();
        a = clue.algorithm();
        sentence = clue.sentence();
      }
    } else if (r.login() != null && coin == null && !r.login().equals(loginTried)) {
      loginTried = r.login(); // every submit repeats the login: its checksum is verified once
      WalletAddress w = Wallets.recognise(r.login()).orElse(null);
      if (w != null
          && ChainClues.algorithmOf(w.coin()) != null
          && algorithm == null
          && EthashChains.minedAt(w.coin(), java.time.Instant.ofEpochSecond(0, ts))) {
        c = w.coin();
        a = ChainClues.algorithmOf(w.coin());
        sentence =
            "the login is a "
                + c.label()
                + " address, and "
                + c.label()
                + " is mined with "
                + a.label()
                + ": the shares are "
                + a.label()
                + " work";
      }
    }
    boolean adds = c != null && coin == null || a != null && algorithm == null;
    // A job that names no coin still says why (an Ethash chain not on record, a SHA-256d chain of
    // no
    // band): where the session has no coin, that sentence is the evidence for its absence.
    if (sentence == null || !adds && !(fromJob && coin == null)) {
      return;
    }
    coin = coin != null ? coin : c;
    algorithm = algorithm != null ? algorithm : a;
    sink.accept(sides.minerToPool(Verdict.MINING, protocol, coin, algorithm, flowId, ts, sentence));
  }

  @Override
  public void close(Flow flow) {
    long end = Math.max(lastNanos, flow.lastNanos());
    ShareSample sample = shares.sample(algorithm, end);
    double reported = shares.reportedHashrate();
    int total = counts.values().stream().mapToInt(Integer::intValue).sum();
    if (total <= counts.size() && sample == null && Double.isNaN(reported)) {
      return; // every message was reported already and there is nothing to measure
    }
    StringBuilder sb =
        new StringBuilder(sides.prefix(end)).append(total).append(" mining messages in all: ");
    boolean firstItem = true;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      sb.append(firstItem ? "" : ", ").append(e.getValue()).append(" × ").append(e.getKey());
      firstItem = false;
    }
    if (sample != null) {
      sb.append(
          String.format(
              java.util.Locale.ROOT,
              "; %d shares %s over %.0f s (%s work %.4g %s)",
              sample.shares(),
              sample.accepted() ? "accepted" : "submitted (pool replies not seen)",
              sample.seconds(),
              algorithm.label(),
              sample.work(),
              algorithm.unit().equals("Sol/s") ? "solutions" : "hashes"));
    }
    sink.accept(
        new Evidence(
            Verdict.MINING,
            protocol,
            coin,
            sides.client(),
            sides.server(),
            Role.MINER,
            Role.POOL,
            flowId,
            end,
            null,
            null,
            null,
            sb.toString(),
            algorithm,
            sample,
            reported,
            null,
            null,
            null));
  }
}
