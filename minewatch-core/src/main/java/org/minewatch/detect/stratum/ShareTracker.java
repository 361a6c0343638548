package org.minewatch.detect.stratum;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import org.minewatch.estimate.Difficulty;
import org.minewatch.estimate.ShareSample;
import org.minewatch.model.Algorithm;

/**
 * Counts one session's shares and the work they stand for: follows the difficulty (or target) the
 * pool sets, pairs each submit with the pool's reply, and keeps only what the pool accepted where
 * the replies are visible. Stratum v1 difficulties are kept raw until the algorithm is known, since
 * difficulty 1 means 2^32 hashes for SHA-256d and 2^16 for scrypt.
 */
final class ShareTracker {
  /** Submits awaiting a reply; beyond this the oldest is taken as unanswered. */
  private static final int MAX_PENDING = 256;

  /** What a submitted share stands for: raw Stratum difficulty, or work in hashes. */
  private record Pending(Object id, double raw, boolean stratumDifficulty) {}

  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private double raw = Double.NaN;
  private boolean stratumDifficulty;
  private long windowStart = Long.MIN_VALUE;
  private String worker;
  private long submitted;
  private double submittedRawDiff;
  private double submittedWork;
  private long accepted;
  private double acceptedRawDiff;
  private double acceptedWork;
  private boolean repliesSeen;
  private double reportedHashrate = Double.NaN;
  private String lastTarget;
  private double lastTargetWork;

  /** Looks at one message for difficulty, work, submits and replies. */
  void message(Object parsed, Recognition r, long ts) {
    if (!(parsed instanceof Map<?, ?> m)) {
      return;
    }
    if (windowStart == Long.MIN_VALUE) {
      windowStart = ts;
    }
    if (worker == null && r != null && r.worker() != null) {
      worker = r.worker(); // from the login, the authorize or a submit, whichever names it first
    }
    Object method = m.get("method");
    Object params = m.get("params");
    List<?> list = params instanceof List<?> l ? l : null;
    Map<?, ?> obj = params instanceof Map<?, ?> o ? o : null;
    if (method == null) {
      reply(m);
      return;
    }
    switch (String.valueOf(method)) {
      case "mining.set_difficulty" -> {
        if (list != null
            && !list.isEmpty()
            && list.get(0) instanceof Number n
            && n.doubleValue() > 0) {
          raw = n.doubleValue();
          stratumDifficulty = true;
        }
      }
      case "mining.set_target" -> {
        if (list != null && !list.isEmpty() && StratumGrammar.isHex(list.get(0), 64, 64)) {
          target((String) list.get(0), false);
        }
      }
      case "job" -> {
        if (obj != null) {
          xmrTarget(obj.get("target"));
        }
      }
      case "mining.submit", "submit", "eth_submitWork" -> submit(m.get("id"));
      case "eth_submitHashrate" -> {
        if (r != null && r.reportedHashrate() >= 0) {
          reportedHashrate = r.reportedHashrate();
        }
      }
      default -> {
        // no bearing on shares
      }
    }
  }

  private void reply(Map<?, ?> m) {
    Object result = m.get("result");
    // A login reply carries the first job; an eth-proxy work package carries the share boundary.
    if (result instanceof Map<?, ?> res && res.get("job") instanceof Map<?, ?> job) {
      xmrTarget(job.get("target"));
      return;
    }
    if (result instanceof List<?> l
        && (l.size() == 3 || l.size() == 4)
        && StratumGrammar.isHex(l.get(0), 64, 64)
        && StratumGrammar.isHex(l.get(2), 1, 64)
        && l.get(0) instanceof String h
        && h.startsWith("0x")) {
      target((String) l.get(2), false);
      return;
    }
    Object id = m.get("id");
    Pending p = takePending(id);
    if (p == null) {
      return;
    }
    repliesSeen = true;
    Object error = m.get("error");
    boolean ok =
        (error == null || error == org.minewatch.detect.json.JsonTree.NULL)
            && (Boolean.TRUE.equals(result)
                || (result instanceof Map<?, ?> st
                    && "OK".equalsIgnoreCase(String.valueOf(st.get("status")))));
    if (ok && !Double.isNaN(p.raw())) {
      accepted++;
      if (p.stratumDifficulty()) {
        acceptedRawDiff += p.raw();
      } else {
        acceptedWork += p.raw();
      }
    }
  }

  private void xmrTarget(Object target) {
    if (StratumGrammar.isHex(target, 8, 8) || StratumGrammar.isHex(target, 16, 16)) {
      target((String) target, true);
    }
  }

  /**
   * Sets the work per share from a target; pools repeat one target in job after job, so the last
   * one's value is kept rather than worked out again. A zero target is ignored.
   */
  private void target(String hex, boolean xmr) {
    if (!hex.equals(lastTarget)) {
      try {
        lastTargetWork = xmr ? Difficulty.fromXmrTarget(hex) : Difficulty.fromTarget256(hex);
        lastTarget = hex;
      } catch (IllegalArgumentException e) {
        return;
      }
    }
    raw = lastTargetWork;
    stratumDifficulty = false;
  }

  private void submit(Object id) {
    // A share submitted before any difficulty was seen (a capture joined mid-way) stands for
    // unknown work: it is left out of the estimate rather than counted as nothing.
    if (!Double.isNaN(raw)) {
      submitted++;
      if (stratumDifficulty) {
        submittedRawDiff += raw;
      } else {
        submittedWork += raw;
      }
    }
    if (pending.size() == MAX_PENDING) {
      pending.removeFirst();
    }
    pending.addLast(new Pending(id, raw, stratumDifficulty));
  }

  /** The oldest submit with this id: replies come in order, and some miners reuse one id. */
  private Pending takePending(Object id) {
    var it = pending.iterator();
    while (it.hasNext()) {
      Pending p = it.next();
      if (java.util.Objects.equals(p.id(), id)) {
        it.remove();
        return p;
      }
    }
    return null;
  }

  double reportedHashrate() {
    return reportedHashrate;
  }

  /** The session's shares up to {@code endNanos}, or null if it saw no work and no submit. */
  ShareSample sample(Algorithm algorithm, long endNanos) {
    if (algorithm == null
        || windowStart == Long.MIN_VALUE
        || (submitted == 0 && Double.isNaN(raw))) {
      return null;
    }
    long shares = repliesSeen ? accepted : submitted;
    double rawDiff = repliesSeen ? acceptedRawDiff : submittedRawDiff;
    double work = repliesSeen ? acceptedWork : submittedWork;
    if (rawDiff > 0) {
      Double scaled = Difficulty.stratumShareWork(rawDiff, algorithm);
      if (scaled == null) {
        return null; // difficulties whose meaning the algorithm does not give
      }
      work += scaled;
    }
    return new ShareSample(algorithm, worker, shares, work, windowStart, endNanos, repliesSeen);
  }
}
